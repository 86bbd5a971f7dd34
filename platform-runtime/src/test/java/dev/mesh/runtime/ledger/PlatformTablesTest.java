package dev.mesh.runtime.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesh.error.ErrorCode;
import dev.mesh.runtime.result.InputRecord;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.spi.ConstraintOutcome;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.spi.MetricValue;
import dev.mesh.runtime.spi.PlatformTable;
import dev.mesh.runtime.spi.RowBuilder;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.runtime.zone.ZoneSize;
import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.ProductId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each platform table maps its records to rows by column name, and the ledger answers from what was appended. */
class PlatformTablesTest {
    private static final Instant STARTED = Instant.parse("2026-11-25T12:00:00Z");
    private static final ProductId ORDERS = new ProductId("shop", "orders");

    @TempDir
    Path dir;
    PlatformTables tables;

    @BeforeEach
    void tablesInATemporaryZone() {
        tables = new PlatformTables(SharedSpark.session(), new ZoneLayout(dir.toUri()));
    }

    @Test
    void aRunIsOneRowWithEveryColumnInItsPlace() {
        tables.recordRun(run("r1", RunStatus.GATE_FAILED, "key-1", ErrorCode.QUALITY_GATE_FAILED, "blocked"));
        Row row = tables.read(RunsTable.TABLE).head();
        assertThat(row.<String>getAs("run_id")).isEqualTo("r1");
        assertThat(row.<String>getAs("domain")).isEqualTo("shop");
        assertThat(row.<String>getAs("product")).isEqualTo("orders");
        assertThat(row.<String>getAs("status")).isEqualTo("GATE_FAILED");
        assertThat(row.<Long>getAs("duration_ms")).isEqualTo(90_000L);
        assertThat(row.<Long>getAs("rows_in")).isEqualTo(10L);
        assertThat(row.<Long>getAs("rows_out")).isEqualTo(7L);
        assertThat(row.<Long>getAs("rows_quarantined")).isEqualTo(3L);
        assertThat(row.<Long>getAs("checks_passed")).isEqualTo(1L);
        assertThat(row.<Long>getAs("checks_failed")).isEqualTo(1L);
        assertThat(row.<Long>getAs("output_version")).isEqualTo(4L);
        assertThat(row.<String>getAs("inputs")).contains("\"name\":\"pos\"", "\"records\":10");
        assertThat(row.getJavaMap(row.fieldIndex("stage_ms"))).containsEntry("checks", 1200L);
        assertThat(row.<String>getAs("error_code")).isEqualTo("QUALITY_GATE_FAILED");
        assertThat(row.<String>getAs("error")).isEqualTo("blocked");
    }

    @Test
    void theGateIsARowPerConstraintAndPerMetric() {
        tables.recordQuality(run("r1", RunStatus.GATE_FAILED, "k", null, null), STARTED);
        List<String> rows = tables.read(QualityMetricsTable.TABLE).orderBy("row_type", "metric_name")
                .selectExpr("concat_ws('|', row_type, constraint, level, status, entity, instance, metric_name, "
                        + "value, message)").collectAsList().stream().map(r -> r.getString(0)).toList();
        assertThat(rows).containsExactly(
                "constraint|complete(order_id)|ERROR|passed|order_id|Completeness|1.0|",
                "constraint|min(amount) >= 0|ERROR|failed|amount|Minimum|-1.0|value -1 is below 0",
                "metric|computed|Column|amount|Minimum|-1.0|");
    }

    @Test
    void usageRowsOfRunsAndZonesFillOnlyTheirOwnColumns() {
        tables.recordUsage(List.of(run("r1", RunStatus.PUBLISHED, "k", null, null),
                run("r2", RunStatus.SKIPPED, "k", null, null)), List.of(new ZoneSize("shop", "products", 2048, 3)),
                STARTED);
        assertThat(SharedSpark.session().sql("DESCRIBE HISTORY delta.`" + tables.path(UsageTable.TABLE) + "`").count())
                .as("one commit").isEqualTo(1);
        List<String> rows = tables.read(UsageTable.TABLE).orderBy("kind")
                .selectExpr("concat_ws('|', kind, domain, product, run_id, zone, cpu_ms, bytes_read, files_written, "
                        + "bytes, files)").collectAsList().stream().map(r -> r.getString(0)).toList();
        assertThat(rows).as("a skipped run used nothing").containsExactly("run|shop|orders|r1|50|4096|2",
                "zone|shop|products|2048|3");
    }

    @Test
    void theLedgerKnowsWhichRunPublishedARunKey() {
        assertThat(tables.publishedRun(ORDERS, "key-1")).isEmpty();
        tables.recordRun(run("r1", RunStatus.GATE_FAILED, "key-1", null, null));
        tables.recordRun(run("r2", RunStatus.PUBLISHED, "key-1", null, null));
        assertThat(tables.publishedRun(ORDERS, "key-1")).contains("r2");
        // a fresh instance reads it back from the table
        PlatformTables again = new PlatformTables(SharedSpark.session(), new ZoneLayout(dir.toUri()));
        assertThat(again.publishedRun(ORDERS, "key-1")).contains("r2");
        assertThat(again.publishedRun(ORDERS, "key-2")).isEmpty();
        assertThat(again.publishedRun(new ProductId("shop", "returns"), "key-1")).isEmpty();
    }

    @Test
    void rowsAreBuiltByNameAndRefuseGaps() {
        StructType schema = new StructType().add("a", DataTypes.StringType, false).add("b", DataTypes.LongType, true);
        assertThat(RowBuilder.of(schema).set("b", 2L).set("a", "x").build().toString()).isEqualTo("[x,2]");
        assertThatThrownBy(() -> RowBuilder.of(schema).set("c", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RowBuilder.of(schema).set("b", 1L).build())
                .hasMessageContaining("column a of a platform table row is unset but not nullable");
    }

    @Test
    void everyRuntimeTableIsRegistered() {
        assertThat(PlatformTable.all()).extracting(PlatformTable::name)
                .contains("runs", "quality_metrics", "usage");
    }

    private static RunResult run(String runId, RunStatus status, String runKey, ErrorCode code, String error) {
        Map<String, Long> stages = new LinkedHashMap<>();
        stages.put("read", 800L);
        stages.put("checks", 1200L);
        GateResult gate = new GateResult(List.of(
                new ConstraintOutcome("complete(order_id)", CheckSpec.Level.ERROR, true, "Completeness", "order_id",
                        1.0, ""),
                new ConstraintOutcome("min(amount) >= 0", CheckSpec.Level.ERROR, false, "Minimum", "amount", -1.0,
                        "value -1 is below 0")),
                List.of(new MetricValue("Column", "amount", "Minimum", -1.0, "")));
        return new RunResult(runId, ORDERS, "1.0.0", "hash", runKey, status, STARTED, STARTED.plusSeconds(90), 10, 7,
                3, 4L, List.of(new InputRecord("pos", "files", "pos.orders", null, 10)), stages, gate,
                new RunUsage(50, 60, 4096, 10, 2048, 7, 2), error, code, List.of());
    }
}
