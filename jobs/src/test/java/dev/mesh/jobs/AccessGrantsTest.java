package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.Mesh;
import dev.mesh.runtime.ledger.AccessRequestTable;
import dev.mesh.runtime.ledger.AccessRequests;
import dev.mesh.runtime.ledger.DirectPlatformTables;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A grant made by an approved access request is enforced by the CLI exactly like a consumer in the producer's spec:
 * validation and runs of the consumer's product, {@code mesh sql --as-domain}, {@code mesh access}; revoked, all
 * refuse.
 */
class AccessGrantsTest {
    @TempDir
    Path dir;

    @Test
    void anApprovedRequestLetsTheConsumerReadUntilItIsRevoked() {
        TestMesh mesh = ProductYaml.shopOrders().section("access: { visibility: consumers, consumers: [hr] }")
                .writeTo(TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN));
        mesh.domain("finance", "apiVersion: mesh/v1\nkind: Domain\nname: finance\nowners: [fin@example.com]\n");
        mesh.domain("hr", "apiVersion: mesh/v1\nkind: Domain\nname: hr\nowners: [hr@example.com]\n");
        mesh.land("shop", "orders", "1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        String query = "SELECT count(*) AS n FROM shop.orders";
        CliHarness.Result before = ShopMesh.run(mesh, "sql", "--as-domain", "finance", query);
        assertThat(before.exitCode()).isEqualTo(2);
        // not registered for finance (the wording depends on what the shared test session's catalog held before)
        assertThat(before.err()).contains("`shop`.`orders`").doesNotContain("| 2");

        AccessRequests requests = new AccessRequests(tables(mesh), Clock.systemUTC());
        AccessRequests.Request asked = requests.request(new ProductId("shop", "orders"), "finance",
                "quarterly revenue", "bob@example.com");
        requests.decide(asked.id(), AccessRequestTable.Kind.APPROVED, "shop@example.com", Optional.empty());

        CliHarness.Result granted = ShopMesh.run(mesh, "sql", "--as-domain", "finance", query);
        assertThat(granted.exitCode()).as(granted.err()).isZero();
        assertThat(granted.out()).contains("2");
        CliHarness.Result access = ShopMesh.run(mesh, "access", "finance");
        assertThat(access.out()).contains("shop.orders", "finance, hr, shop", "quarterly revenue", "approved",
                "bob@example.com", "shop@example.com");
        ProductYaml.product("finance", "order_totals").reads("orders", "shop.orders")
                .sql("SELECT status, count(*) AS orders FROM orders GROUP BY status")
                .schema("{ name: status, type: string }", "{ name: orders, type: bigint }")
                .section("access: { visibility: domain }").writeTo(mesh);
        CliHarness.Result consumer = ShopMesh.run(mesh, "run", "finance.order_totals");
        assertThat(consumer.exitCode()).as(consumer.err()).isZero();

        requests.decide(asked.id(), AccessRequestTable.Kind.REVOKED, "shop@example.com", Optional.empty());
        CliHarness.Result refused = ShopMesh.run(mesh, "run", "finance.order_totals");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.out() + refused.err()).contains("finance.order_totals: FAILED: not run: its spec has 1 "
                + "problem", "product 'shop.orders' is not visible to domain 'finance'");
        // the consumer's spec, invalid without the grant, goes; what the grant left is visible
        assertThat(mesh.dir().resolve("domains/finance/products/order_totals.yaml").toFile().delete()).isTrue();
        CliHarness.Result after = ShopMesh.run(mesh, "access", "finance");
        assertThat(after.out()).contains("revoked").doesNotContain("finance, hr, shop");
    }

    private static DirectPlatformTables tables(TestMesh mesh) {
        try (Mesh platform = Mesh.at(mesh.platformFile()).spark(p -> SharedSpark.session(), false).open()) {
            return platform.platformTables();
        }
    }
}
