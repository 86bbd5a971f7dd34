package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates that change the published table by key with a Delta MERGE, end to end through the CLI: the awkward cases
 * of change data capture (cdc) and of history (scd2) within a batch and across batches, an empty batch, a failed
 * batch, a replayed one, a rebuild.
 */
class ChangeTemplatesTest {
    private static final String EVENTS = """
            source: pos.orders
            format: csv
            schema:
              - { name: order_id, type: bigint }
              - { name: amount, type: "decimal(10,2)" }
              - { name: status, type: string }
              - { name: op, type: string }
              - { name: changed_at, type: timestamp }
            """;
    private static final String HEADER = "order_id,amount,status,op,changed_at\n";

    @TempDir
    Path dir;

    @Test
    void cdcAppliesEachKeysLatestEventOnceWithinAndAcrossBatches() throws Exception {
        TestMesh mesh = cdcOrders();
        mesh.land("shop", "orders", "b1.csv", HEADER + """
                1,12.00,PAID,U,2026-11-01T12:00:00
                1,10.00,NEW,I,2026-11-01T10:00:00
                2,20.00,PAID,update,2026-11-01T10:00:00
                3,,,D,2026-11-01T10:00:00
                4,40.00,NEW,I,2026-11-01T10:00:00
                4,,,d,2026-11-01T11:00:00
                5,50.00,NEW,I,2026-11-01T10:00:00
                5,50.00,NEW,I,2026-11-01T10:00:00
                6,60.00,NEW,I,2026-11-01T10:00:00
                6,60.00,NEW,D,2026-11-01T10:00:00
                """);
        // within a batch: the latest event per key; an update before its insert inserts; a delete of a key that
        // does not exist does nothing; duplicates apply once; a delete wins a tie
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        List<String> afterFirst = List.of("[1,12.00,PAID,2026-11-01 12:00:00.0]",
                "[2,20.00,PAID,2026-11-01 10:00:00.0]", "[5,50.00,NEW,2026-11-01 10:00:00.0]");
        assertThat(rows(mesh)).containsExactlyElementsOf(afterFirst);

        mesh.land("shop", "orders", "b2.csv", HEADER + """
                1,11.00,SHIPPED,U,2026-11-01T11:00:00
                1,12.00,PAID,U,2026-11-01T12:00:00
                2,,,D,2026-11-02T09:00:00
                5,55.00,PAID,U,2026-11-02T10:00:00
                7,70.00,NEW,I,
                """);
        // across batches: an event older than the published row changes nothing, a replayed one the same
        CliHarness.Result second = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        List<String> afterSecond = List.of("[1,12.00,PAID,2026-11-01 12:00:00.0]",
                "[5,55.00,PAID,2026-11-02 10:00:00.0]", "[7,70.00,NEW,null]");
        assertThat(rows(mesh)).containsExactlyElementsOf(afterSecond);

        // an empty batch commits no change; a batch with an unknown operation fails and publishes nothing
        mesh.land("shop", "orders", "b3.csv", HEADER);
        CliHarness.Result empty = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(empty.exitCode()).as(empty.out() + empty.err()).isZero();
        mesh.land("shop", "orders", "b4.csv", HEADER + "7,71.00,PAID,UPSERT,2026-11-03T10:00:00\n");
        CliHarness.Result unknown = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.out() + unknown.err()).contains("shop.orders: the cdc template cannot apply operation "
                + "'UPSERT' (column op); it is neither an upsert value [I, U, INSERT, UPDATE, C, CREATE] nor a delete "
                + "value [D, DELETE]: list it in transform.upsertValues or transform.deleteValues");
        assertThat(rows(mesh)).containsExactlyElementsOf(afterSecond);

        // rebuilding from every event gives the same table
        Files.delete(mesh.zones().resolve("shop/landing/orders/b4.csv"));
        CliHarness.Result rebuilt = ShopMesh.run(mesh, "run", "shop.orders", "--full-refresh");
        assertThat(rebuilt.exitCode()).as(rebuilt.out() + rebuilt.err()).isZero();
        assertThat(rows(mesh)).containsExactlyElementsOf(afterSecond);

