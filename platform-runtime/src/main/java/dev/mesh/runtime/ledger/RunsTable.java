package dev.mesh.runtime.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.runtime.result.InputRecord;
import dev.mesh.runtime.result.RunResult;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code _platform/runs}: the run ledger, one row per product run (published, up to date, blocked, failed, skipped). */
public final class RunsTable implements PlatformTable<RunResult> {
    public static final RunsTable TABLE = new RunsTable();

    private static final StructType SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("domain", DataTypes.StringType, false)
            .add("product", DataTypes.StringType, false)
            .add("spec_version", DataTypes.StringType, true)
            .add("spec_hash", DataTypes.StringType, true)
            .add("run_key", DataTypes.StringType, true)
            .add("status", DataTypes.StringType, false)
            .add("started_at", DataTypes.TimestampType, false)
            .add("finished_at", DataTypes.TimestampType, false)
            .add("duration_ms", DataTypes.LongType, false)
            .add("rows_in", DataTypes.LongType, false)
            .add("rows_out", DataTypes.LongType, false)
            .add("rows_quarantined", DataTypes.LongType, false)
            .add("checks_passed", DataTypes.LongType, false)
            .add("checks_failed", DataTypes.LongType, false)
            .add("output_version", DataTypes.LongType, true)
            .add("inputs", DataTypes.StringType, true)
            .add("stage_ms", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true)
            .add("error_code", DataTypes.StringType, true)
            .add("error", DataTypes.StringType, true)
            .add("schema_changes", DataTypes.createArrayType(DataTypes.StringType, false), true);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "runs";
    }

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Row toRow(RunResult run) {
        return RowBuilder.of(SCHEMA)
                .set("run_id", run.runId())
                .set("domain", run.product().domain())
                .set("product", run.product().name())
                .set("spec_version", run.specVersion())
                .set("spec_hash", run.specHash())
                .set("run_key", run.runKey())
                .set("status", run.status().name())
                .set("started_at", run.startedAt())
                .set("finished_at", run.finishedAt())
                .set("duration_ms", run.duration().toMillis())
                .set("rows_in", run.rowsIn())
                .set("rows_out", run.rowsOut())
                .set("rows_quarantined", run.rowsQuarantined())
                .set("checks_passed", run.gate().passed())
                .set("checks_failed", run.gate().failed())
                .set("output_version", run.outputVersion())
                .set("inputs", inputsJson(run.inputs()))
                .set("stage_ms", run.stageMillis())
                .set("error_code", run.failure().map(Enum::name).orElse(null))
                .set("error", run.error().isEmpty() ? null : run.error())
                .set("schema_changes", run.schemaChanges().isEmpty() ? null : run.schemaChanges())
                .build();
    }

    private static String inputsJson(List<InputRecord> inputs) {
        try {
            return JSON.writeValueAsString(inputs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
