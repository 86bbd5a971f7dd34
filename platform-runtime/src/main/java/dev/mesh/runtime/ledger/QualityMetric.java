package dev.mesh.runtime.ledger;

import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.spi.ConstraintOutcome;
import dev.mesh.runtime.spi.MetricValue;
import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.ProductId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One row of {@code _platform/quality_metrics}: a constraint the gate judged ({@link Kind#CONSTRAINT}) or a metric it
 * computed ({@link Kind#METRIC}).
 */
public record QualityMetric(String runId, ProductId product, Kind kind, String constraint, CheckSpec.Level level,
        Outcome outcome, String entity, String instance, String metricName, Double value, String message,
        Instant recordedAt) {
    /** The {@code row_type} column. */
    public enum Kind {
        CONSTRAINT, METRIC;

        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The {@code status} column: a constraint passed or failed; a metric was computed or failed to be. */
    public enum Outcome {
        PASSED, FAILED, COMPUTED;

        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The rows of a run: each constraint of its gate, then each metric. */
    public static List<QualityMetric> of(RunResult run, Instant recordedAt) {
        List<QualityMetric> rows = new ArrayList<>();
        for (ConstraintOutcome c : run.gate().constraints()) {
            rows.add(new QualityMetric(run.runId(), run.product(), Kind.CONSTRAINT, c.constraint(), c.level(),
                    c.passed() ? Outcome.PASSED : Outcome.FAILED, null, c.instance(), c.metricName(), c.value(),
                    c.message(), recordedAt));
        }
        for (MetricValue m : run.gate().metrics()) {
            rows.add(new QualityMetric(run.runId(), run.product(), Kind.METRIC, null, null,
                    m.error().isEmpty() ? Outcome.COMPUTED : Outcome.FAILED, m.entity(), m.instance(), m.name(),
                    m.value(), m.error(), recordedAt));
        }
        return rows;
    }
}
