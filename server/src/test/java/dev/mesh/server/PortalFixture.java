package dev.mesh.server;

import dev.mesh.runtime.Mesh;
import dev.mesh.runtime.ledger.DirectPlatformTables;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.server.auth.ApiTokens;
import dev.mesh.server.auth.Role;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A mesh served by {@code mesh serve} for the portal's tests: shop (alice a member, shop@example.com its owner) with
 * orders whose description is hostile markup, finance (bob a member) that may not read them until an owner approves,
 * hr with a product only its own domain sees; an issuer on loopback that signs browsers in with PKCE.
 */
final class PortalFixture implements AutoCloseable {
    static final String ALICE = "alice@example.com";
    static final String BOB = "bob@example.com";
    static final String SHOP_OWNER = "shop@example.com";
    /** Markup an attacker would put in a description: it must stay text on every page. */
    static final String HOSTILE = "Orders from the tills <script>window.pwned=1</script> "
            + "\"onmouseover=window.pwned=2 x=\" <img src=x onerror=window.pwned=3>";

    final Path dir;
    final TestIssuer issuer;
    final TestMesh mesh;
    final MeshServer server;

    PortalFixture() throws IOException {
        dir = Files.createTempDirectory("mesh-portal");
        issuer = new TestIssuer();
        mesh = TestMesh.in(dir);
        mesh.write("platform.yaml", Files.readString(mesh.platformFile()) + issuer.serverBlockWithPortal(
                "  concurrentRuns: 1\n"));
        mesh.domain("shop", """
                apiVersion: mesh/v1
                kind: Domain
                name: shop
                owners: [shop@example.com]
                members: [alice@example.com]
                sources:
                  - { name: pos.orders, landing: orders }
                """);
        mesh.domain("finance", """
                apiVersion: mesh/v1
                kind: Domain
                name: finance
                owners: [fin@example.com]
                members: [bob@example.com]
                """);
        mesh.domain("hr", """
                apiVersion: mesh/v1
                kind: Domain
                name: hr
                owners: [hr@example.com]
                sources:
                  - { name: payroll.salaries, landing: salaries }
                """);
        List<String> columns = new ArrayList<>(ProductYaml.ORDER_COLUMNS);
        columns.add("{ name: email, type: string, classification: pii, description: the buyer's e-mail }");
        ProductYaml.shopOrders().schema(columns)
                .checks("{ check: unique, column: order_id }", "{ check: min, column: amount, atLeast: 0 }")
                .section("description: '" + HOSTILE.replace("'", "''") + "'").section("tags: [point-of-sale]")
                .section("access: { visibility: consumers, consumers: [hr] }").writeTo(mesh);
        ProductYaml.product("hr", "salaries")
                .files("payroll", "{ source: payroll.salaries, format: csv, options: { header: \"true\" } }")
                .schema("{ name: emp_id, type: bigint }", "{ name: amount, type: \"decimal(10,2)\" }")
                .section("description: Salaries, seen only inside hr")
                .section("access: { visibility: domain }").writeTo(mesh);
        mesh.land("shop", "orders", "1.csv", "order_id,amount,status,email\n1,10.00,NEW,a@x.test\n2,20.00,PAID,"
                + "b@x.test\n3,5.50,NEW,c@x.test\n9,oops,NEW,z@x.test\n");
        server = MeshServer.start(new MeshServer.Settings(mesh.platformFile(), "127.0.0.1", 0, Map.of(),
                Clock.systemUTC(), Optional.of(platform -> SharedSpark.session()), Duration.ZERO,
                Duration.ofMillis(200), Optional.empty()));
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A new API token for {@code principal} as a member of {@code domain}. */
    String memberToken(String principal, String domain) {
        return new ApiTokens(tables(), Clock.systemUTC()).create(principal, Optional.of(domain), Role.MEMBER,
                Optional.empty(), "test").token();
    }

    /** finance's product over shop.orders, valid once finance may read them. */
    void writeConsumerProduct() {
        ProductYaml.product("finance", "order_totals").reads("orders", "shop.orders")
                .sql("SELECT status, count(*) AS orders FROM orders GROUP BY status")
                .schema("{ name: status, type: string }", "{ name: orders, type: bigint }")
                .section("description: Orders by status, for the monthly close")
                .section("access: { visibility: domain }").writeTo(mesh);
    }

    DirectPlatformTables tables() {
        try (Mesh platform = Mesh.at(mesh.platformFile()).spark(p -> SharedSpark.session(), false).open()) {
            return platform.platformTables();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            issuer.close();
        }
    }
}
