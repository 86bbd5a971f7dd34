package dev.mesh.runtime.run;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.runtime.ledger.DirectPlatformTables;
import dev.mesh.runtime.result.InputRecord;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.spark.ActiveSession;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.ProductSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A product's current checks over its whole published table, which is not changed: what {@code mesh check} does, and
 * what a run of an append or merge product does when its checks changed since the table was last judged (its gate
 * judges only the batch it adds, so rows published before would never meet the new checks). One scan of the table;
 * the verdict is recorded as a {@link RunStatus#CHECKED} run, whose check counts feed the quality score of the SLA.
 */
public final class TableChecks {
    private TableChecks() {}

    /**
     * The fingerprint of the checks the product's gate evaluates (declared and implied by its output port): equal
     * fingerprints judge a table alike. Anomaly rules are not in it: they watch batches, not tables.
     */
    public static String fingerprint(ProductSpec product) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String check : GateChecks.of(product).stream().map(CheckSpec::toString).sorted().toList()) {
                digest.update(check.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Evaluates the product's current checks over the newest version of its published table: a CHECKED result,
     * whose error, when an error-level check fails, names what failed over how many rows.
     */
    static RunResult judge(RunServices services, SparkSession spark, ProductSpec product, String runId) {
        Instant started = services.clock().instant();
        RunScope scope = new RunScope(services, spark, product, RunOptions.DEFAULT, runId, started);
        return ActiveSession.during(scope.session(), () -> judgeInSession(scope));
    }

    private static RunResult judgeInSession(RunScope scope) {
        ProductSpec product = scope.product();
        SparkSession session = scope.session();
        String path = scope.services().zones().product(product.id());
        session.sparkContext().setJobGroup(scope.runId(), "mesh check of " + product.id(), false);
        try {
            long version = scope.stages().time("resolve", () -> DeltaTables.latestVersion(session, path))
                    .orElseThrow(() -> MeshException.invalidInput("%s is not published yet: there is no table to "
                            + "check; run it first: mesh run %s", product.id(), product.id()));
            Dataset<Row> table = session.read().format("delta").option("versionAsOf", version).load(path);
            long rows = scope.stages().time("resolve", () -> new DirectPlatformTables(
                    session.sparkContext().hadoopConfiguration(), scope.services().zones()).productRows(product.id())
                    .orElseGet(table::count));
            // the sensitive columns are those the specs' lineage makes so: no plan was analysed for a check
            scope.planned(scope.columnFlow().lineage(product.id()).orElse(ColumnLineage.NONE));
            GateResult verdict = new RunGate(scope).judgeTable(table, rows);
            scope.advance(progress -> progress.resolved(null, List.of(new InputRecord("published", "product",
                    product.id().toString(), version, rows))).gated(verdict).published(version, 0, 0));
            String error = verdict.blocked() ? RunMessages.tableFails(product, verdict, version, rows) : null;
            return scope.progress().result(product, scope.runId(), scope.started(), scope.now(),
                    scope.stages().millis(), RunUsage.NONE, RunStatus.CHECKED,
                    verdict.blocked() ? ErrorCode.QUALITY_GATE_FAILED : null, error)
                    .withColumns(scope.columns()).withJudgedChecks(fingerprint(product));
        } finally {
            session.sparkContext().clearJobGroup();
        }
    }
}
