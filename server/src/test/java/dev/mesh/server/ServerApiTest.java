package dev.mesh.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.runtime.Mesh;
import dev.mesh.runtime.ledger.AuditTable;
import dev.mesh.runtime.ledger.DirectPlatformTables;
import dev.mesh.runtime.ledger.LedgerRow;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.server.auth.ApiTokenTable;
import dev.mesh.server.auth.ApiTokens;
import dev.mesh.server.auth.Role;
import dev.mesh.server.runs.QueueEvent;
import dev.mesh.server.runs.RunQueueTable;
import dev.mesh.server.runs.ServerRun;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * mesh serve over real HTTP on loopback: identity (an issuer on loopback with its JWKS, and API tokens), roles by
 * domain, runs queued, streamed, cancelled and recovered, bad input, many clients, shutdown. Every JSON answer is
 * checked against the server's OpenAPI document ({@link ApiClient}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerApiTest {
    private static final String ALICE = "alice@example.com";
    private static final String BOB = "bob@example.com";

    private Path dir;
    private TestIssuer issuer;
    private TestMesh mesh;
    private MeshServer server;
    private ApiClient api;

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("mesh-serve");
        issuer = new TestIssuer();
        mesh = TestMesh.in(dir);
        mesh.write("platform.yaml", Files.readString(mesh.platformFile()) + issuer.serverBlock(
                "  concurrentRuns: 1\n  queuedPerPrincipal: 2\n  maxRequestBytes: 4096\n  shutdownGrace: PT60S\n"));
        mesh.domain("shop", """
                apiVersion: mesh/v1
                kind: Domain
                name: shop
                owners: [shop@example.com]
                members: [alice@example.com, group:shop-analysts]
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
        orders(ProductYaml.ORDER_COLUMNS).writeTo(mesh);
        ProductYaml.product("hr", "salaries")
                .files("payroll", "{ source: payroll.salaries, format: csv, options: { header: \"true\" } }")
                .schema("{ name: emp_id, type: bigint }", "{ name: amount, type: \"decimal(10,2)\" }")
                .section("access: { visibility: domain }").writeTo(mesh);
        mesh.land("shop", "orders", "1.csv", "order_id,amount,status,email\n1,10.00,NEW,a@x.test\n2,20.00,PAID,"
                + "b@x.test\n3,5.50,NEW,c@x.test\n");
        startServer();
    }

    private void startServer() {
        server = MeshServer.start(new MeshServer.Settings(mesh.platformFile(), "127.0.0.1", 0, Map.of(),
                Clock.systemUTC(), Optional.of(platform -> SharedSpark.session()), Duration.ZERO,
                Duration.ofMillis(200), Optional.empty()));
        api = new ApiClient(server.port());
    }

    @AfterAll
    void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            issuer.close();
        }
    }

    private String alice() {
        return issuer.token(ALICE, List.of());
    }

    private String bob() {
        return issuer.token(BOB, List.of());
    }

    @Test
    @Order(1)
    void everyRequestButHealthNeedsAVerifiedPrincipal() {
        assertThat(api.get("/health", null).status()).isEqualTo(200);
        assertThat(api.get("/ready", null).status()).isEqualTo(200);
        ApiClient.Response anonymous = api.get("/api/v1/me", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.message()).contains("Authorization: Bearer");
        assertThat(anonymous.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"mesh\"");
        assertThat(api.get("/metrics", null).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/openapi.json", null).status()).isEqualTo(401);

        ApiClient.Response me = api.get("/api/v1/me", alice());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("principal").asText()).isEqualTo(ALICE);
        assertThat(me.json().path("domains").path("shop").asText()).isEqualTo("member");
        assertThat(me.json().path("domains").has("hr")).isFalse();

        Instant now = Instant.now();
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("expired", issuer.token(ALICE, List.of(), c -> c.expirationTime(Date.from(now.minusSeconds(300)))
                .notBeforeTime(Date.from(now.minusSeconds(900)))));
        refused.put("not yet valid", issuer.token(ALICE, List.of(), c -> c.notBeforeTime(Date.from(
                now.plusSeconds(600)))));
        refused.put("wrong audience", issuer.token(ALICE, List.of(), c -> c.audience("another-api")));
        refused.put("wrong issuer", issuer.token(ALICE, List.of(), c -> c.issuer("https://evil.test")));
        refused.put("no expiry", issuer.token(ALICE, List.of(), c -> c.expirationTime(null)));
        refused.put("wrong key", issuer.tokenWithOtherKey(ALICE));
        refused.put("alg none", issuer.unsignedToken(ALICE));
        refused.put("HS256 keyed with the public key", issuer.hmacWithPublicKey(ALICE));
        refused.put("tampered payload", issuer.tampered(BOB, ALICE));
        refused.put("garbage", "not-a-token");
        refused.put("forged API token", "mesh_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        refused.forEach((what, token) -> {
            ApiClient.Response response = api.get("/api/v1/me", token);
            assertThat(response.status()).as(what).isEqualTo(401);
            assertThat(response.json().path("error").asText()).as(what).isEqualTo("unauthorized");
        });
    }

    @Test
    @Order(2)
    void apiTokensAreShownOnceStoredAsHashesAndStopWorkingWhenRevoked() throws InterruptedException {
        ApiTokens tokens = new ApiTokens(tables(), Clock.systemUTC());
        ApiTokens.Created created = tokens.create("ci-bot", Optional.of("shop"), Role.MEMBER, Optional.empty(),
                "test");
        ApiClient.Response me = api.get("/api/v1/me", created.token());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("principal").asText()).isEqualTo("ci-bot");
        assertThat(me.json().path("via").asText()).isEqualTo("api_token");
        assertThat(me.json().path("domains").toString()).isEqualTo("{\"shop\":\"member\"}");
        List<LedgerRow> rows = tables().rows(ApiTokenTable.TABLE, row -> true);
        assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row.values().toString())
                .doesNotContain(created.token().substring(ApiTokens.PREFIX.length() + 13)));

        tokens.revoke(created.info().id(), "test");
        ApiClient.Response revoked = api.get("/api/v1/me", created.token());
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.message()).contains("revoked");

        ApiTokens.Created shortLived = tokens.create("nightly", Optional.of("shop"), Role.MEMBER,
                Optional.of(Duration.ofMillis(1)), "test");
        Thread.sleep(20);
        assertThat(api.get("/api/v1/me", shortLived.token()).message()).contains("expired");
    }

    @Test
    @Order(3)
    void rolesDecideWhatEachPrincipalSeesAndDoes() {
        List<String> bobSees = ids(api.get("/api/v1/products", bob()));
        assertThat(bobSees).contains("shop.orders").doesNotContain("hr.salaries");
        assertThat(ids(api.get("/api/v1/products?domain=shop&q=amount", bob()))).containsExactly("shop.orders");
        assertThat(api.get("/api/v1/products?domain=nowhere", bob()).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/products/hr.salaries", bob()).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/products/hr.salaries", alice()).status()).isEqualTo(404);
        ApiClient.Response owner = api.get("/api/v1/products/hr.salaries", issuer.token("hr@example.com",
                List.of()));
        assertThat(owner.status()).isEqualTo(200);
        assertThat(owner.json().path("yourRole").asText()).isEqualTo("owner");
        ApiClient.Response admin = api.get("/api/v1/products/hr.salaries", issuer.token("ops@example.com",
                List.of("platform")));
        assertThat(admin.json().path("yourRole").asText()).isEqualTo("admin");
        ApiClient.Response analyst = api.get("/api/v1/me", issuer.token("carol@example.com",
                List.of("shop-analysts")));
        assertThat(analyst.json().path("domains").toString()).isEqualTo("{\"shop\":\"member\"}");

        ApiClient.Response refused = api.post("/api/v1/products/shop.orders/runs", bob(), "{}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.message()).isEqualTo("bob@example.com may not run shop.orders: that needs the member "
                + "role in domain 'shop'");
        assertThat(tables().rows(AuditTable.TABLE, row -> "access_refused".equals(row.string("action"))
                && BOB.equals(row.string("principal")))).isNotEmpty();
        assertThat(api.post("/api/v1/products/hr.salaries/runs", bob(), "{}").status()).isEqualTo(404);

        for (String id : List.of("shop..orders", "..%2F..%2Fetc", "SHOP.orders", "shop.orders;drop")) {
            assertThat(api.get("/api/v1/products/" + id, alice()).status()).as(id).isIn(400, 404);
        }
        assertThat(api.get("/api/v1/products/nope.nothing", alice()).status()).isEqualTo(404);
        ApiClient.Response unknown = api.undocumented("GET", "/api/v1/nothing-here", alice());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("message").asText()).contains("openapi.json");
    }

    @Test
    @Order(4)
    void aRunQueuedThroughTheApiPublishesStreamsItsProgressAndIsAuditedUnderItsPrincipal() throws Exception {
        ApiClient.Response queued = api.post("/api/v1/products/shop.orders/runs", alice(), "{\"force\": false}");
        assertThat(queued.status()).isEqualTo(202);
        String id = queued.json().path("id").asText();
        assertThat(queued.raw().headers().firstValue("Location")).hasValue("/api/v1/runs/" + id);

        List<JsonNode> events = follow(id, alice());
        List<String> types = events.stream().map(event -> event.path("type").asText()).toList();
        assertThat(types).startsWith("queued").contains("started", "stage").endsWith("finished");
        assertThat(events.stream().filter(e -> e.path("type").asText().equals("stage"))
                .map(e -> e.path("stage").asText())).contains("resolve", "write", "checks", "commit");
        assertThat(events.get(events.size() - 1).path("result").path("status").asText()).isEqualTo("PUBLISHED");

        ApiClient.Response run = api.get("/api/v1/runs/" + id, alice());
        assertThat(run.json().path("state").asText()).isEqualTo("finished");
        assertThat(run.json().path("result").path("rowsOut").asLong()).isEqualTo(3);
        assertThat(api.get("/api/v1/runs?product=shop.orders", alice()).json().path("runs").get(0).path("id")
                .asText()).isEqualTo(id);

        // another domain's member learns nothing from the id
        assertThat(api.get("/api/v1/runs/" + id, bob()).status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/runs/" + id, bob()).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/runs/" + id + "/events", bob()).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/runs", bob()).json().path("runs")).isEmpty();
        assertThat(api.delete("/api/v1/runs/" + id, alice()).status()).isEqualTo(409);

        List<LedgerRow> audit = tables().rows(AuditTable.TABLE, row -> id.equals(row.string("run_id")));
        assertThat(audit).isNotEmpty().allSatisfy(row -> assertThat(row.string("principal")).isEqualTo(ALICE));

        ApiClient.Response metrics = api.get("/metrics", issuer.token("ops@example.com", List.of("platform")));
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("mesh_runs_total{product=\"shop.orders\",status=\"published\"} 1.0",
                "mesh_run_duration_seconds_count{product=\"shop.orders\"} 1", "mesh_run_queue_length",
                "mesh_http_requests_total{");
        assertThat(api.get("/metrics", alice()).status()).isEqualTo(403);
    }

    @Test
    @Order(5)
    void whatAConsumerReadsBeforeTrustingAProductFollowsTheGrants() {
        String hr = issuer.token("hr@example.com", List.of());
        ApiClient.Response contract = api.get("/api/v1/products/shop.orders/contract", bob());
        assertThat(contract.json().path("apiVersion").asText()).startsWith("v3");
        ApiClient.Response lineage = api.get("/api/v1/products/shop.orders/lineage", bob());
        assertThat(lineage.json().path("inputs").get(0).path("source").asText()).isEqualTo("pos.orders");
        assertThat(lineage.json().path("columns").path("status").get(0).asText()).startsWith("pos.status");

        for (String what : List.of("sla", "history", "metrics", "preview")) {
            ApiClient.Response refused = api.get("/api/v1/products/shop.orders/" + what, bob());
            assertThat(refused.status()).as(what).isEqualTo(403);
            assertThat(refused.message()).as(what).contains("access-requests");
        }
        assertThat(api.get("/api/v1/products/shop.orders/history", hr).json().path("runs").get(0).path("status")
                .asText()).isEqualTo("PUBLISHED");
        assertThat(api.get("/api/v1/products/shop.orders/sla", hr).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/products/shop.orders/metrics?limit=5", hr).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/products/shop.orders/metrics?limit=0", hr).status()).isEqualTo(400);

        ApiClient.Response outside = api.get("/api/v1/products/shop.orders/preview?limit=2", hr);
        assertThat(outside.json().path("rows")).hasSize(2);
        assertThat(outside.json().path("withheld").toString()).isEqualTo("[\"email\"]");
        assertThat(outside.body()).doesNotContain("@x.test");
        ApiClient.Response inside = api.get("/api/v1/products/shop.orders/preview", alice());
        assertThat(inside.json().path("rows")).hasSize(3);
        assertThat(inside.body()).contains("a@x.test");

        assertThat(api.post("/api/v1/products/shop.orders/feedback", hr, "{\"rating\": 4, \"from\": \"hr\", "
                + "\"comment\": \"<script>alert(1)</script>\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/products/shop.orders/feedback", hr, "{\"rating\": 9}").message())
                .startsWith("$.rating");
        assertThat(api.post("/api/v1/products/shop.orders/feedback", hr, "{\"rating\": 3, \"from\": \"shop\"}")
                .status()).isEqualTo(403);
    }

    @Test
    @Order(6)
    void aProposedSpecIsCheckedAsAPullRequestWouldBeWithoutWritingAnything() throws IOException {
        String path = "/api/v1/specs/check";
        String unchanged = orders(ProductYaml.ORDER_COLUMNS).yaml();
        ApiClient.Response same = api.post(path, alice(), ApiClient.JSON.createObjectNode().put("spec", unchanged)
                .toString());
        assertThat(same.json().path("ok").asBoolean()).as(same.body()).isTrue();
        assertThat(same.json().path("file").asText()).isEqualTo("shop/products/orders.yaml");

        ApiClient.Response breaking = api.post(path, alice(), ApiClient.JSON.createObjectNode().put("spec",
                orders(ProductYaml.ORDER_COLUMNS.subList(0, 2)).yaml()).toString());
        assertThat(breaking.json().path("valid").asBoolean()).isTrue();
        assertThat(breaking.json().path("ok").asBoolean()).isFalse();
        assertThat(breaking.json().path("compatibility").path("refusal").asText())
                .contains("breaks the schema its consumers read", "version: 2.0.0");

        ApiClient.Response invalid = api.post(path, alice(), ApiClient.JSON.createObjectNode().put("spec",
                unchanged.replace("template: ingest", "template: ingestt")).toString());
        assertThat(invalid.json().path("valid").asBoolean()).isFalse();
        assertThat(invalid.json().path("problems").get(0).path("file").asText()).endsWith("orders.yaml");
        assertThat(invalid.json().path("problems").get(0).path("message").asText()).contains("ingest");
        assertThat(Files.readString(mesh.dir().resolve("domains/shop/products/orders.yaml"))).isEqualTo(unchanged);

        ApiClient.Response newProduct = api.post(path, alice(), ApiClient.JSON.createObjectNode().put("spec",
                ProductYaml.product("shop", "order_count").reads("orders", "shop.orders")
                        .sql("SELECT count(*) AS n FROM orders").schema("{ name: n, type: bigint }").yaml())
                .toString());
        assertThat(newProduct.json().path("ok").asBoolean()).as(newProduct.body()).isTrue();
        assertThat(Files.exists(mesh.dir().resolve("domains/shop/products/order_count.yaml"))).isFalse();

        assertThat(api.post(path, bob(), ApiClient.JSON.createObjectNode().put("spec", unchanged).toString())
                .status()).isEqualTo(403);
        assertThat(api.post(path, alice(), "{\"spec\": \"name: x\"}").message()).startsWith("$.spec");
        assertThat(api.post(path, alice(), ApiClient.JSON.createObjectNode().put("spec",
                unchanged.replace("domain: shop", "domain: ../../etc")).toString()).status()).isEqualTo(400);
    }

    @Test
    @Order(7)
    void badInputIsRefusedInThePlatformsWords() throws InterruptedException {
        String path = "/api/v1/products/shop.orders/runs";
        assertThat(api.post(path, alice(), "{\"force\": tru").message()).startsWith("the body is not valid JSON");
        assertThat(api.post(path, alice(), "[1]").message()).isEqualTo("the body must be a JSON object, not array");
        assertThat(api.post(path, alice(), "{\"forse\": true}").message())
                .isEqualTo("$.forse: unknown field; allowed: force, fullRefresh");
        assertThat(api.post(path, alice(), "{\"force\": \"yes\"}").message())
                .isEqualTo("$.force: must be true or false, not \"yes\"");
        ApiClient.Response large = api.post(path, alice(), "{\"force\": false, \"pad\": \"" + "x".repeat(8000)
                + "\"}");
        assertThat(large.status()).isEqualTo(413);

        // one principal may have two runs waiting; the third or fourth in a row is refused
        List<ApiClient.Response> burst = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            burst.add(api.post(path, alice(), "{\"force\": true}"));
        }
        assertThat(burst).anySatisfy(response -> {
            assertThat(response.status()).isEqualTo(429);
            assertThat(response.message()).contains("runs waiting (the limit is 2)");
        });
        List<String> accepted = burst.stream().filter(r -> r.status() == 202).map(r -> r.json().path("id").asText())
                .toList();
        String last = accepted.get(accepted.size() - 1);
        ApiClient.Response cancelled = api.delete("/api/v1/runs/" + last, alice());
        assertThat(cancelled.status()).isEqualTo(202);
        awaitDone(accepted);
        assertThat(api.get("/api/v1/runs/" + last, alice()).json().path("cancelledBy").asText()).isEqualTo(ALICE);
    }

    @Test
    @Order(8)
    void fiftyClientsOfAHundredRequestsEachAllGetAnswers() throws Exception {
        String token = alice();
        String run = api.get("/api/v1/runs", token).json().path("runs").get(0).path("id").asText();
        ExecutorService clients = Executors.newFixedThreadPool(50);
        try {
            List<Future<List<Integer>>> answers = new ArrayList<>();
            for (int client = 0; client < 50; client++) {
                answers.add(clients.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        String path = i % 2 == 0 ? "/api/v1/products" : "/api/v1/runs/" + run;
                        HttpResponse<Void> response = api.http().send(HttpRequest.newBuilder(URI.create(api.base()
                                + path)).header("Authorization", "Bearer " + token).build(),
                                HttpResponse.BodyHandlers.discarding());
                        statuses.add(response.statusCode());
                    }
                    return statuses;
                }));
            }
            List<Integer> all = new ArrayList<>();
            for (Future<List<Integer>> answer : answers) {
                all.addAll(answer.get());
            }
            assertThat(all).hasSize(5000).containsOnly(200);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    @Order(9)
    void anAccessRequestApprovedByTheProducerIsAGrantThatRunsEnforceUntilRevoked() throws Exception {
        String owner = issuer.token("shop@example.com", List.of());
        assertThat(api.get("/api/v1/products/shop.orders", bob()).json().path("consumers").toString())
                .isEqualTo("[\"hr\"]");
        String path = "/api/v1/products/shop.orders/access-requests";
        assertThat(api.post(path, bob(), "{\"consumer\": \"finance\"}").message()).startsWith("$.purpose");
        assertThat(api.post(path, bob(), "{\"consumer\": \"hr\", \"purpose\": \"x\"}").status())
                .isEqualTo(403);
        ApiClient.Response asked = api.post(path, bob(), "{\"consumer\": \"finance\", \"purpose\": "
                + "\"<b>revenue</b> reporting\"}");
        assertThat(asked.status()).isEqualTo(201);
        assertThat(asked.json().path("state").asText()).isEqualTo("pending");
        String id = asked.json().path("id").asText();
        assertThat(api.post(path, bob(), "{\"consumer\": \"finance\", \"purpose\": \"again\"}").status())
                .isEqualTo(400);

        assertThat(api.post("/api/v1/access-requests/" + id + "/approve", bob(), "{}").status()).isEqualTo(403);
        assertThat(api.post("/api/v1/access-requests/" + id + "/approve", alice(), "{}").message())
                .contains("needs the owner role in domain 'shop' (holds member)");
        assertThat(api.post("/api/v1/access-requests/" + id + "/approve", issuer.token("hr@example.com",
                List.of()), "{}").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/access-requests?state=pending", owner).json().path("requests").get(0)
                .path("purpose").asText()).isEqualTo("<b>revenue</b> reporting");
        ApiClient.Response approved = api.post("/api/v1/access-requests/" + id + "/approve", owner,
                "{\"note\": \"for the quarterly report\"}");
        assertThat(approved.json().path("state").asText()).isEqualTo("approved");
        assertThat(api.post("/api/v1/access-requests/" + id + "/approve", owner, "{}").status()).isEqualTo(409);

        // the consumer's product reads the producer's port under the grant
        ProductYaml.product("finance", "order_totals").reads("orders", "shop.orders")
                .sql("SELECT status, count(*) AS orders FROM orders GROUP BY status")
                .schema("{ name: status, type: string }", "{ name: orders, type: bigint }")
                .section("access: { visibility: domain }").writeTo(mesh);
        long deadline = System.currentTimeMillis() + 30_000;
        while (api.get("/api/v1/products/finance.order_totals", bob()).status() != 200) {
            assertThat(System.currentTimeMillis()).as("the new spec is served").isLessThan(deadline);
            Thread.sleep(100);
        }
        String run = api.post("/api/v1/products/finance.order_totals/runs", bob(), "{}").json().path("id").asText();
        awaitDone(List.of(run));
        assertThat(api.get("/api/v1/runs/" + run, bob()).json().path("result").path("status").asText())
                .isEqualTo("PUBLISHED");
        assertThat(tables().rows(AuditTable.TABLE, row -> "access_request".equals(row.string("action"))))
                .extracting(row -> row.string("principal") + " " + row.string("outcome"))
                .contains(BOB + " requested", "shop@example.com approved");

        assertThat(api.post("/api/v1/access-requests/" + id + "/revoke", owner, "{}").json().path("state")
                .asText()).isEqualTo("revoked");
        String refused = api.post("/api/v1/products/finance.order_totals/runs", bob(), "{}").json().path("id")
                .asText();
        awaitDone(List.of(refused));
        assertThat(api.get("/api/v1/runs/" + refused, bob()).json().path("note").asText())
                .contains("product 'shop.orders' is not visible to domain 'finance'");
        // the API refuses at once too, though the consumer's spec, invalid without the grant, keeps the specs from
        // loading again
        assertThat(api.get("/api/v1/products/shop.orders/preview", bob()).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/products/shop.orders", bob()).json().path("consumers").toString())
                .isEqualTo("[\"hr\"]");
        Files.delete(mesh.dir().resolve("domains/finance/products/order_totals.yaml"));
    }

    @Test
    @Order(10)
    void shutdownLetsTheRunningRunFinishAndTheQueueSurvivesARestart() throws Exception {
        mesh.land("shop", "orders", "2.csv", "order_id,amount,status,email\n4,1.00,NEW,d@x.test\n");
        ApiClient.Response queued = api.post("/api/v1/products/shop.orders/runs", alice(), "{\"force\": true}");
        ServerRun run = server.queue().find(queued.json().path("id").asText()).orElseThrow();
        long deadline = System.currentTimeMillis() + 60_000;
        while (run.state() == ServerRun.State.QUEUED && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        server.shutdown();
        assertThat(run.state()).isEqualTo(ServerRun.State.FINISHED);
        assertThat(run.result().orElseThrow().status().name()).isEqualTo("PUBLISHED");
        server.close();

        // what a killed server leaves: one run queued and never started, one started and never finished
        mesh.land("shop", "orders", "3.csv", "order_id,amount,status,email\n5,2.00,PAID,e@x.test\n");
        Instant at = Instant.now();
        ProductId orders = new ProductId("shop", "orders");
        tables().append(RunQueueTable.TABLE, List.of(
                new QueueEvent(at, QueueEvent.Kind.QUEUED, "left-queued", orders, ALICE, true, false,
                        Optional.empty(), Optional.empty()),
                new QueueEvent(at, QueueEvent.Kind.QUEUED, "left-running", orders, ALICE, false, false,
                        Optional.empty(), Optional.empty()),
                new QueueEvent(at, QueueEvent.Kind.STARTED, "left-running", orders, ALICE, false, false,
                        Optional.empty(), Optional.empty())));
        startServer();
        awaitDone(List.of("left-queued"));
        ApiClient.Response again = api.get("/api/v1/runs/left-queued", alice());
        assertThat(again.json().path("result").path("status").asText()).isEqualTo("PUBLISHED");
        List<LedgerRow> unfinished = tables().rows(RunQueueTable.TABLE, row -> "left-running".equals(
                row.string("run_id")) && "finished".equals(row.string("event")));
        assertThat(unfinished).singleElement().satisfies(row -> assertThat(row.string("status"))
                .isEqualTo("UNFINISHED"));
        assertThat(api.get("/api/v1/runs/left-running", alice()).status()).isEqualTo(404);
    }

    /** shop.orders as the mesh has it: the shop's columns with an e-mail, read by domain hr. */
    private static ProductYaml orders(List<String> shopColumns) {
        List<String> columns = new ArrayList<>(shopColumns);
        columns.add("{ name: email, type: string, classification: pii }");
        return ProductYaml.shopOrders().schema(columns).section("access: { visibility: consumers, consumers: [hr] }");
    }

    private DirectPlatformTables tables() {
        try (Mesh platform = Mesh.at(mesh.platformFile()).spark(p -> SharedSpark.session(), false).open()) {
            return platform.platformTables();
        }
    }

    private void awaitDone(List<String> ids) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        for (String id : ids) {
            while (!server.queue().find(id).map(ServerRun::done).orElse(false)) {
                assertThat(System.currentTimeMillis()).as("run %s ends", id).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    /** Reads the run's event stream to its end: each event's data, checked against the RunEvent schema. */
    private List<JsonNode> follow(String id, String token) throws Exception {
        HttpResponse<Stream<String>> response = api.http().send(HttpRequest.newBuilder(URI.create(api.base()
                + "/api/v1/runs/" + id + "/events")).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofMinutes(3)).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<JsonNode> events = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("data: ")) {
                    JsonNode event = ApiClient.JSON.readTree(line.substring(6));
                    api.checkComponent("RunEvent", event);
                    events.add(event);
                    if (event.path("type").asText().equals("finished")) {
                        break;
                    }
                }
            }
        }
        return events;
    }

    private static List<String> ids(ApiClient.Response response) {
        assertThat(response.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.json().path("products").forEach(product -> ids.add(product.path("id").asText()));
        return ids;
    }
}
