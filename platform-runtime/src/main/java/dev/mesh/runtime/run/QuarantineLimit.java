package dev.mesh.runtime.run;

import dev.mesh.runtime.result.Shares;
import dev.mesh.runtime.spi.ConstraintOutcome;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.spi.MetricValue;
import dev.mesh.spec.model.CheckSpec.Level;
import dev.mesh.spec.model.ProductSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The quarantine rate as a gate rule and a metric: the share of a run's records that went to quarantine (malformed
 * source records and rows that broke row rules) among all it processed. Above {@code maxQuarantineRate} the gate fails.
 */
final class QuarantineLimit {
    static final String CONSTRAINT = "maxQuarantineRate";
    static final String METRIC = "QuarantineRate";

    private QuarantineLimit() {}

    static GateResult apply(GateResult gate, ProductSpec product, long quarantined, long published) {
        long total = quarantined + published;
        double rate = total == 0 ? 0.0 : (double) quarantined / total;
        List<MetricValue> metrics = new ArrayList<>(gate.metrics());
        metrics.add(new MetricValue("Dataset", "*", METRIC, rate, null));
        List<ConstraintOutcome> constraints = new ArrayList<>(gate.constraints());
        product.quality().quarantineRateLimit().ifPresent(limit -> {
            boolean passed = rate <= limit;
            constraints.add(new ConstraintOutcome(CONSTRAINT, Level.ERROR, passed, METRIC, "*", rate, passed ? ""
                    : String.format(Locale.ROOT, "value %s is above the limit %s: %d of %d records quarantined",
                            Shares.percent(rate), Shares.percent(limit), quarantined, total)));
        });
        return new GateResult(constraints, metrics);
    }
}
