package dev.mesh.runtime.run;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.error.PlainMessages;
import dev.mesh.error.Secrets;
import dev.mesh.runtime.spi.ConstraintOutcome;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.storage.StoreOutage;
import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.StorageSpec;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.AnalysisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a run says what went wrong: in its record, its log and the user's terminal, with secrets scrubbed. */
final class RunMessages {
    private static final Logger LOG = LoggerFactory.getLogger(ProductRunner.class);

    private RunMessages() {}

    /** Spark reports bad SQL as AnalysisException (a user error); anything else failing below us is infrastructure. */
    static MeshException wrap(ProductSpec product, String runId, Exception e, StorageSpec storage) {
        Throwable cause = e;
        while (cause != null) {
            if (cause instanceof AnalysisException analysis) {
                return new MeshException(ErrorCode.INVALID_INPUT, product.id() + " (" + product.file() + "): "
                        + "the transformation is not valid Spark SQL for its inputs: "
                        + PlainMessages.of(analysis.getSimpleMessage(), "no reason given"),
                        e);
            }
            cause = cause.getCause();
        }
        for (Throwable full = e; full != null; full = full.getCause()) {
            if (full.getMessage() != null && full.getMessage().contains("No space left on device")) {
                return new MeshException(ErrorCode.INFRASTRUCTURE, Secrets.redact(product.id() + ": run " + runId
                        + " failed: the storage under " + storage.root() + " is full (No space left on device); "
                        + "nothing was published: free space there and run it again"), e);
            }
        }
        Optional<String> outage = StoreOutage.describe(e, storage);
        if (outage.isPresent()) {
            return new MeshException(ErrorCode.INFRASTRUCTURE, Secrets.redact(product.id() + ": run " + runId
                    + " failed: " + outage.get() + "; run it again once the store answers (a rerun publishes exactly "
                    + "what this run did not)"), e);
        }
        return new MeshException(ErrorCode.INFRASTRUCTURE, Secrets.redact(product.id() + ": run " + runId
                + " failed: " + writeFailure(e).orElseGet(() -> PlainMessages.of(e))), e);
    }

    /**
     * What failed inside a task that was writing the product's files (Spark says only that a task failed while
     * writing rows to the table's folder, and puts the reason in its cause): the innermost cause's message.
     */
    private static Optional<String> writeFailure(Exception e) {
        boolean writing = false;
        String innermost = null;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            writing |= cause.getMessage() != null && cause.getMessage().contains("[TASK_WRITE_FAILED]");
            String plain = PlainMessages.of(cause.getMessage(), "");
            if (!plain.isEmpty()) {
                innermost = plain;
            }
        }
        return writing && innermost != null ? Optional.of("a task writing its files failed: " + innermost)
                : Optional.empty();
    }

    /** Logs a failure once: a user error as its message, anything else with the stack trace of its cause. */
    static void logFailure(ProductSpec product, MeshException failure, Exception cause) {
        if (failure.errorCode() == ErrorCode.INVALID_INPUT) {
            LOG.warn("{} failed: {}", product.id(), Secrets.redact(failure.getMessage()));
        } else {
            LOG.error("{} failed: {}", product.id(), Secrets.redact(failure.getMessage()), cause);
        }
    }

    /** The error of a blocked gate: every error-level check that failed. */
    static String gate(ProductSpec product, GateResult gate) {
        return "quality gate blocked publication of " + product.id() + ": " + gate.failures().stream()
                .filter(c -> c.level() == CheckSpec.Level.ERROR)
                .map(RunMessages::describeFailure)
                .collect(Collectors.joining("; "));
    }

    /** What an error-level check failing over a published table says: the table stays as it is. */
    static String tableFails(ProductSpec product, GateResult gate, long version, long rows) {
        return "the published table of " + product.id() + " (version " + version + ", " + rows + " rows) fails its "
                + "checks: " + gate.failures().stream().filter(c -> c.level() == CheckSpec.Level.ERROR)
                        .map(RunMessages::describeFailure).collect(Collectors.joining("; "))
                + "; consumers read it as it is: fix the data (mesh run " + product.id() + " --full-refresh once the "
                + "source or spec is fixed) or the check";
    }

    private static String describeFailure(ConstraintOutcome outcome) {
        return outcome.constraint() + (outcome.message().isEmpty() ? " failed" : ": " + outcome.message());
    }
}
