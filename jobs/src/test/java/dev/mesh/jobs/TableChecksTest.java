package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks judge the table consumers read, not only the batch a run adds: a stricter check on an append product is
 * evaluated over the whole published table by the next run (once), and {@code mesh check} evaluates the current
 * checks on demand; both are recorded as CHECKED runs whose verdict reaches the SLA's quality score.
 */
class TableChecksTest {
    @TempDir
    Path dir;

    private TestMesh orders(String... checks) {
        return ProductYaml.shopOrders().mode("append").keys().checks(checks)
                .section("sla: { minQualityScore: 0.95, window: P7D }")
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
    }

    @Test
    void aStricterCheckIsJudgedOverTheWholePublishedTableByTheNextRunAndByMeshCheck() {
        TestMesh mesh = orders("{ check: allowedValues, column: status, values: [NEW, PAID] }");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,-5.00,PAID\n3,7.00,NEW\n");
        CliHarness.Result first = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();

        // the owner adds a check the published rows break; no new file lands
        orders("{ check: allowedValues, column: status, values: [NEW, PAID] }",
                "{ check: min, column: amount, atLeast: 0 }");
        CliHarness.Result second = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).containsPattern("shop +orders +UP_TO_DATE ");
        List<Row> runs = QualityGateTest.table(mesh, "_platform/runs").orderBy("finished_at").collectAsList();
        assertThat(runs).extracting(r -> r.<String>getAs("status"))
                .containsExactly("PUBLISHED", "UP_TO_DATE", "CHECKED");
        Row checked = runs.get(2);
        assertThat(checked.<Long>getAs("checks_failed")).isEqualTo(1);
        assertThat(checked.<Long>getAs("rows_in")).isEqualTo(3);
        assertThat(checked.<String>getAs("error_code")).isEqualTo("QUALITY_GATE_FAILED");
        assertThat(checked.<String>getAs("error")).contains("the published table of shop.orders (version 0, 3 rows) "
                + "fails its checks: min(amount): value -5.0 is outside [0.0, +inf] (1 of 3 rows below 0.0); failing "
                + "rows, e.g. order_id=2, amount=-5.00");
        assertThat(runs.get(0).<String>getAs("judged_checks")).isNotNull()
                .isNotEqualTo(checked.<String>getAs("judged_checks"));
        assertThat(QualityGateTest.table(mesh, "_platform/quality_metrics")
                .where("run_id = '" + checked.getAs("run_id") + "' AND row_type = 'constraint'")
                .orderBy("constraint").collectAsList())
                .extracting(r -> r.getAs("constraint") + " " + r.getAs("status"))
                .containsExactly("allowedValues(status) passed", "complete(order_id) passed", "min(amount) failed");

        // judged once: the next run with nothing new scans nothing
        CliHarness.Result third = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(third.exitCode()).isZero();
        assertThat(QualityGateTest.table(mesh, "_platform/runs").where("status = 'CHECKED'").count()).isEqualTo(1);

        CliHarness.Result check = ShopMesh.run(mesh, "check", "shop.orders");
        assertThat(check.exitCode()).as(check.out() + check.err()).isEqualTo(3);
        assertThat(check.out()).containsPattern("shop +orders +CHECKED +0 +3 +2/1 ")
                .contains("shop.orders: fails: min(amount): value -5.0 is outside [0.0, +inf] (1 of 3 rows below "
                        + "0.0); failing rows, e.g. order_id=2, amount=-5.00",
                        "1 product checked: 0 pass, 1 fails (error-level checks); 0 not checked");
        // the published table is as it was: a check writes nothing to it
        assertThat(QualityGateTest.table(mesh, "shop/products/orders").count()).isEqualTo(3);

        // the verdicts reach the quality score; a check is not a run of the pipeline in the success rate
        CliHarness.Result sla = ShopMesh.run(mesh, "sla", "shop");
        assertThat(sla.out()).as(sla.out() + sla.err()).contains("breached")
                .containsPattern("quality score 0\\.\\d+ over \\S+, floor 0\\.95");
        assertThat(sla.out()).doesNotContain("runs over 7d succeeded");
    }

    @Test
    void theTableMeetsTheFixedCheckAndTheSlaRecovers() {
        TestMesh mesh = orders("{ check: min, column: amount, atLeast: 0 }");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,5.00,PAID\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        CliHarness.Result check = ShopMesh.run(mesh, "check", "shop.orders", "--output", "json");
        assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("\"status\":\"CHECKED\"", "\"exit_code\":0");
    }

    @Test
    void aProductNotPublishedYetHasNoTableToCheck() {
        TestMesh mesh = orders("{ check: min, column: amount, atLeast: 0 }");
        CliHarness.Result check = ShopMesh.run(mesh, "check", "shop.orders");
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.out()).contains("shop.orders: FAILED: shop.orders is not published yet: there is no table "
                + "to check; run it first: mesh run shop.orders");
        assertThat(check.out() + check.err()).doesNotContain("Exception");
    }
}
