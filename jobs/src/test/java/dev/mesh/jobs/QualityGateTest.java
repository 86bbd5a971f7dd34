package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate: an error-level failure publishes nothing and exits 3; a warning publishes and is recorded. */
class QualityGateTest {
    @TempDir
    Path dir;

    @Test
    void failingErrorCheckBlocksPublicationAndKeepsThePreviousVersion() {
        TestMesh mesh = ShopMesh.create(dir, "merge", "- { check: completeness, column: amount, min: 0.5, level: warning }");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n3,,NEW\n");
        CliHarness.Result first = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).containsPattern("shop +orders +PUBLISHED +3 +3 +0 +4/0 +0 ");

        // a merge product reads only the new file: day1.csv was ingested by the first run
        mesh.land("shop", "orders", "day2.csv", "order_id,amount,status\n4,40.00,LOST\n5,,NEW\n");
        CliHarness.Result second = ShopMesh.run(mesh, "run", "shop.orders");

        assertThat(second.exitCode()).isEqualTo(3);
        assertThat(second.out()).containsPattern("shop +orders +GATE_FAILED +2 +0 +0 +3/1 +- ");
        assertThat(second.out()).contains("shop.orders: GATE_FAILED: quality gate blocked publication of shop.orders: "
                + "allowedValues(status): value 50% (1 of 2 rows fail it) is not 100%: some values are not in "
                + "[NEW, PAID]; failing rows, e.g. order_id=4, status=LOST");
        Dataset<Row> published = table(mesh, "shop/products/orders");
        assertThat(published.count()).isEqualTo(3);
        assertThat(published.where("order_id >= 4").count()).isZero();
        assertThat(SharedSpark.session().sql("DESCRIBE HISTORY delta.`" + mesh.zones().resolve("shop/products/orders")
                + "`").count()).isEqualTo(1);

        List<Row> runs = table(mesh, "_platform/runs").orderBy("started_at").collectAsList();
        assertThat(runs).extracting(r -> r.<String>getAs("status")).containsExactly("PUBLISHED", "GATE_FAILED");
        Row failed = runs.get(1);
        assertThat(failed.<String>getAs("error_code")).isEqualTo("QUALITY_GATE_FAILED");
        assertThat(failed.<Long>getAs("checks_failed")).isEqualTo(1);
        assertThat(failed.<Long>getAs("rows_out")).isZero();
        assertThat(failed.isNullAt(failed.fieldIndex("output_version"))).isTrue();

        List<Row> metrics = table(mesh, "_platform/quality_metrics")
                .where("run_id = '" + failed.getAs("run_id") + "' AND row_type = 'constraint'")
                .orderBy("constraint").collectAsList();
        assertThat(metrics).extracting(r -> r.getAs("constraint") + " " + r.getAs("status") + " " + r.getAs("value"))
                .containsExactly("allowedValues(status) failed 0.5", "complete(order_id) passed 1.0",
                        "completeness(amount) passed 0.5", "unique(order_id) passed 1.0");
    }

    @Test
    void failingWarningCheckPublishesAndIsRecorded() {
        TestMesh mesh = ShopMesh.create(dir, "overwrite",
                "- { check: completeness, column: amount, min: 0.9, level: warning }");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,,PAID\n");
        CliHarness.Result result = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("shop.orders: warning: completeness(amount): value 50% (1 of 2 rows fail "
                + "it) is below the required completeness 90%");
        assertThat(table(mesh, "shop/products/orders").count()).isEqualTo(2);
        assertThat(table(mesh, "_platform/quality_metrics")
                .where("constraint = 'completeness(amount)' AND level = 'WARNING' AND status = 'failed'").count())
                .isEqualTo(1);
    }

    @Test
    void aBlockedGateShowsTheFailingRowsWithPersonalDataWithheld() {
        TestMesh mesh = ProductYaml.shopOrders().noInputs().files("pos", "{ source: pos.orders, format: csv }")
                .mode("merge").keys("order_id")
                .schema("{ name: order_id, type: bigint }", "{ name: amount, type: \"decimal(10,2)\" }",
                        "{ name: email, type: string, classification: pii }")
                .checks("{ check: min, column: amount, atLeast: 0 }",
                        "{ check: pattern, column: email, regex: \"^[a-z]+@example\\\\.com$\" }")
                .section("access: { visibility: domain }")
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,email\n1,10.00,ann@example.com\n"
                + "2,-5.00,bob@example.com\n3,7.00,planted-secret@elsewhere.test\n");
        CliHarness.Result run = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
        assertThat(run.out()).contains("min(amount): value -5.0 is outside [0.0, +inf] (1 of 3 rows below 0.0); "
                + "failing rows, e.g. order_id=2, amount=-5.00",
                "pattern(email): value 66.7% (1 of 3 rows fail it) is below the required share 100% of values "
                        + "matching ^[a-z]+@example\\.com$; failing rows, e.g. order_id=3, email=(withheld)")
                .doesNotContain("planted-secret");
        List<Row> metrics = table(mesh, "_platform/quality_metrics").collectAsList();
        assertThat(metrics).extracting(r -> r.<String>getAs("message"))
                .anyMatch(m -> m.contains("failing rows, e.g. order_id=2, amount=-5.00"))
                .noneMatch(m -> m.contains("planted-secret"));
    }

    static Dataset<Row> table(TestMesh mesh, String relative) {
        return SharedSpark.session().read().format("delta").load(mesh.zones().resolve(relative).toString());
    }
}
