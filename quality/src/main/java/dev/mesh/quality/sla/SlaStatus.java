package dev.mesh.quality.sla;

import static java.util.Objects.requireNonNull;

import dev.mesh.spec.model.ProductId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A product's service levels at one moment: met, at risk or breached, why, and the measures behind it. */
public record SlaStatus(
        ProductId product,
        Instant evaluatedAt,
        Level level,
        List<String> reasons,
        Instant lastSuccessAt,
        Duration freshness,
        Duration freshnessLimit,
        Double qualityScore,
        Double minQualityScore,
        Duration lastDuration,
        Duration maxDuration,
        Double successRate,
        Double minSuccessRate,
        long runsInWindow) {
    public SlaStatus {
        requireNonNull(product, "product is null");
        requireNonNull(evaluatedAt, "evaluatedAt is null");
        requireNonNull(level, "level is null");
        reasons = List.copyOf(reasons);
    }

    /** How a product stands against its SLA; NONE when it declares no service level. */
    public enum Level {
        MET, AT_RISK, BREACHED, NONE;

        public String display() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }
}
