package dev.mesh.runtime.result;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.ErrorCode;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.ProductId;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the platform records about one product run; one row of {@code _platform/runs}. {@code schemaChanges}
 * are the columns its publication added to the product ({@code "name type"}); {@code columns} the column
 * lineage of the output it planned, from Spark's analysed plan. {@code judgedChecks} is the fingerprint of the checks
 * ({@code TableChecks.fingerprint}) the whole published table stands judged by after this run, empty when the run
 * judged only a batch of it, or nothing.
 */
public record RunResult(
        String runId,
        ProductId product,
        String specVersion,
        String specHash,
        String runKey,
        RunStatus status,
        Instant startedAt,
        Instant finishedAt,
        long rowsIn,
        long rowsOut,
        long rowsQuarantined,
        Long outputVersion,
        List<InputRecord> inputs,
        Map<String, Long> stageMillis,
        GateResult gate,
        RunUsage usage,
        String error,
        ErrorCode errorCode,
        List<String> schemaChanges,
        ColumnLineage columns,
        String judgedChecks) {
    public RunResult {
        requireNonNull(runId, "runId is null");
        requireNonNull(product, "product is null");
        requireNonNull(status, "status is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        inputs = List.copyOf(inputs);
        stageMillis = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageMillis));
        requireNonNull(gate, "gate is null");
        requireNonNull(usage, "usage is null");
        specVersion = specVersion == null ? "" : specVersion;
        specHash = specHash == null ? "" : specHash;
        runKey = runKey == null ? "" : runKey;
        error = error == null ? "" : error;
        schemaChanges = List.copyOf(schemaChanges);
        columns = columns == null ? ColumnLineage.NONE : columns;
        judgedChecks = judgedChecks == null ? "" : judgedChecks;
    }

    /** A result that judged no whole table. */
    public RunResult(String runId, ProductId product, String specVersion, String specHash, String runKey,
            RunStatus status, Instant startedAt, Instant finishedAt, long rowsIn, long rowsOut, long rowsQuarantined,
            Long outputVersion, List<InputRecord> inputs, Map<String, Long> stageMillis, GateResult gate,
            RunUsage usage, String error, ErrorCode errorCode, List<String> schemaChanges, ColumnLineage columns) {
        this(runId, product, specVersion, specHash, runKey, status, startedAt, finishedAt, rowsIn, rowsOut,
                rowsQuarantined, outputVersion, inputs, stageMillis, gate, usage, error, errorCode, schemaChanges,
                columns, "");
    }

    /** A result without column lineage (a run that did not get as far as planning its output). */
    public RunResult(String runId, ProductId product, String specVersion, String specHash, String runKey,
            RunStatus status, Instant startedAt, Instant finishedAt, long rowsIn, long rowsOut, long rowsQuarantined,
            Long outputVersion, List<InputRecord> inputs, Map<String, Long> stageMillis, GateResult gate,
            RunUsage usage, String error, ErrorCode errorCode, List<String> schemaChanges) {
        this(runId, product, specVersion, specHash, runKey, status, startedAt, finishedAt, rowsIn, rowsOut,
                rowsQuarantined, outputVersion, inputs, stageMillis, gate, usage, error, errorCode, schemaChanges,
                ColumnLineage.NONE, "");
    }

    /** This result with the column lineage of the output its run planned. */
    public RunResult withColumns(ColumnLineage columns) {
        return new RunResult(runId, product, specVersion, specHash, runKey, status, startedAt, finishedAt, rowsIn,
                rowsOut, rowsQuarantined, outputVersion, inputs, stageMillis, gate, usage, error, errorCode,
                schemaChanges, columns, judgedChecks);
    }

    /** This result with the usage Spark reported for it. */
    public RunResult withUsage(RunUsage usage) {
        return new RunResult(runId, product, specVersion, specHash, runKey, status, startedAt, finishedAt, rowsIn,
                rowsOut, rowsQuarantined, outputVersion, inputs, stageMillis, gate, usage, error, errorCode,
                schemaChanges, columns, judgedChecks);
    }

    /** This result with another error message. */
    public RunResult withError(String error) {
        return new RunResult(runId, product, specVersion, specHash, runKey, status, startedAt, finishedAt, rowsIn,
                rowsOut, rowsQuarantined, outputVersion, inputs, stageMillis, gate, usage, error, errorCode,
                schemaChanges, columns, judgedChecks);
    }

    /** This result with the fingerprint of the checks that judged the whole published table. */
    public RunResult withJudgedChecks(String fingerprint) {
        return new RunResult(runId, product, specVersion, specHash, runKey, status, startedAt, finishedAt, rowsIn,
                rowsOut, rowsQuarantined, outputVersion, inputs, stageMillis, gate, usage, error, errorCode,
                schemaChanges, columns, fingerprint);
    }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }

    public Optional<ErrorCode> failure() {
        return Optional.ofNullable(errorCode);
    }

    /** The exit code this run alone would give: 0 when it published or was up to date. */
    public int exitCode() {
        return switch (status) {
            case PUBLISHED, UP_TO_DATE -> 0;
            case GATE_FAILED -> ErrorCode.QUALITY_GATE_FAILED.exitCode();
            case CHECKED -> errorCode == null ? 0 : errorCode.exitCode();
            case FAILED, SKIPPED, UNFINISHED -> errorCode == null ? ErrorCode.INTERNAL.exitCode() : errorCode.exitCode();
        };
    }
}
