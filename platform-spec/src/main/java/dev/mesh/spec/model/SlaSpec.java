package dev.mesh.spec.model;

import java.time.Duration;
import java.util.Optional;

/**
 * Service levels a product promises its consumers; absent values are not promised. Quality score and success rate
 * are taken over the runs of the last {@code window} (default 7 days).
 */
public record SlaSpec(Duration freshness, Duration maxDuration, Double minQualityScore, Double minSuccessRate,
        Duration window) {
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
    public static final SlaSpec NONE = new SlaSpec(null, null, null, null, null);

    public SlaSpec {
        window = window == null ? DEFAULT_WINDOW : window;
    }

    public boolean declared() {
        return freshness != null || maxDuration != null || minQualityScore != null || minSuccessRate != null;
    }

    public Optional<Double> successRateFloor() {
        return Optional.ofNullable(minSuccessRate);
    }

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
