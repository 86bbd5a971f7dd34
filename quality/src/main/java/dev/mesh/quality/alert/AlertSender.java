package dev.mesh.quality.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.error.MeshException;
import dev.mesh.error.Secrets;
import dev.mesh.spec.model.AlertSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts to the targets of platform.yaml: webhooks get a JSON POST (retried with a pause, each attempt bounded
 * by the target's timeout), the log gets a warning. Delivery problems are logged, never thrown: an alert that cannot
 * be delivered must not fail the run it reports on. No secret reaches a payload: text is scrubbed of known secrets.
 */
public final class AlertSender {
    private static final Logger LOG = LoggerFactory.getLogger(AlertSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Target> targets;
    private final HttpClient http;
    private final Duration pause;

    private record Target(AlertSpec spec, String url) {}

    AlertSender(List<Target> targets, Duration pause) {
        this.targets = targets;
        this.pause = pause;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The platform's targets, webhook URLs held by environment variables resolved from {@code environment}. */
    public static AlertSender create(List<AlertSpec> specs, Map<String, String> environment) {
        List<Target> targets = new ArrayList<>();
        for (AlertSpec spec : specs) {
            String url = spec.url();
            if (spec.type() == AlertSpec.Type.WEBHOOK && url == null) {
                url = environment.get(spec.urlEnv());
                if (url == null || url.isEmpty()) {
                    throw MeshException.invalidInput("environment variable %s is not set; platform.yaml's alerts name "
                            + "it as a webhook's URL", spec.urlEnv());
                }
                Secrets.register(url);
            }
            targets.add(new Target(spec, url));
        }
        return new AlertSender(targets, Duration.ofMillis(500));
    }

    /** Sends to every target; returns how many targets received it. */
    public int send(Alert alert) {
        int delivered = 0;
        for (Target target : targets) {
            if (target.spec().type() == AlertSpec.Type.LOG) {
                LOG.warn("ALERT {}", Secrets.redact(alert.summary()));
                delivered++;
            } else if (post(target, alert)) {
                delivered++;
            }
        }
        return delivered;
    }

    private boolean post(Target target, Alert alert) {
        String body;
        try {
            body = Secrets.redact(JSON.writeValueAsString(alert.payload()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String where = target.spec().urlEnv() != null ? "the webhook in " + target.spec().urlEnv() : target.url();
        int attempts = target.spec().retries() + 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(target.url()))
                        .timeout(target.spec().timeout())
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "mesh-alerts")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    return true;
                }
                LOG.warn("alert to {} answered HTTP {} (attempt {} of {})", where, response.statusCode(), attempt,
                        attempts);
            } catch (IOException e) {
                LOG.warn("alert to {} failed (attempt {} of {}): {}", where, attempt, attempts,
                        Secrets.redact(String.valueOf(e.getMessage())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (attempt < attempts) {
                try {
                    Thread.sleep(pause.toMillis() * attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        LOG.error("alert {} could not be delivered to {} after {} attempts", alert.kind(), where, attempts);
        return false;
    }
}
