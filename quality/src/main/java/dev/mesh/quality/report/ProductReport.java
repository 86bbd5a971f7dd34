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
        dev.mesh.quality.feedback.FeedbackSummary feedback) {
    public ProductReport {
        requireNonNull(spec, "spec is null");
        requireNonNull(sla, "sla is null");
        latestChecks = List.copyOf(latestChecks);
        history = List.copyOf(history);
        requireNonNull(feedback, "feedback is null");
    }

    /** One constraint of the latest checked run. */
    public record Check(String constraint, String level, boolean passed, String metric, Double value, String message) {}

    /** One run on the charts. */
    public record RunPoint(Instant at, String status, long rowsOut, double quarantineRate, Double qualityScore,
            double durationSeconds) {}
}
