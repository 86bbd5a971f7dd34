package dev.mesh.runtime.ledger;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.runtime.result.InputRecord;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.spi.PlatformTable;
import dev.mesh.runtime.spi.RowBuilder;
import dev.mesh.spec.model.ProductId;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code _platform/runs}: the run ledger, one row per product run (published, up to date, blocked, failed, skipped)
 * and per evaluation of a product's checks over its published table (checked). {@code judged_checks}: the fingerprint
 * of the checks the whole table stands judged by after the run, when it judged the whole table.
 */
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
            .add("schema_changes", DataTypes.createArrayType(DataTypes.StringType, false), true)
            .add("judged_checks", DataTypes.StringType, true);
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
                .set("judged_checks", run.judgedChecks().isEmpty() ? null : run.judgedChecks())
                .build();
    }

    private static String inputsJson(List<InputRecord> inputs) {
        try {
            return JSON.writeValueAsString(inputs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A product's last published run as the ledger holds it: when it finished, the version it made, and what each
     * input read (input name to its record: version, files, rows, watermark).
     */
    public record LastPublished(Instant finishedAt, Long outputVersion, Map<String, JsonNode> inputs) {
        public LastPublished {
            inputs = Map.copyOf(inputs);
        }
    }

    /** The last published run of every product, in one query; none when nothing was recorded yet. */
    public static Map<ProductId, LastPublished> lastPublished(PlatformTables tables) {
        Map<ProductId, LastPublished> runs = new HashMap<>();
        if (!tables.exists(TABLE)) {
            return runs;
        }
        for (Row row : tables.read(TABLE).where(col("status").equalTo(RunStatus.PUBLISHED.name()))
                .groupBy("domain", "product")
                .agg(max_by(struct(col("finished_at"), col("output_version"), col("inputs")), col("finished_at"))
                        .as("last"))
                .select("domain", "product", "last.finished_at", "last.output_version", "last.inputs")
                .collectAsList()) {
            runs.put(new ProductId(row.getString(0), row.getString(1)), new LastPublished(
                    row.getTimestamp(2).toInstant(), row.isNullAt(3) ? null : row.getLong(3),
                    row.isNullAt(4) ? Map.of() : inputsByName(row.getString(4))));
        }
        return runs;
    }

    private static Map<String, JsonNode> inputsByName(String json) {
        Map<String, JsonNode> inputs = new HashMap<>();
        try {
            for (JsonNode input : JSON.readTree(json)) {
                inputs.put(input.path("name").asText(), input);
            }
        } catch (IOException e) {
            // a ledger row written by another version: its inputs are not shown
        }
        return inputs;
    }
}
