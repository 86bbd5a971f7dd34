package dev.mesh.runtime.lineage;

import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.run.RunContext;
import dev.mesh.runtime.run.RunListener;
import dev.mesh.spec.model.LineageSpec;
import dev.mesh.spec.model.ProductSpec;
import io.openlineage.client.OpenLineage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits OpenLineage run events for every product run when {@code platform.yaml} configures {@code lineage}: START
 * when it starts, then COMPLETE (published or up to date), ABORT (the gate blocked it) or FAIL. Skipped products
 * never started and emit nothing. The transports of an invocation are opened at its first event and closed when it
 * ends.
 */
public final class LineageListener implements RunListener {
    private static final Logger LOG = LoggerFactory.getLogger(LineageListener.class);

    private String invocation;
    private LineageTransports transports;

    @Override
    public void productStarted(RunContext context, String runId, ProductSpec product, Instant startedAt) {
        lineage(context).ifPresent(spec -> transports(context, spec).emit(events(context, spec)
                .started(context.invocationId(), runId, product, context.mesh().domain(product.domain())
                        .orElse(null), startedAt)));
    }

    @Override
    public void productFinished(RunContext context, RunResult result) {
        Optional<LineageSpec> spec = lineage(context);
        Optional<OpenLineage.RunEvent.EventType> type = LineageEvents.finishedType(result);
        Optional<ProductSpec> product = context.mesh().product(result.product());
        if (spec.isEmpty() || type.isEmpty() || product.isEmpty()) {
            return;
        }
        Optional<StructType> published = result.status() == RunStatus.PUBLISHED
                || result.status() == RunStatus.UP_TO_DATE ? publishedSchema(context, product.get(), result)
                : Optional.empty();
        transports(context, spec.get()).emit(events(context, spec.get()).finished(context.invocationId(),
                type.get(), result, product.get(), context.mesh().domain(product.get().domain()).orElse(null),
                published));
    }

    @Override
    public synchronized void invocationFinished(RunContext context, List<RunResult> results) {
        if (transports != null && context.invocationId().equals(invocation)) {
            transports.close();
            transports = null;
            invocation = null;
        }
    }

    private static Optional<LineageSpec> lineage(RunContext context) {
        return context.mesh().platform().lineage().filter(spec -> !spec.transports().isEmpty());
    }

    private static LineageEvents events(RunContext context, LineageSpec spec) {
        return new LineageEvents(spec.namespace(), context.zones(), context.environment());
    }

    private synchronized LineageTransports transports(RunContext context, LineageSpec spec) {
        if (transports == null || !context.invocationId().equals(invocation)) {
            if (transports != null) {
                transports.close();
            }
            transports = LineageTransports.of(spec, context.environment(), System.out);
            invocation = context.invocationId();
        }
        return transports;
    }

    /** The schema of the version the run published or found up to date, as Delta stores it. */
    private static Optional<StructType> publishedSchema(RunContext context, ProductSpec product, RunResult result) {
        try {
            var reader = context.spark().read().format("delta");
            if (result.outputVersion() != null) {
                reader = reader.option("versionAsOf", result.outputVersion());
            }
            return Optional.of(reader.load(context.zones().product(product.id())).schema());
        } catch (RuntimeException e) {
            LOG.warn("lineage: the schema of {} could not be read; its event goes without it: {}", product.id(),
                    e.getMessage());
            return Optional.empty();
        }
    }
}
