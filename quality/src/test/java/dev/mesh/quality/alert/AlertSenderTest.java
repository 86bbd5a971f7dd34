package dev.mesh.quality.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.mesh.error.MeshException;
import dev.mesh.spec.model.AlertSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alerts to a real HTTP server on loopback and to the log: retried, bounded, never thrown, never leaking a secret. */
class AlertSenderTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Alert ALERT = new Alert(Alert.Kind.GATE_FAILED, "test-mesh", "shop", "orders", "shop@example.com",
            "run-1", "GATE_FAILED", "quality gate blocked publication", List.of("unique(order_id) (error)"),
            Instant.parse("2026-11-25T12:00:00Z"));

    HttpServer server;
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();
    final AtomicInteger failuresToServe = new AtomicInteger();

    @BeforeEach
    void webhook() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            attempts.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (failuresToServe.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                received.add(JSON.readTree(body));
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
    void aWebhookGetsTheAlertAsJsonAfterRetries() {
        failuresToServe.set(1);
        AlertSender sender = AlertSender.create(List.of(webhook(url(), 1), AlertSpec.LOG), Map.of());
        assertThat(sender.send(ALERT)).isEqualTo(2);
        assertThat(attempts.get()).isEqualTo(2);
        JsonNode alert = received.get(0);
        assertThat(alert.get("kind").asText()).isEqualTo("gate_failed");
        assertThat(alert.get("domain").asText() + "." + alert.get("product").asText()).isEqualTo("shop.orders");
        assertThat(alert.get("reasons").get(0).asText()).isEqualTo("unique(order_id) (error)");
    }

    @Test
    void aTargetThatNeverAnswersWellIsGivenUpWithoutFailingTheCaller() {
        failuresToServe.set(10);
        AlertSender sender = AlertSender.create(List.of(webhook(url(), 2)), Map.of());
        assertThat(sender.send(ALERT)).isZero();
        assertThat(attempts.get()).isEqualTo(3);
        assertThat(received).isEmpty();
    }

    @Test
    void aUrlFromTheEnvironmentIsATokenThatNeverReachesAPayload() {
        String secretUrl = url() + "?token=s3cr3t-hook-token";
        Alert carrying = new Alert(ALERT.kind(), ALERT.platform(), ALERT.domain(), ALERT.product(), ALERT.owner(),
                ALERT.runId(), ALERT.status(), "posted to " + secretUrl, ALERT.reasons(), ALERT.at());
        AlertSpec fromEnv = new AlertSpec(AlertSpec.Type.WEBHOOK, null, "HOOK", Duration.ofSeconds(2), 0);
        assertThat(AlertSender.create(List.of(fromEnv), Map.of("HOOK", secretUrl)).send(carrying)).isEqualTo(1);
        assertThat(received.get(0).toString()).doesNotContain("s3cr3t-hook-token");
    }

    @Test
    void aMissingVariableIsAUserError() {
        AlertSpec fromEnv = new AlertSpec(AlertSpec.Type.WEBHOOK, null, "NO_SUCH_HOOK", null, 0);
        assertThatThrownBy(() -> AlertSender.create(List.of(fromEnv), Map.of()))
                .isInstanceOf(MeshException.class)
                .hasMessage("environment variable NO_SUCH_HOOK is not set; platform.yaml's alerts name it as a "
                        + "webhook's URL");
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private static AlertSpec webhook(String url, int retries) {
        return new AlertSpec(AlertSpec.Type.WEBHOOK, url, null, Duration.ofSeconds(2), retries);
    }
}
