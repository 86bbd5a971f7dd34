package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.ReliabilityLedger;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs that race: two runs of one product over the same data publish it once, and each says plainly what it did;
 * products writing the platform tables at the same moment lose no record.
 */
class ConcurrentRunsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"overwrite", "append", "merge"})
    void twoRunsOfOneProductOverTheSameDataPublishItOnce(String mode) throws Exception {
        TestMesh mesh = ShopMesh.create(dir, mode, "");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n3,5.00,NEW\n");
        assertThat(ShopMesh.run(mesh, "provision").exitCode()).isZero();

        List<CliHarness.Result> results = concurrently(() -> ShopMesh.run(mesh, "run", "shop.orders"),
                () -> ShopMesh.run(mesh, "run", "shop.orders"));

        for (CliHarness.Result result : results) {
            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            assertThat(result.err()).doesNotContain("Exception", "\tat ");
        }
        assertThat(results.stream().map(CliHarness.Result::out).toList())
                .anyMatch(out -> out.matches("(?s).*shop +orders +PUBLISHED .*"))
                .anyMatch(out -> out.matches("(?s).*shop +orders +(UP_TO_DATE|PUBLISHED) .*"));
        List<String> rows = table(mesh, "shop/products/orders").orderBy("order_id").collectAsList().stream()
                .map(Row::toString).toList();
        List<String> expected = List.of("[1,10.00,NEW]", "[2,20.00,PAID]", "[3,5.00,NEW]");
        ReliabilityLedger.trial("concurrent runs", 1, 2, expected, rows);
        assertThat(rows).containsExactlyElementsOf(expected);
        List<Row> runs = table(mesh, "_platform/runs").collectAsList();
        assertThat(runs).as("both runs recorded").hasSize(2);
        assertThat(runs).extracting(r -> r.<String>getAs("status"))
                .allMatch(status -> status.equals("PUBLISHED") || status.equals("UP_TO_DATE"));
    }

    @Test
    void productsRecordingAtTheSameMomentLoseNoRecord() throws Exception {
        TestMesh mesh = ShopMesh.create(dir, "overwrite", "");
        for (String name : List.of("a", "b", "c")) {
            dev.mesh.spec.testing.ProductYaml.product("shop", name).reads("orders", "shop.orders")
                    .sql("SELECT order_id, amount FROM orders WHERE status <> '" + name + "'")
                    .schema("{ name: order_id, type: bigint }", "{ name: amount, type: \"decimal(10,2)\" }")
                    .writeTo(mesh);
        }
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        CliHarness.Result result = ShopMesh.run(mesh, "run", "--all", "--parallel", "3");
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        List<String> recorded = table(mesh, "_platform/runs").where("status = 'PUBLISHED'").collectAsList().stream()
                .map(row -> row.<String>getAs("product")).toList();
        ReliabilityLedger.trial("concurrent runs", 1, 4, List.of("orders", "a", "b", "c"), recorded);
        assertThat(recorded).hasSize(4);
        assertThat(table(mesh, "_platform/usage").where("kind = 'run'").count()).isEqualTo(4);
        assertThat(table(mesh, "_platform/quality_metrics").select("run_id").distinct().count()).isEqualTo(4);
    }

    @SafeVarargs
    private static <T> List<T> concurrently(Callable<T>... calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.length);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(pool.submit(call));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
