package dev.mesh.spec.model;

import java.time.Duration;
import java.util.Optional;

/**
 * Service levels a product promises its consumers; absent values are not promised. Quality score and success rate
 * are taken over the runs of the last {@code window} (default 7 days).
 */
public record SlaSpec(Duration freshness, Duration maxDuration, Double minQualityScore, Double minSuccessRate,
        Duration window, String freshnessColumn) {
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
    public static final SlaSpec NONE = new SlaSpec(null, null, null, null, null);

    public SlaSpec(Duration freshness, Duration maxDuration, Double minQualityScore, Double minSuccessRate,
            Duration window) {
        this(freshness, maxDuration, minQualityScore, minSuccessRate, window, null);
    }

    public SlaSpec {
        window = window == null ? DEFAULT_WINDOW : window;
    }

    public boolean declared() {
        return freshness != null || maxDuration != null || minQualityScore != null || minSuccessRate != null;
    }

    public Optional<Double> successRateFloor() {
        return Optional.ofNullable(minSuccessRate);
    }

    /**
     * The output column of event time (a timestamp or date) whose newest value says how old the data is, read from
     * the table's file statistics; without it, the data's age is the time since the last commit that changed it.
     */
    public Optional<String> eventTimeColumn() {
        return Optional.ofNullable(freshnessColumn);
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
