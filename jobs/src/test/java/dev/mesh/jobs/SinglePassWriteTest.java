package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that overwrites or appends to a published product in one pass: it writes the candidate's files uncommitted,
 * counts what it read on the way, quarantines only what needs it, gates the written files and commits them, or
 * deletes them. What it publishes, counts and quarantines is what the two-pass path would; a blocked run leaves the
 * table and its directory as they were.
 */
class SinglePassWriteTest {
    private static final String QUALITY = """
            rowRules:
              - { check: range, column: amount, min: 0 }
            checks:
              - { check: allowedValues, column: status, values: [NEW, PAID] }
              - { check: rowCount, min: 1 }
            """;

    @TempDir
    Path dir;

    @Test
    void aRunOverAPublishedProductWritesInOnePassAndCountsWhatItRead() {
        TestMesh mesh = shop("overwrite");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        CliHarness.Result first = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();

        mesh.land("shop", "orders", "day2.csv", "order_id,amount,status\n3,30.00,NEW\n4,abc,NEW\n5,-5.00,PAID\n"
                + "6,60.00,PAID\n");
        CliHarness.Result second = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();

        List<Row> runs = table(mesh, "_platform/runs").orderBy("started_at").collectAsList();
        // the first run created the table in one pass too (CostOfTheChangeTest)
        assertThat(stages(runs.get(0))).containsKeys("write", "commit").doesNotContainKeys("read", "transform");
        Map<String, Long> onePass = stages(runs.get(1));
        assertThat(onePass).containsKeys("write", "checks", "commit").doesNotContainKeys("read", "transform");
        Row run = runs.get(1);
        assertThat(run.<String>getAs("status")).isEqualTo("PUBLISHED");
        assertThat(run.<Long>getAs("rows_in")).isEqualTo(6);
        assertThat(run.<Long>getAs("rows_out")).isEqualTo(4);
        assertThat(run.<Long>getAs("rows_quarantined")).isEqualTo(2);
        assertThat(run.<String>getAs("inputs")).contains("\"records\":6");

        assertThat(table(mesh, "shop/products/orders").orderBy("order_id").collectAsList())
                .extracting(row -> row.getLong(0) + " " + row.getDecimal(1) + " " + row.getString(2))
                .containsExactly("1 10.00 NEW", "2 20.00 PAID", "3 30.00 NEW", "6 60.00 PAID");
        assertThat(table(mesh, "shop/quarantine/orders").where("run_id = '" + run.getAs("run_id") + "'")
                .orderBy("record").collectAsList())
                .extracting(row -> row.<String>getAs("input") + " " + row.getList(row.fieldIndex("reasons")))
                .containsExactly("pos [column 'amount': 'abc' is not a decimal(10,2)]", "rowRules [range(amount)]");
        Row commit = SharedSpark.session().sql("DESCRIBE HISTORY delta.`" + mesh.zones().resolve("shop/products/orders")
                + "`").orderBy("version").collectAsList().get(1);
        assertThat(commit.<String>getAs("operation")).isEqualTo("WRITE");
        assertThat(commit.<String, String>getJavaMap(commit.fieldIndex("operationParameters")))
                .containsEntry("mode", "Overwrite");
        assertThat(commit.<String>getAs("userMetadata")).contains(run.<String>getAs("run_id")).contains("day2.csv");
    }

    @Test
    void aBlockedOnePassRunLeavesTheTableAndItsDirectoryAsTheyWere() throws IOException {
        // partitioned by a column whose new value needs escaping in the folder name and in the log's paths
        TestMesh mesh = ProductYaml.shopOrders().mode("overwrite").partitionBy("status").quality(QUALITY)
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        Path product = mesh.zones().resolve("shop/products/orders");
        List<Path> filesBefore = dataFiles(product);

        mesh.land("shop", "orders", "day2.csv", "order_id,amount,status\n3,30.00,LOST:1 %\n");
        CliHarness.Result blocked = ShopMesh.run(mesh, "run", "shop.orders");

        assertThat(blocked.exitCode()).as(blocked.out() + blocked.err()).isEqualTo(3);
        assertThat(blocked.out()).contains("allowedValues(status)");
        Row run = table(mesh, "_platform/runs").orderBy("started_at").collectAsList().get(1);
        assertThat(stages(run)).doesNotContainKeys("read", "transform");
        assertThat(table(mesh, "shop/products/orders").count()).isEqualTo(2);
        assertThat(SharedSpark.session().sql("DESCRIBE HISTORY delta.`" + product + "`").count()).isEqualTo(1);
        // the files the blocked run wrote were never committed, and are gone
        assertThat(dataFiles(product)).containsExactlyInAnyOrderElementsOf(filesBefore);
    }

    @Test
    void anAppendProductAddsOnlyTheNewFileInOnePassAndThenIsUpToDate() {
        TestMesh mesh = shop("append");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        mesh.land("shop", "orders", "day2.csv", "order_id,amount,status\n3,30.00,NEW\n4,-1.00,NEW\n");

        CliHarness.Result second = ShopMesh.run(mesh, "run", "shop.orders");
        CliHarness.Result third = ShopMesh.run(mesh, "run", "shop.orders");

        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(third.exitCode()).as(third.out() + third.err()).isZero();
        List<Row> runs = table(mesh, "_platform/runs").orderBy("started_at").collectAsList();
        assertThat(runs).extracting(row -> row.<String>getAs("status"))
                .containsExactly("PUBLISHED", "PUBLISHED", "UP_TO_DATE");
        assertThat(stages(runs.get(1))).doesNotContainKeys("read", "transform");
        assertThat(runs.get(1).<Long>getAs("rows_in")).isEqualTo(2);
        assertThat(table(mesh, "shop/products/orders").orderBy("order_id").collectAsList())
                .extracting(row -> row.getLong(0)).containsExactly(1L, 2L, 3L);
        Row commit = SharedSpark.session().sql("DESCRIBE HISTORY delta.`" + mesh.zones().resolve("shop/products/orders")
                + "`").orderBy("version").collectAsList().get(1);
        assertThat(commit.<String, String>getJavaMap(commit.fieldIndex("operationParameters")))
                .containsEntry("mode", "Append");
        // the ingest ledger knows the day's file is published: the rerun found nothing new
        assertThat(third.out()).containsPattern("shop +orders +UP_TO_DATE");
    }

    private TestMesh shop(String mode) {
        return ProductYaml.shopOrders().mode(mode).quality(QUALITY)
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
    }

    private static Map<String, Long> stages(Row run) {
        return run.getJavaMap(run.fieldIndex("stage_ms"));
    }

    private static List<Path> dataFiles(Path table) throws IOException {
        try (Stream<Path> files = Files.walk(table)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".parquet"))
                    .filter(file -> !file.toString().contains("_delta_log")).sorted().toList();
        }
    }
}
