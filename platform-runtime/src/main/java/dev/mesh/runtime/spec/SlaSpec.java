package dev.mesh.runtime.spec;

import java.time.Duration;
import java.util.Optional;

/** Service levels a product promises its consumers; absent values are not promised. */
public record SlaSpec(Duration freshness, Duration maxDuration, Double minQualityScore) {
    public static final SlaSpec NONE = new SlaSpec(null, null, null);

    public Optional<Duration> freshnessLimit() {
        return Optional.ofNullable(freshness);
    }

    public Optional<Duration> durationLimit() {
        return Optional.ofNullable(maxDuration);
    }

    public Optional<Double> qualityScoreFloor() {
        return Optional.ofNullable(minQualityScore);
    }
}