        // a batch of deletes only publishes no row, and still applies
        mesh.land("shop", "orders", "b5.csv", HEADER + "7,,,D,2026-11-04T00:00:00\n");
        CliHarness.Result deletes = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(deletes.exitCode()).as(deletes.out() + deletes.err()).isZero();
        assertThat(rows(mesh)).containsExactlyElementsOf(afterSecond.subList(0, 2));
    }

    @Test
    void scd2KeepsEachKeysHistoryAndClosesKeysMissingFromASnapshot() {
        TestMesh mesh = ProductYaml.product("shop", "customers").filesBlock("pos", """
                        source: pos.orders
                        format: csv
                        schema:
                          - { name: customer_id, type: bigint }
                          - { name: name, type: string }
                          - { name: city, type: string }
                          - { name: updated_at, type: timestamp }
                        """)
                .transform("{ template: scd2, keys: [customer_id], validFrom: updated_at, closeMissing: true }")
                .mode("merge").keys("customer_id", "valid_from")
                .schema("{ name: customer_id, type: bigint }", "{ name: name, type: string }",
                        "{ name: city, type: string }", "{ name: valid_from, type: timestamp }",
                        "{ name: valid_to, type: timestamp }", "{ name: is_current, type: boolean }")
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
        String header = "customer_id,name,city,updated_at\n";
        mesh.land("shop", "orders", "s1.csv", header + """
                1,Ann,Oslo,2026-11-01T10:00:00
                1,Ann,Oslo,2026-11-01T11:00:00
                1,Ann,Bergen,2026-11-01T12:00:00
                2,Bob,Rome,2026-11-01T10:00:00
                3,Cy,Paris,2026-11-01T10:00:00
                """);
        // within a batch: an unchanged row adds no version, a change closes the one before it
        CliHarness.Result first = ShopMesh.run(mesh, "run", "shop.customers");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(history(mesh)).containsExactly(
                "[1,Ann,Oslo,2026-11-01 10:00:00.0,2026-11-01 12:00:00.0,false]",
                "[1,Ann,Bergen,2026-11-01 12:00:00.0,null,true]",
                "[2,Bob,Rome,2026-11-01 10:00:00.0,null,true]",
                "[3,Cy,Paris,2026-11-01 10:00:00.0,null,true]");

        String snapshot = header + """
                1,Ann,Bergen,2026-11-02T10:00:00
                2,Bob,Milan,2026-11-02T10:00:00
                2,Bob,Turin,2026-10-01T10:00:00
                4,Dee,Oslo,2026-11-02T10:00:00
                """;
        mesh.land("shop", "orders", "s2.csv", snapshot);
        // across batches: unchanged adds nothing, older than current is ignored, a change closes the current
        // version, a new key starts its history, a key missing from the snapshot is closed
        CliHarness.Result second = ShopMesh.run(mesh, "run", "shop.customers");
        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        List<String> expected = List.of(
                "[1,Ann,Oslo,2026-11-01 10:00:00.0,2026-11-01 12:00:00.0,false]",
                "[1,Ann,Bergen,2026-11-01 12:00:00.0,null,true]",
                "[2,Bob,Rome,2026-11-01 10:00:00.0,2026-11-02 10:00:00.0,false]",
                "[2,Bob,Milan,2026-11-02 10:00:00.0,null,true]",
                "[3,Cy,Paris,2026-11-01 10:00:00.0,closed,false]",
                "[4,Dee,Oslo,2026-11-02 10:00:00.0,null,true]");
        assertThat(history(mesh)).containsExactlyElementsOf(expected);

        // the same snapshot again changes nothing
        mesh.land("shop", "orders", "s3.csv", snapshot);
        assertThat(ShopMesh.run(mesh, "run", "shop.customers").exitCode()).isZero();
        assertThat(history(mesh)).containsExactlyElementsOf(expected);
    }

    @Test
    void changeTemplatesAreValidatedWithoutSpark() {
        TestMesh mesh = ProductYaml.shopOrders().noInputs().filesBlock("pos", EVENTS + "onSchemaMismatch: evolve\n")
                .mode("overwrite")
                .transform("{ template: cdc, operation: op, orderBy: [order_id, changed], deleteValues: [D, U] }")
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
        CliHarness.Result result = ShopMesh.run(mesh, "validate");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out() + result.err()).contains(
                "transform.template: cdc applies events to rows by key: set output.mode: merge and output.keys",
                "transform.orderBy[1]: no column 'changed'",
                "transform.deleteValues: 'U' is also an upsert value; a value means one thing",
                "transform.template: cdc publishes exactly the declared columns, but input 'pos' adds undeclared ones "
                        + "(onSchemaMismatch: evolve); declare the columns in output.schema, or use ignoreExtra");

        TestMesh history = ProductYaml.product("shop", "customers").filesBlock("pos", EVENTS)
                .transform("{ template: scd2, keys: [order_id], validFrom: changed_at, tracked: [is_current] }")
                .mode("merge").keys("order_id").schema(ProductYaml.ORDER_COLUMNS.get(0),
                        "{ name: valid_from, type: date }", "{ name: is_current, type: boolean }")
                .writeTo(TestMesh.in(dir.resolve("scd2")).domain("shop", ShopMesh.DOMAIN));
        CliHarness.Result invalid = ShopMesh.run(history, "validate");
        assertThat(invalid.exitCode()).isEqualTo(2);
        assertThat(invalid.out() + invalid.err()).contains(
                "transform.template: scd2 merges versions by key and time: set output.mode: merge and output.keys: "
                        + "[order_id, valid_from]",
                "transform.template: scd2 writes the history column valid_from: declare { name: valid_from, type: "
                        + "timestamp } in output.schema",
                "transform.template: scd2 writes the history column valid_to",
                "transform.tracked: 'is_current' is a key or history column; track the other columns");
    }

    private TestMesh cdcOrders() {
        return ProductYaml.shopOrders().noInputs().filesBlock("pos", EVENTS)
                .schema(ProductYaml.ORDER_COLUMNS.get(0), ProductYaml.ORDER_COLUMNS.get(1),
                        ProductYaml.ORDER_COLUMNS.get(2), "{ name: changed_at, type: timestamp }")
                .transform("{ template: cdc, operation: op, orderBy: [changed_at] }")
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
    }

    /** The history by key and time; a version closed at the run's time shows as {@code closed}. */
    private static List<String> history(TestMesh mesh) {
        return table(mesh, "shop/products/customers").orderBy("customer_id", "valid_from").collectAsList().stream()
                .map(row -> row.getTimestamp(4) != null && row.getTimestamp(4).toInstant().isAfter(
                        java.time.Instant.parse("2026-11-20T00:00:00Z"))
                        ? row.toString().replace(row.getTimestamp(4).toString(), "closed") : row.toString())
                .toList();
    }

    private static List<String> rows(TestMesh mesh) {
        return table(mesh, "shop/products/orders").orderBy("order_id").collectAsList().stream().map(Row::toString)
                .toList();
    }
}
