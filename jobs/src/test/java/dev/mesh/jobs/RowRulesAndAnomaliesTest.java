package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Row-level rules quarantine failing rows with every rule they broke; anomaly rules judge metrics against history. */
class RowRulesAndAnomaliesTest {
    @TempDir
    Path dir;

    @Test
    void rowsThatBreakRulesAreQuarantinedWithEveryRuleTheyBroke() {
        TestMesh mesh = ShopMesh.create(dir, "overwrite", "");
        editQuality(mesh, """
                  rowRules:
                    - { check: notNull, column: amount }
                    - { check: allowedValues, column: status, values: [NEW, PAID] }
                    - { check: range, column: amount, min: 0, max: 1000 }
                    - { check: pattern, column: status, regex: "^[A-Z]+$" }
                    - { check: satisfies, name: small_order, sql: "amount < 500" }
                  checks:
                """);
        mesh.land("shop", "orders", "day1.csv", """
                order_id,amount,status
                1,10.00,NEW
                2,,PAID
                3,-5.00,lost
                4,600.00,PAID
                5,20.00,NEW
                """);
        CliHarness.Result result = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).containsPattern("shop +orders +PUBLISHED +5 +2 +3 ");

        assertThat(table(mesh, "shop/products/orders").orderBy("order_id").collectAsList())
                .extracting(r -> r.get(0)).containsExactly(1L, 5L);
        List<Row> quarantined = table(mesh, "shop/quarantine/orders").orderBy("record").collectAsList();
        assertThat(quarantined).extracting(r -> r.getAs("record") + " " + r.getList(r.fieldIndex("reasons")))
                .containsExactly(
                        "{\"order_id\":2,\"status\":\"PAID\"} [notNull(amount)]",
                        "{\"order_id\":3,\"amount\":-5.00,\"status\":\"lost\"} [allowedValues(status), range(amount), "
                                + "pattern(status)]",
                        "{\"order_id\":4,\"amount\":600.00,\"status\":\"PAID\"} [small_order]");
        assertThat(quarantined).allSatisfy(r -> assertThat(r.<String>getAs("input")).isEqualTo("rowRules"));
        assertThat(table(mesh, "_platform/quality_metrics")
                .where("metric_name = 'QuarantineRate' AND row_type = 'metric'").head().<Double>getAs("value"))
                .isEqualTo(0.6);
    }

    @Test
    void aQuarantineRateAboveTheLimitFailsTheGate() {
        TestMesh mesh = ShopMesh.create(dir, "overwrite", "");
        editQuality(mesh, """
                  rowRules:
                    - { check: notNull, column: amount }
                  maxQuarantineRate: 0.25
                  checks:
                """);
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,,NEW\n3,,PAID\n");
        CliHarness.Result result = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).contains("maxQuarantineRate: value 66.7% is above the limit 25%: 2 of 3 records "
                + "quarantined");
        assertThat(mesh.zones().resolve("shop/products/orders")).doesNotExist();
        // the rows are still kept in quarantine, for whoever fixes the source
        assertThat(table(mesh, "shop/quarantine/orders").count()).isEqualTo(2);
    }

    @Test
    void aRowCountCollapseIsCaughtOnTheThirdRun() {
        TestMesh mesh = ShopMesh.create(dir, "overwrite", "");
        editQuality(mesh, """
                  anomalies:
                    - { metric: rowCount, maxDecrease: 0.3 }
                    - { metric: mean, column: amount, stdDevs: 3, level: warning }
                  checks:
                """);
        mesh.land("shop", "orders", "export.csv", rows(10, 10.0));
        CliHarness.Result first = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(first.exitCode()).as(first.err()).isZero();
        mesh.land("shop", "orders", "export.csv", rows(9, 10.0));
        CliHarness.Result second = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(second.exitCode()).as(second.err()).isZero();

        mesh.land("shop", "orders", "export.csv", rows(3, 10.0));
        CliHarness.Result third = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(third.exitCode()).isEqualTo(3);
        assertThat(third.out()).contains("anomaly(rowCount): anomaly: value 3 is outside the expected range; previous "
                + "9; allowed 70% to any rise of it: [6.3000, +inf]");
        assertThat(table(mesh, "shop/products/orders").count()).isEqualTo(9);

        List<Row> anomalies = table(mesh, "_platform/quality_metrics")
                .where("constraint = 'anomaly(rowCount)'").orderBy("recorded_at").collectAsList();
        assertThat(anomalies).extracting(r -> r.getAs("status") + " " + r.getAs("value") + " " + r.getAs("message"))
                .containsExactly(
                        "passed 10.0 no earlier published run: this value starts the history",
                        "passed 9.0 value 9; previous 10; allowed 70% to any rise of it: [7, +inf]",
                        "failed 3.0 anomaly: value 3 is outside the expected range; previous 9; allowed 70% to any "
                                + "rise of it: [6.3000, +inf]");
        assertThat(table(mesh, "_platform/quality_metrics").where("constraint = 'anomaly(mean(amount))'")
                .orderBy("recorded_at").collectAsList()).extracting(r -> r.<String>getAs("message"))
                .last().asString().startsWith("history of 2 runs is too short to judge deviations");
    }

    private static String rows(int count, double amount) {
        StringBuilder csv = new StringBuilder("order_id,amount,status\n");
        for (int i = 1; i <= count; i++) {
            csv.append(i).append(',').append(amount + i).append(",NEW\n");
        }
        return csv.toString();
    }

    private static void editQuality(TestMesh mesh, String replacement) {
        try {
            Path file = mesh.dir().resolve("domains/shop/products/orders.yaml");
            String content = java.nio.file.Files.readString(file);
            mesh.write("domains/shop/products/orders.yaml", content.replace("quality:\n  checks:\n",
                    "quality:\n" + replacement));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
