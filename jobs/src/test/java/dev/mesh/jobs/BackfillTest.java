package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mesh run --partitions}: a range of a product rebuilt from its inputs in one commit that replaces exactly the
 * rows of the range, leaving the others and the product's ingest state as they were.
 */
class BackfillTest {
    private static final String SQL = "SELECT order_id, amount, order_date FROM pos";

    @TempDir
    Path dir;

    @Test
    void aRangeIsRebuiltInOneCommitAndNothingElseChanges() {
        TestMesh mesh = orders(SQL);
        mesh.land("shop", "orders", "f1.csv", """
                order_id,amount,order_date
                1,10.00,2026-11-01
                2,20.00,2026-11-01
                3,30.00,2026-11-02
                """);
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();

        // the transformation is fixed; only November 1st is rebuilt with it
        orders(SQL.replace("amount,", "amount * 2 AS amount,"));
        CliHarness.Result backfill = ShopMesh.run(mesh, "run", "shop.orders", "--partitions",
                "order_date = DATE'2026-11-01'");
        assertThat(backfill.exitCode()).as(backfill.out() + backfill.err()).isZero();
        assertThat(rows(mesh)).containsExactly("[1,20.00,2026-11-01]", "[2,40.00,2026-11-01]",
                "[3,30.00,2026-11-02]");
        Row last = SharedSpark.session().sql("DESCRIBE HISTORY delta.`" + mesh.zones().resolve("shop/products/orders")
                + "`").orderBy(functions.col("version").desc()).head();
        assertThat(last.<String>getAs("operation")).isEqualTo("WRITE");
        assertThat(last.getJavaMap(last.fieldIndex("operationParameters")).get("predicate").toString())
                .contains("2026-11-01");
        assertThat(last.<String>getAs("userMetadata")).contains("\"replaceWhere\":\"order_date = DATE'2026-11-01'\"");

        // the files stay published: nothing to read again, and a new file is read alone
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").out()).contains("UP_TO_DATE");
        mesh.land("shop", "orders", "f2.csv", "order_id,amount,order_date\n4,4.00,2026-11-03\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        assertThat(rows(mesh)).hasSize(4).contains("[4,8.00,2026-11-03]");
    }

    @Test
    void aBackfillRefusesWhatItCannotDoWholly() {
        TestMesh mesh = orders(SQL);
        mesh.land("shop", "orders", "f1.csv", "order_id,amount,order_date\n1,10.00,2026-11-01\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        mesh.land("shop", "orders", "f2.csv", "order_id,amount,order_date\n2,20.00,2026-11-01\n");

        CliHarness.Result waiting = ShopMesh.run(mesh, "run", "shop.orders", "--partitions",
                "order_date = DATE'2026-11-01'");
        assertThat(waiting.exitCode()).isEqualTo(2);
        assertThat(waiting.out() + waiting.err()).contains("shop.orders: 1 landing file(s) are not published yet",
                "f2.csv); run mesh run shop.orders first, then rebuild the range");

        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        CliHarness.Result unknown = ShopMesh.run(mesh, "run", "shop.orders", "--partitions", "day = 1");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.out() + unknown.err()).contains("shop.orders: --partitions \"day = 1\" is not a condition "
                + "on the output's columns (order_id, amount, order_date)");
        CliHarness.Result both = ShopMesh.run(mesh, "run", "shop.orders", "--partitions", "order_id = 1",
                "--full-refresh");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(rows(mesh)).containsExactly("[1,10.00,2026-11-01]", "[2,20.00,2026-11-01]");
    }

    private TestMesh orders(String sql) {
        return ProductYaml.shopOrders().noInputs().filesBlock("pos", """
                        source: pos.orders
                        format: csv
                        schema:
                          - { name: order_id, type: bigint }
                          - { name: amount, type: "decimal(10,2)" }
                          - { name: order_date, type: date }
                        """)
                .sql(sql).mode("append").keys().partitionBy("order_date")
                .schema("{ name: order_id, type: bigint }", "{ name: amount, type: \"decimal(10,2)\" }",
                        "{ name: order_date, type: date }")
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
    }

    private static List<String> rows(TestMesh mesh) {
        return table(mesh, "shop/products/orders").orderBy("order_id").collectAsList().stream().map(Row::toString)
                .toList();
    }
}
