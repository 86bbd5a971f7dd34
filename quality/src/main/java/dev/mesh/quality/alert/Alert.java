package dev.mesh.quality.alert;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Something the owners of a product must hear about: its quality gate failed, or its SLA was breached. */
public record Alert(Kind kind, String platform, String domain, String product, String owner, String runId,
        String status, String message, List<String> reasons, Instant at) {
    public Alert {
        requireNonNull(kind, "kind is null");
        requireNonNull(platform, "platform is null");
        requireNonNull(domain, "domain is null");
        requireNonNull(product, "product is null");
        requireNonNull(at, "at is null");
        reasons = List.copyOf(reasons);
    }

    /** Why an alert goes out. */
    public enum Kind {
        GATE_FAILED, SLA_BREACHED
    }

    /** The alert as the JSON object a webhook receives. */
    public Map<String, Object> payload() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        fields.put("platform", platform);
        fields.put("domain", domain);
        fields.put("product", product);
        fields.put("owner", owner);
        fields.put("run_id", runId);
        fields.put("status", status);
        fields.put("message", message);
        fields.put("reasons", reasons);
        fields.put("at", at.toString());
        return fields;
    }

    /** One line for logs and terminals. */
    public String summary() {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + domain + "." + product
                + (message == null || message.isEmpty() ? "" : ": " + message)
                + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons));
    }
}
