package dev.mesh.quality.report;

import static java.util.Objects.requireNonNull;

import dev.mesh.quality.sla.SlaStatus;
import dev.mesh.spec.model.ProductSpec;
import java.time.Instant;
import java.util.List;

/** Everything the report shows of one product: its spec, SLA, latest checks, run history and consumers' feedback. */
public record ProductReport(
        ProductSpec spec,
        SlaStatus sla,
        List<Check> latestChecks,
        List<RunPoint> history,
        dev.mesh.quality.feedback.FeedbackSummary feedback,
        List<SlaPoint> slaHistory,
        Long tableRows) {
    public ProductReport {
        requireNonNull(spec, "spec is null");
        requireNonNull(sla, "sla is null");
        latestChecks = List.copyOf(latestChecks);
        history = List.copyOf(history);
        requireNonNull(feedback, "feedback is null");
        slaHistory = List.copyOf(slaHistory);
    }

    /** A product without SLA history or a known table size. */
    public ProductReport(ProductSpec spec, SlaStatus sla, List<Check> latestChecks, List<RunPoint> history,
            dev.mesh.quality.feedback.FeedbackSummary feedback) {
        this(spec, sla, latestChecks, history, feedback, List.of(), null);
    }

    /** One evaluation of the SLA: its level, the data's age then (seconds, if known) and why. */
    public record SlaPoint(Instant at, String level, Long freshnessSeconds, List<String> reasons) {}

    /** One constraint of the latest checked run. */
    public record Check(String constraint, String level, boolean passed, String metric, Double value, String message) {}

    /** One run on the charts (every status but skipped): its batch, quarantine rate, score and duration. */
    public record RunPoint(Instant at, String status, long rowsOut, double quarantineRate, Double qualityScore,
            double durationSeconds) {}
}
