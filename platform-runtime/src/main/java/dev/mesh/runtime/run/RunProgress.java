package dev.mesh.runtime.run;

import dev.mesh.error.ErrorCode;
import dev.mesh.runtime.result.InputRecord;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.spec.model.ProductSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a run of one product has established so far, as each phase leaves it; a run that stops at any phase (up to
 * date, blocked, failed) is recorded from the last one. Immutable: each phase returns a new value.
 */
record RunProgress(String runKey, List<InputRecord> inputs, long rowsOut, long rowsQuarantined, Long outputVersion,
        long filesWritten, GateResult gate, List<String> schemaChanges) {
    static final RunProgress START = new RunProgress(null, List.of(), 0, 0, null, 0, GateResult.EMPTY, List.of());

    RunProgress {
        inputs = List.copyOf(inputs);
        schemaChanges = List.copyOf(schemaChanges);
    }

    /** The inputs as resolved, before anything is counted: what each will read and what its reader left out. */
    RunProgress resolved(String runKey, List<InputRecord> inputs) {
        return new RunProgress(runKey, inputs, rowsOut, rowsQuarantined, outputVersion, filesWritten, gate,
                schemaChanges);
    }

    RunProgress screened(List<InputRecord> inputs, long rowsOut, long rowsQuarantined) {
        return new RunProgress(runKey, inputs, rowsOut, rowsQuarantined, outputVersion, filesWritten, gate,
                schemaChanges);
    }

    RunProgress gated(GateResult gate) {
        return new RunProgress(runKey, inputs, gate.blocked() ? 0 : rowsOut, rowsQuarantined, outputVersion,
                filesWritten, gate, schemaChanges);
    }

    RunProgress published(Long outputVersion, long filesWritten, long rowsOut) {
        return new RunProgress(runKey, inputs, rowsOut, rowsQuarantined, outputVersion, filesWritten, gate,
                schemaChanges);
    }

    /** The columns the publication added to the product's schema. */
    RunProgress withSchemaChanges(List<String> schemaChanges) {
        return new RunProgress(runKey, inputs, rowsOut, rowsQuarantined, outputVersion, filesWritten, gate,
                schemaChanges);
    }

    /** Nothing of this run reached the product. */
    RunProgress nothingPublished() {
        return new RunProgress(runKey, inputs, 0, rowsQuarantined, outputVersion, filesWritten, gate,
                schemaChanges);
    }

    RunResult result(ProductSpec product, String runId, Instant started, Instant finished, Map<String, Long> stages,
            RunUsage usage, RunStatus status, ErrorCode code, String error) {
        long rowsIn = inputs.stream().mapToLong(InputRecord::records).sum();
        return new RunResult(runId, product.id(), product.version(), product.hash(), runKey, status, started,
                finished, rowsIn, rowsOut, rowsQuarantined, outputVersion, inputs, stages, gate, usage, error, code,
                schemaChanges);
    }
}
