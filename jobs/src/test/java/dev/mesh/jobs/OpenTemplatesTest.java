package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A template added in its own files (dedupe: a descriptor and its Spark side, registered through ServiceLoader) is
 * listed, validated and run like the built-in ones, through the CLI.
 */
class OpenTemplatesTest {
    @TempDir
    Path dir;

    @Test
    void templatesListsEveryTemplateWithItsParameters() {
        CliHarness.Result all = CliHarness.run("templates");
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.out()).contains("ingest: publishes the product's one input as declared",
                "  transform: { template: ingest }",
                "sql: one Spark SQL query over the inputs", "  transform: { template: sql, sql: ... }",
                "dedupe: keeps the latest row per key", "  transform: { template: dedupe, keys: [...], orderBy: [...] }");
        assertThat(all.out()).containsPattern("  keys +string list +\\(required\\) +the output columns that "
                + "identify a row");
        assertThat(all.out()).doesNotContain("no Spark implementation");
        assertThat(all.out()).contains("cdc: applies change events", "scd2: keeps each key's history",
                "jdbc: a database table or query; connection details from environment variables only",
                "mesh init product DOMAIN.NAME --template T");

        CliHarness.Result typo = CliHarness.run("templates", "dedup");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).contains("error: no template 'dedup'; did you mean 'dedupe'? (templates: ingest, sql, "
                + "dedupe, cdc, scd2)");
    }

    @Test
    void aDedupeProductPublishesTheLatestRowPerKeyAndMergesLaterBatches() {
        TestMesh mesh = ProductYaml.shopOrders().noInputs().filesBlock("pos", """
                        source: pos.orders
                        format: csv
                        options: { header: "true" }
                        schema:
                          - { name: order_id, type: bigint }
                          - { name: amount, type: "decimal(10,2)" }
                          - { name: status, type: string }
                          - { name: updated_at, type: timestamp }
                        """)
                .transform("{ template: dedupe, keys: [order_id], orderBy: [updated_at] }")
                .checks("{ check: unique, column: order_id }")
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
        mesh.land("shop", "orders", "day1.csv", """
                order_id,amount,status,updated_at
                1,10.00,NEW,2026-11-01T10:00:00
                1,10.00,PAID,2026-11-01T12:00:00
                2,20.00,NEW,2026-11-01T09:00:00
                """);
        CliHarness.Result first = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(table(mesh, "shop/products/orders").orderBy("order_id").collectAsList())
                .extracting(Object::toString).containsExactly("[1,10.00,PAID]", "[2,20.00,NEW]");

        mesh.land("shop", "orders", "day2.csv", """
                order_id,amount,status,updated_at
                2,20.00,PAID,2026-11-02T08:00:00
                2,21.00,PAID,2026-11-02T09:30:00
                3,30.00,NEW,2026-11-02T10:00:00
                """);
        CliHarness.Result second = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(table(mesh, "shop/products/orders").orderBy("order_id").collectAsList())
                .extracting(Object::toString).containsExactly("[1,10.00,PAID]", "[2,21.00,PAID]", "[3,30.00,NEW]");
    }
}
