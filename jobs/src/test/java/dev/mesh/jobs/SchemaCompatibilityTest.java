package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema compatibility at run time: a breaking change of the published schema needs a new major version; a consumer
 * that pins the older major blocks it, naming itself; a merge product starts its new major from a rebuild; a
 * consumer pinned to a major that is no longer published is refused; additive changes pass and are recorded.
 */
class SchemaCompatibilityTest {
    @TempDir
    Path dir;

    @Test
    void aBreakingChangeNeedsANewMajorVersionThatNoConsumerStillPins() {
        TestMesh mesh = orders("1.0.0", ProductYaml.ORDER_COLUMNS).writeTo(TestMesh.in(dir).domain("shop",
                ShopMesh.DOMAIN));
        daily(mesh, 1);
        mesh.land("shop", "orders", "o1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        assertThat(ShopMesh.run(mesh, "run", "--all").exitCode()).isZero();

        // the status column dropped under the same major version
        List<String> withoutStatus = ProductYaml.ORDER_COLUMNS.subList(0, 2);
        orders("1.1.0", withoutStatus).writeTo(mesh);
        // a pull request's CI sees it before any run: validate alone judges the spec, --against-published the change
        assertThat(ShopMesh.run(mesh, "validate").exitCode()).isZero();
        CliHarness.Result checked = ShopMesh.run(mesh, "validate", "--against-published");
        assertThat(checked.exitCode()).isEqualTo(2);
        assertThat(checked.out()).contains("breaking: shop.orders (", "the declared output breaks the schema its "
                + "consumers read (major version 1): column 'status' removed (or renamed)", "against what was "
                + "published: 2 of 2 products published; 1 compatible, 0 under a new major, 1 breaking")
                .doesNotContain("valid: platform");
        CliHarness.Result planned = ShopMesh.run(mesh, "plan", "shop.orders", "--against-published");
        assertThat(planned.exitCode()).isEqualTo(2);
        assertThat(planned.out()).contains("wave 1:", "breaking: shop.orders (");
        CliHarness.Result sameMajor = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(sameMajor.exitCode()).isEqualTo(2);
        assertThat(sameMajor.out() + sameMajor.err()).contains("the declared output breaks the schema its consumers "
                + "read (major version 1): column 'status' removed (or renamed); keep the published columns, types, "
                + "requirements and keys (adding columns is fine), or publish a new major version (version: 2.0.0)");

        // a new major, while shop.daily still relies on the first
        orders("2.0.0", withoutStatus).writeTo(mesh);
        CliHarness.Result pinnedInCi = ShopMesh.run(mesh, "validate", "--against-published");
        assertThat(pinnedInCi.exitCode()).isEqualTo(2);
        assertThat(pinnedInCi.out()).contains("which shop.daily (reads @1) still relies on; their owners move to @2");
        CliHarness.Result pinned = ShopMesh.run(mesh, "run", "shop.orders", "--full-refresh");
        assertThat(pinned.exitCode()).isEqualTo(2);
        assertThat(pinned.out() + pinned.err()).contains("shop.orders: version 2.0.0 breaks the schema of major "
                + "version 1 (column 'status' removed (or renamed)), which shop.daily (reads @1) still relies on; "
                + "their owners move to @2 first");
        assertThat(table(mesh, "shop/products/orders").columns()).contains("status");

        // the consumer moves on; a merge product starts the new major from a rebuild
        daily(mesh, 2);
        CliHarness.Result newMajor = ShopMesh.run(mesh, "validate", "--against-published");
        assertThat(newMajor.exitCode()).as(newMajor.out()).isZero();
        assertThat(newMajor.out()).contains("new major: shop.orders publishes major 2: column 'status' removed (or "
                + "renamed); its next run rebuilds it: mesh run shop.orders --full-refresh", "1 compatible, 1 under a "
                + "new major, 0 breaking", "valid: platform");
        CliHarness.Result merged = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(merged.exitCode()).isEqualTo(2);
        assertThat(merged.out() + merged.err()).contains("a new major version of an append or merge product starts "
                + "from its inputs: mesh run shop.orders --full-refresh");
        CliHarness.Result rebuilt = ShopMesh.run(mesh, "run", "shop.orders", "--full-refresh");
        assertThat(rebuilt.exitCode()).as(rebuilt.out() + rebuilt.err()).isZero();
        assertThat(table(mesh, "shop/products/orders").columns()).containsExactly("order_id", "amount");
        assertThat(rebuilt.out()).contains("shop.orders: schema changed: major 2: column 'status' removed (or "
                + "renamed)");
        Row last = table(mesh, "_platform/runs").orderBy(org.apache.spark.sql.functions.col("started_at").desc())
                .head();
        assertThat(last.getList(last.fieldIndex("schema_changes"))).containsExactly(
                "major 2: column 'status' removed (or renamed)");
        assertThat(ShopMesh.run(mesh, "run", "shop.daily").exitCode()).isZero();

        // a consumer pinned to a major no longer published is refused before it reads
        daily(mesh, 1);
        orders("2.0.0", withoutStatus).version("1.0.0");
        CliHarness.Result stale = ShopMesh.run(mesh, "run", "shop.daily");
        assertThat(stale.out() + stale.err()).contains("input 'orders' of shop.daily relies on major version 1 of "
                + "shop.orders (product: shop.orders@1), but it is published at major version 2; check what changed "
                + "and read @2");
    }

    @Test
    void aRefusedBreakingChangeNamesTheDownstreamColumnsItBreaks() {
        TestMesh mesh = orders("1.0.0", ProductYaml.ORDER_COLUMNS).writeTo(TestMesh.in(dir).domain("shop",
                ShopMesh.DOMAIN));
        ProductYaml.product("shop", "by_status").reads("o", "shop.orders")
                .sql("SELECT upper(status) AS state, sum(amount) AS total FROM o GROUP BY upper(status)")
                .schema("{ name: state, type: string }", "{ name: total, type: \"decimal(20,2)\" }").writeTo(mesh);
        ProductYaml.product("shop", "states").reads("s", "shop.by_status")
                .sql("SELECT lower(state) AS name FROM s").schema("{ name: name, type: string }").writeTo(mesh);
        ProductYaml.product("shop", "amounts").reads("o", "shop.orders")
                .sql("SELECT order_id, amount FROM o").schema("{ name: order_id, type: bigint }",
                        "{ name: amount, type: \"decimal(10,2)\" }").writeTo(mesh);
        mesh.land("shop", "orders", "o1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();

        orders("1.1.0", ProductYaml.ORDER_COLUMNS.subList(0, 2)).writeTo(mesh);
        CliHarness.Result checked = ShopMesh.run(mesh, "validate", "--against-published",
                mesh.dir().resolve("domains/shop/products/orders.yaml").toString());
        assertThat(checked.exitCode()).isEqualTo(2);
        assertThat(checked.out()).contains("downstream, it changes shop.by_status.state <- o.status, "
                + "shop.by_status.total <- o.status, shop.states.name <- s.state", "1 of 1 products published");
        CliHarness.Result refused = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(refused.exitCode()).isEqualTo(2);
        // by_status groups by the column, so all its columns change; states reads one of them; amounts reads none
        assertThat(refused.out() + refused.err()).contains("column 'status' removed (or renamed); downstream, it "
                + "changes shop.by_status.state <- o.status, shop.by_status.total <- o.status, shop.states.name <- "
                + "s.state; keep the published columns").doesNotContain("shop.amounts");
    }

    @Test
    void aProtectionThatRemovesPublishedValuesNeedsANewMajorVersion() {
        TestMesh mesh = orders("1.0.0", ProductYaml.ORDER_COLUMNS).writeTo(TestMesh.in(dir).domain("shop",
                ShopMesh.DOMAIN));
        mesh.land("shop", "orders", "o1.csv", "order_id,amount,status\n1,10.00,NEW\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        List<String> kept = ProductYaml.ORDER_COLUMNS.subList(0, 2);
        for (String protection : List.of("drop", "redact")) {
            List<String> columns = new java.util.ArrayList<>(kept);
            columns.add("{ name: status, type: string, classification: pii, protection: " + protection + " }");
            orders("1.1.0", columns).writeTo(mesh);
            CliHarness.Result minor = ShopMesh.run(mesh, "run", "shop.orders");
            assertThat(minor.exitCode()).isEqualTo(2);
            assertThat(minor.out()).contains("the declared output breaks the schema its consumers read (major "
                    + "version 1): " + (protection.equals("drop") ? "column 'status' removed (or renamed)"
                    : "column 'status' published redacted instead of as it is (its values change)"));
        }
        assertThat(table(mesh, "shop/products/orders").collectAsList()).extracting(Row::toString)
                .containsExactly("[1,10.00,NEW]");
    }

    @Test
    void anAddedColumnIsCompatibleAndRecorded() {
        TestMesh mesh = orders("1.0.0", ProductYaml.ORDER_COLUMNS).writeTo(TestMesh.in(dir).domain("shop",
                ShopMesh.DOMAIN));
        mesh.land("shop", "orders", "o1.csv", "order_id,amount,status,channel\n1,10.00,NEW,web\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        orders("1.1.0", List.of(ProductYaml.ORDER_COLUMNS.get(0), ProductYaml.ORDER_COLUMNS.get(1),
                ProductYaml.ORDER_COLUMNS.get(2), "{ name: channel, type: string }")).writeTo(mesh);
        mesh.land("shop", "orders", "o2.csv", "order_id,amount,status,channel\n2,20.00,PAID,shop\n");
        CliHarness.Result added = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(added.exitCode()).as(added.out() + added.err()).isZero();
        assertThat(added.out()).contains("shop.orders: schema changed: added channel string");
        assertThat(table(mesh, "shop/products/orders").orderBy("order_id").collectAsList()).extracting(Row::toString)
                .containsExactly("[1,10.00,NEW,null]", "[2,20.00,PAID,shop]");
    }

    private static ProductYaml orders(String version, List<String> columns) {
        return ProductYaml.shopOrders().noInputs()
                .files("pos", "{ source: pos.orders, format: csv, onSchemaMismatch: ignoreExtra }")
                .version(version).schema(columns);
    }

    private static void daily(TestMesh mesh, int major) {
        ProductYaml.product("shop", "daily").reads("orders", "shop.orders@" + major)
                .sql("SELECT count(*) AS orders FROM orders").schema("{ name: orders, type: bigint }")
                .writeTo(mesh);
    }
}
