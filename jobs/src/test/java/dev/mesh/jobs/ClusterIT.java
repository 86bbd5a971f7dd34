package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example mesh through real spark-submit, once on {@code local[2]} and once on a standalone master and worker
 * started on loopback: the products and platform tables must match exactly. Driver and executors share the local
 * disk, where both runs keep their zones.
 */
class ClusterIT {
    static final List<String> PRODUCTS = List.of("customer/products/customers", "customer/products/nations",
            "sales/products/orders", "sales/products/lineitems", "finance/products/revenue_by_nation",
            "finance/products/customer_balances", "sales/quarantine/orders", "customer/products/customer_accounts",
            "customer/products/segment_history", "customer/products/latest_change");

    @TempDir
    Path dir;

    @Test
    void theExampleMeshOnAStandaloneClusterMatchesALocalRun() throws Exception {
        String platform = CliHarness.EXAMPLES.toString();
        Path local = dir.resolve("local-zones");
        Path cluster = dir.resolve("cluster-zones");
        try (SparkCluster spark = SparkCluster.assemble(dir).start()) {
            for (var run : List.of(Map.entry("local", "local[2]"), Map.entry("cluster", spark.masterUrl()))) {
                Path root = run.getKey().equals("local") ? local : cluster;
                SparkCluster.Submitted landed = spark.submit(run.getKey() + "-land", run.getValue(),
                        "dev.mesh.jobs.MeshMain", "--platform", platform, "--storage-root", root.toString(),
                        "quickstart", "--scale", "0.002", "--no-run");
                assertThat(landed.exitCode()).as(landed.output()).isZero();
                SparkCluster.Submitted ran = spark.submit(run.getKey() + "-run", run.getValue(),
                        "dev.mesh.jobs.MeshSubmitMain", "--platform", platform, "--storage-root", root.toString(),
                        "--all", "--parallel", "2");
                assertThat(ran.exitCode()).as(ran.output()).isZero();
                assertThat(ran.output()).contains("9 products: 9 published, 0 up to date, 0 not published");
                String timing = String.format(Locale.ROOT, "example mesh via spark-submit on %s: %.1f s (landing: "
                        + "%.1f s)%n", run.getValue().startsWith("spark://") ? "a standalone cluster" : run.getValue(),
                        ran.wallTime().toMillis() / 1000.0, landed.wallTime().toMillis() / 1000.0);
                System.out.print(timing);
                Files.writeString(SparkCluster.TARGET.resolve("cluster-timings.txt"), timing,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            }
            // the cluster's executors did the work: the master saw the application complete
            assertThat(spark.masterStatus()).contains("\"completedapps\"").contains("mesh");
        }

        for (String table : PRODUCTS) {
            Dataset<Row> a = table(local, table);
            Dataset<Row> b = table(cluster, table);
            if (table.contains("quarantine")) {
                // the two runs keep their zones in different folders: files (and the keys made with them) differ
                assertThat(b.selectExpr("substring_index(file, '/', -3)").distinct().collectAsList())
                        .isEqualTo(a.selectExpr("substring_index(file, '/', -3)").distinct().collectAsList());
                a = a.drop("run_id", "quarantined_at", "file", "record_key");
                b = b.drop("run_id", "quarantined_at", "file", "record_key");
            }
            assertThat(b.count()).as(table).isEqualTo(a.count()).isPositive();
            assertThat(a.exceptAll(b).count()).as(table + ": rows only in the local run").isZero();
            assertThat(b.exceptAll(a).count()).as(table + ": rows only in the cluster run").isZero();
        }
        assertThat(runs(cluster)).isEqualTo(runs(local)).hasSize(9);
        assertThat(metrics(cluster)).isEqualTo(metrics(local));
    }

    private static Dataset<Row> table(Path root, String relative) {
        return SharedSpark.session().read().format("delta").load(root.resolve(relative).toString());
    }

    private static Map<String, String> runs(Path root) {
        return table(root, "_platform/runs").collectAsList().stream().collect(Collectors.toMap(
                r -> r.getAs("domain") + "." + r.getAs("product"),
                r -> r.getAs("status") + " in=" + r.getAs("rows_in") + " out=" + r.getAs("rows_out") + " quarantined="
                        + r.getAs("rows_quarantined") + " checks=" + r.getAs("checks_passed") + "/"
                        + r.getAs("checks_failed") + " version=" + r.getAs("output_version")));
    }

    private static Map<String, String> metrics(Path root) {
        return table(root, "_platform/quality_metrics").where("row_type = 'constraint'").collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("product") + "/" + r.getAs("constraint"),
                        r -> r.getAs("status") + " " + r.getAs("value"), (x, y) -> x + " | " + y));
    }
}
