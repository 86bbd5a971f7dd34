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
 * Versions side by side: a producer publishes a new major while keeping the old one for a deprecation window, both
 * from one spec; a consumer pinned to the old major keeps reading it, in its columns, as the product moves on; the
 * old major is retired (audited) only once the window has ended and no consumer pins it.
 */
class KeptMajorsTest {
    @TempDir
    Path dir;

    private static ProductYaml orders(String version, List<String> columns, String versions) {
        ProductYaml yaml = ProductYaml.shopOrders().noInputs()
                .files("pos", "{ source: pos.orders, format: csv, onSchemaMismatch: ignoreExtra }")
                .version(version).schema(columns);
        return versions.isEmpty() ? yaml : yaml.section("versions:\n" + versions.indent(2).stripTrailing());
    }

    private static void byStatus(TestMesh mesh, int major, String query) {
        ProductYaml.product("shop", "by_status").reads("orders", "shop.orders@" + major).sql(query)
                .schema("{ name: status, type: string }", "{ name: n, type: bigint }").writeTo(mesh);
    }

    @Test
    void aNewMajorIsPublishedBesideTheOldOneWhichPinnedConsumersReadUntilItIsRetired() throws Exception {
        TestMesh mesh = orders("1.0.0", ProductYaml.ORDER_COLUMNS, "").writeTo(TestMesh.in(dir).domain("shop",
                ShopMesh.DOMAIN));
        byStatus(mesh, 1, "SELECT status, count(*) AS n FROM orders GROUP BY status");
        mesh.land("shop", "orders", "o1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        assertThat(ShopMesh.run(mesh, "run", "--all").exitCode()).isZero();

        // major 2 drops status; keeping major 1 without saying how its status is made is refused before publishing
        List<String> withoutStatus = ProductYaml.ORDER_COLUMNS.subList(0, 2);
        orders("2.0.0", withoutStatus, "1: { until: 2099-12-31 }").writeTo(mesh);
        CliHarness.Result unmade = ShopMesh.run(mesh, "run", "shop.orders", "--full-refresh");
        assertThat(unmade.exitCode()).isEqualTo(2);
        assertThat(unmade.out() + unmade.err()).contains("shop.orders keeps major 1, whose column 'status' the "
                + "current output no longer has; say how it is made from the current columns: "
                + "versions.1.columns.status");
        assertThat(table(mesh, "shop/products/orders").columns()).contains("status");

        orders("2.0.0", withoutStatus, "1: { until: 2099-12-31, columns: { status: \"CASE WHEN amount >= 15 THEN "
                + "'PAID' ELSE 'NEW' END\" } }").writeTo(mesh);
        CliHarness.Result inCi = ShopMesh.run(mesh, "validate", "--against-published");
        assertThat(inCi.exitCode()).as(inCi.out()).isZero();
        CliHarness.Result published = ShopMesh.run(mesh, "run", "shop.orders", "--full-refresh");
        assertThat(published.exitCode()).as(published.out() + published.err()).isZero();
        assertThat(table(mesh, "shop/products/orders").columns()).containsExactly("order_id", "amount");
        assertThat(table(mesh, "shop/versions/orders/v1").orderBy("order_id").collectAsList())
                .extracting(Row::toString).containsExactly("[1,10.00,NEW]", "[2,20.00,PAID]");

        // the pinned consumer keeps reading major 1, as the product moves on
        mesh.land("shop", "orders", "o2.csv", "order_id,amount\n3,30.00\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        CliHarness.Result consumer = ShopMesh.run(mesh, "run", "shop.by_status");
        assertThat(consumer.exitCode()).as(consumer.out() + consumer.err()).isZero();
        assertThat(table(mesh, "shop/products/by_status").orderBy("status").collectAsList())
                .extracting(Row::toString).containsExactly("[NEW,1]", "[PAID,2]");
        CliHarness.Result access = ShopMesh.run(mesh, "access", "shop");
        assertThat(access.out()).containsPattern("shop.orders +1 +2 +2099-12-31 +shop.by_status");
        CliHarness.Result catalog = ShopMesh.run(mesh, "catalog", "--search", "orders");
        assertThat(catalog.out()).as(catalog.out() + catalog.err()).contains(
                "major 1 kept beside it until 2099-12-31 (", "/shop/versions/orders/v1); still read by: shop.by_status");

        // the window ends while shop.by_status still pins major 1: it is kept
        orders("2.0.0", withoutStatus, "1: { until: 2020-01-31, columns: { status: \"'UNKNOWN'\" } }").writeTo(mesh);
        CliHarness.Result ended = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(ended.exitCode()).as(ended.out() + ended.err()).isZero();
        assertThat(Files.exists(mesh.zones().resolve("shop/versions/orders/v1"))).isTrue();

        // the consumer moves to major 2: the next run retires major 1, and the audit trail says so
        byStatus(mesh, 2, "SELECT 'ALL' AS status, count(*) AS n FROM orders");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        assertThat(Files.exists(mesh.zones().resolve("shop/versions/orders/v1"))).isFalse();
        assertThat(table(mesh, "_platform/audit").where("action = 'retire_version'").collectAsList())
                .extracting(r -> r.<String>getAs("detail")).singleElement().asString()
                .contains("major 1 retired: its window ended on 2020-01-31 and no consumer pins it");
        assertThat(ShopMesh.run(mesh, "run", "shop.by_status").exitCode()).isZero();

        // a consumer pinned to the retired major is refused before it reads
        byStatus(mesh, 1, "SELECT status, count(*) AS n FROM orders GROUP BY status");
        CliHarness.Result stale = ShopMesh.run(mesh, "run", "shop.by_status");
        assertThat(stale.exitCode()).isEqualTo(2);
        assertThat(stale.out() + stale.err()).contains("(its producer keeps no major 1 beside it)");
    }
}
