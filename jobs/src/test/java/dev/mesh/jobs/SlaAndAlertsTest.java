package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.run.Extensions;
import dev.mesh.runtime.run.MeshRunner;
import dev.mesh.runtime.run.ProductRunner;
import dev.mesh.runtime.run.RunObserver;
import dev.mesh.runtime.run.RunOptions;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.SpecLoader;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SLA status that moves with the clock, its history, and alerts posted to a real HTTP server on loopback. */
class SlaAndAlertsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    HttpServer server;
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresToServe = new AtomicInteger();
    final AtomicInteger attempts = new AtomicInteger();

    @BeforeEach
    void webhook() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hooks/mesh", exchange -> {
            attempts.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (failuresToServe.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                received.add(JSON.readTree(new String(body, StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void freshnessGoesFromMetToBreachedAsTheClockPassesTheLimitAndAlertsOnce() throws Exception {
        TestMesh mesh = meshWithWebhook("url: http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/mesh",
                true);
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n");
        Instant t0 = Instant.now();
        CliHarness.Result run = at(t0, mesh, "run", "shop.orders");
        assertThat(run.exitCode()).as(run.err()).isZero();

        CliHarness.Result met = at(t0.plus(Duration.ofHours(1)), mesh, "sla");
        assertThat(met.exitCode()).as(met.err()).isZero();
        assertThat(met.out()).containsPattern("shop\\.orders +met +1h / 24h +1\\.000 / 0\\.9 ");

        CliHarness.Result risk = at(t0.plus(Duration.ofHours(20)), mesh, "sla");
        assertThat(risk.out()).containsPattern("shop\\.orders +at risk +20h / 24h .*last published 20h ago, "
                + "limit 24h");

        CliHarness.Result breached = at(t0.plus(Duration.ofHours(26)), mesh, "sla");
        assertThat(breached.out()).containsPattern("shop\\.orders +breached +26h / 24h .*last published 26h ago, "
                + "limit 24h").contains("1 product: 1 breached, 0 at risk");
        CliHarness.Result stillBreached = at(t0.plus(Duration.ofHours(27)), mesh, "sla");
        assertThat(stillBreached.out()).contains("breached");

        assertThat(received).hasSize(1);
        JsonNode alert = received.get(0);
        assertThat(alert.get("kind").asText()).isEqualTo("sla_breached");
        assertThat(alert.get("domain").asText() + "." + alert.get("product").asText()).isEqualTo("shop.orders");
        assertThat(alert.get("owner").asText()).isEqualTo("shop@example.com");
        assertThat(alert.get("reasons").get(0).asText()).isEqualTo("last published 26h ago, limit 24h");

        List<Row> history = QualityGateTest.table(mesh, "_platform/sla_status").orderBy("evaluated_at").collectAsList();
        assertThat(history).extracting(r -> r.<String>getAs("status"))
                .containsExactly("MET", "MET", "AT_RISK", "BREACHED", "BREACHED");
        assertThat(history.get(3).<Long>getAs("freshness_s")).isEqualTo(Duration.ofHours(26).toSeconds());

        // the scheduler runs it again and the source delivered nothing new: the run succeeds, the data is no fresher
        CliHarness.Result noop = at(t0.plus(Duration.ofHours(28)), mesh, "run", "shop.orders");
        assertThat(noop.exitCode()).as(noop.err()).isZero();
        CliHarness.Result afterNoop = at(t0.plus(Duration.ofHours(29)), mesh, "sla");
        assertThat(afterNoop.out()).containsPattern("shop\\.orders +breached +29h / 24h .*last published 29h ago, "
                + "limit 24h");
        assertThat(QualityGateTest.table(mesh, "_platform/runs").orderBy("started_at").collectAsList())
                .extracting(r -> r.<String>getAs("status")).containsExactly("PUBLISHED", "UP_TO_DATE");
    }

    @Test
    void freshnessIsTheNewestEventTimeWhenTheProductDeclaresIt() throws Exception {
        TestMesh mesh = ProductYaml.shopOrders().noInputs().files("pos", "{ source: pos.orders, format: csv }")
                .mode("append").schema("{ name: order_id, type: bigint }", "{ name: ordered_at, type: timestamp }")
                .section("sla: { freshness: PT24H, freshnessColumn: ordered_at }")
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
        Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        // published just now, but the source delivered events a day old: the data is old
        mesh.land("shop", "orders", "late.csv", "order_id,ordered_at\n1," + t0.minus(Duration.ofHours(30)) + "\n2,"
                + t0.minus(Duration.ofHours(26)) + "\n");
        assertThat(at(t0, mesh, "run", "shop.orders").exitCode()).isZero();
        CliHarness.Result late = at(t0.plus(Duration.ofHours(1)), mesh, "sla");
        assertThat(late.out()).containsPattern("shop\\.orders +breached .*newest ordered_at is 27h old, limit 24h");

        // new events arrive: the newest one, not the publication, says how old the data is
        mesh.land("shop", "orders", "fresh.csv", "order_id,ordered_at\n3," + t0.plus(Duration.ofMinutes(30)) + "\n");
        assertThat(at(t0.plus(Duration.ofHours(1)), mesh, "run", "shop.orders").exitCode()).isZero();
        CliHarness.Result fresh = at(t0.plus(Duration.ofHours(20)), mesh, "sla");
        assertThat(fresh.out()).containsPattern("shop\\.orders +at risk .*newest ordered_at is 19h 30m old, limit 24h");
        // a no-op run does not change it; the clock does
        assertThat(at(t0.plus(Duration.ofHours(21)), mesh, "run", "shop.orders").exitCode()).isZero();
        assertThat(at(t0.plus(Duration.ofHours(26)), mesh, "sla").out()).containsPattern(
                "shop\\.orders +breached .*newest ordered_at is 25h 30m old, limit 24h");
        assertThat(ShopMesh.run(mesh, "validate").exitCode()).isZero();
        mesh.write("domains/shop/products/orders.yaml", Files.readString(dir.resolve(
                "domains/shop/products/orders.yaml")).replace("freshnessColumn: ordered_at",
                "freshnessColumn: order_id"));
        assertThat(ShopMesh.run(mesh, "validate").out()).contains("sla.freshnessColumn: column 'order_id' is bigint; "
                + "the event-time column is a timestamp or a date");
    }

    @Test
    void aGateFailureIsPostedAfterRetriesWithoutSecrets() throws Exception {
        failuresToServe.set(2);
        TestMesh mesh = meshWithWebhook("urlEnv: ALERT_HOOK, retries: 3, timeout: PT2S", false);
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,LOST\n");
        String hook = "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/mesh?token=s3cr3t-token-42";
        CliHarness.Result result = CliHarness.runAt(Clock.systemUTC(), Map.of("ALERT_HOOK", hook), "--platform",
                mesh.platformFile().toString(), "run", "shop.orders");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(attempts.get()).isEqualTo(3);
        assertThat(received).hasSize(1);
        JsonNode alert = received.get(0);
        assertThat(alert.get("kind").asText()).isEqualTo("gate_failed");
        assertThat(alert.get("status").asText()).isEqualTo("GATE_FAILED");
        assertThat(alert.get("run_id").asText()).isNotEmpty();
        assertThat(alert.get("message").asText()).contains("allowedValues(status)");
        assertThat(alert.get("reasons").get(0).asText()).isEqualTo("allowedValues(status) (error)");
        assertThat(alert.toString()).doesNotContain("s3cr3t-token-42");
        assertThat(result.err()).doesNotContain("s3cr3t-token-42");
    }

    @Test
    void aProgramThatEmbedsTheRuntimeGetsTheSameFollowUpAsTheCli() throws Exception {
        TestMesh mesh = meshWithWebhook("url: http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/mesh",
                true);
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,LOST\n");
        MeshSpec spec = new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()).orThrow();
        ProductRunner runner = new ProductRunner(SharedSpark.session(), spec, Extensions.load(), Clock.systemUTC(),
                RunObserver.NONE, Map.of());
        List<RunResult> results = new MeshRunner(runner, spec).run(List.of(new ProductId("shop", "orders")),
                RunOptions.DEFAULT, result -> { });

        assertThat(results).extracting(RunResult::status).containsExactly(RunStatus.GATE_FAILED);
        // the run listeners did what the CLI used to do itself: alert, evaluate the SLA, measure the zones
        assertThat(received).extracting(alert -> alert.get("kind").asText()).containsExactly("gate_failed",
                "sla_breached");
        assertThat(QualityGateTest.table(mesh, "_platform/sla_status").where("product = 'orders'").count())
                .isEqualTo(1);
        assertThat(QualityGateTest.table(mesh, "_platform/usage").where("kind = 'zone' AND domain = 'shop'")
                .count()).isPositive();
    }

    private CliHarness.Result at(Instant instant, TestMesh mesh, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--platform";
        all[1] = mesh.platformFile().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliHarness.runAt(Clock.fixed(instant, ZoneOffset.UTC), Map.of(), all);
    }

    private TestMesh meshWithWebhook(String webhook, boolean sla) throws Exception {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        Path product = mesh.dir().resolve("domains/shop/products/orders.yaml");
        if (sla) {
            mesh.write("domains/shop/products/orders.yaml", Files.readString(product)
                    + "sla: { freshness: PT24H, minQualityScore: 0.9 }\n");
        }
        mesh.write("platform.yaml", Files.readString(mesh.platformFile()) + "alerts:\n  - { type: log }\n"
                + "  - { type: webhook, " + webhook + " }\n");
        return mesh;
    }
}
