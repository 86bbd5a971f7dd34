package dev.mesh.runtime.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.ProductId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run ledger without Spark reads what was recorded, and appends only to a table that has every column it records:
 * one an older version created is refused with what to do until provisioning widens it, and the runner, which has
 * Spark, appends to it with Spark, which adds the column.
 */
class DirectPlatformTablesTest {
    private static final Instant STARTED = Instant.parse("2026-11-26T12:00:00.123456Z");
    private static final ProductId ORDERS = new ProductId("shop", "orders");

    @TempDir
    Path dir;
    PlatformTables tables;
    DirectPlatformTables direct;

    @BeforeEach
    void tablesInATemporaryZone() {
        tables = new PlatformTables(SharedSpark.session(), new ZoneLayout(dir.toUri()));
        direct = tables.direct();
    }

    @Test
    void aRunRecordedWithSparkReadsTheSameWithoutSpark() {
        assertThat(direct.exists(RunsTable.TABLE)).isFalse();
        assertThat(direct.rows(RunsTable.TABLE, row -> true)).isEmpty();
        tables.recordRun(run("r1", List.of("added column note")));
        tables.recordRun(run("r2", List.of()));

        List<LedgerRow> rows = direct.rows(RunsTable.TABLE, row -> row.string("run_id").equals("r1"));

        assertThat(rows).hasSize(1);
        LedgerRow r1 = rows.get(0);
        assertThat(r1.string("domain")).isEqualTo("shop");
        assertThat(r1.instant("started_at")).isEqualTo(STARTED);
        assertThat(r1.number("rows_out")).isEqualTo(7L);
        assertThat(r1.isNull("output_version")).isTrue();
        assertThat(r1.strings("schema_changes")).containsExactly("added column note");
        assertThat(r1.get("stage_ms")).isEqualTo(Map.of("read", 800L));
        assertThat(r1.string("error_code")).isEqualTo("INVALID_INPUT");
    }

    @Test
    void aTableAnOlderVersionCreatedIsRefusedUntilProvisioningWidensIt() {
        String path = olderRunsTable();

        assertThatThrownBy(() -> direct.append(RunsTable.TABLE, List.of(run("r1", List.of()))))
                .isInstanceOf(MeshException.class)
                .hasMessage("cannot record in platform table " + path + ": it has no column schema_changes (an older "
                        + "version of mesh created it); run mesh provision, which adds them");
        assertThat(direct.rows(RunsTable.TABLE, row -> true)).isEmpty();

        assertThat(DeltaTables.widen(SharedSpark.session(), path, RunsTable.TABLE.schema()))
                .containsExactly("schema_changes");
        assertThat(DeltaTables.widen(SharedSpark.session(), path, RunsTable.TABLE.schema())).isEmpty();
        direct.append(RunsTable.TABLE, List.of(run("r1", List.of("added column note"))));

        assertThat(tables.read(RunsTable.TABLE).selectExpr("run_id", "schema_changes[0]").head().getString(1))
                .isEqualTo("added column note");
    }

    @Test
    void theRunnerRecordsInAnOlderTableWithSparkWhichAddsTheColumn() {
        olderRunsTable();

        tables.recordRun(run("r1", List.of("added column note")));

        assertThat(direct.rows(RunsTable.TABLE, row -> true)).extracting(row -> row.strings("schema_changes"))
                .containsExactly(List.of("added column note"));
    }

    @Test
    void theRunnerRecordsWithSparkInATableWhoseProtocolKernelDoesNotWrite() {
        // as Spark creates tables when the platform's spark settings turn deletion vectors on by default
        SharedSpark.session().createDataFrame(List.<org.apache.spark.sql.Row>of(), RunsTable.TABLE.schema()).write()
                .format("delta").option("delta.enableDeletionVectors", "true").save(direct.path(RunsTable.TABLE));

        tables.recordRun(run("r1", List.of()));

        assertThat(direct.rows(RunsTable.TABLE, row -> true)).extracting(row -> row.string("run_id"))
                .containsExactly("r1");
        assertThatThrownBy(() -> direct.append(RunsTable.TABLE, List.of(run("r2", List.of()))))
                .hasMessageContaining("deletionVectors").hasMessageEndingWith("; mesh run records in it with Spark");
    }

    /** The run ledger as a version before schema changes were recorded created it. */
    private String olderRunsTable() {
        String path = direct.path(RunsTable.TABLE);
        StructType older = new StructType(Arrays.stream(RunsTable.TABLE.schema().fields())
                .filter(field -> !field.name().equals("schema_changes")).toArray(StructField[]::new));
        DeltaTables.createIfAbsent(SharedSpark.session(), path, older);
        return path;
    }

    private static RunResult run(String runId, List<String> schemaChanges) {
        return new RunResult(runId, ORDERS, "1.0.0", "hash", "key", RunStatus.FAILED, STARTED,
                STARTED.plusSeconds(90), 10, 7, 3, null, List.of(), Map.of("read", 800L), GateResult.EMPTY,
                RunUsage.NONE, "drifted", ErrorCode.INVALID_INPUT, schemaChanges);
    }
}
