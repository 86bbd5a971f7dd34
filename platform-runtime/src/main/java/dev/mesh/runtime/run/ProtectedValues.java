package dev.mesh.runtime.run;

import dev.mesh.runtime.spi.ConstraintOutcome;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.spi.MetricValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The gate judges the real values of personal data and protected columns, and what it says about them leaves the run
 * without them: a metric that is a value of the column (its minimum, maximum, mean, sum, deviation, quantiles, or a
 * histogram, whose names are values) is withheld, and a verdict on one says why it failed without the number. What
 * counts rows (completeness, uniqueness, distinct values, compliance, sizes) stays: it identifies no one, and the
 * quality trend of the column stays visible. The run's quality metrics, its lineage facet, the reports and the
 * messages of a blocked gate are all built from this result.
 */
final class ProtectedValues {
    private static final Set<String> VALUE_METRICS = Set.of("minimum", "maximum", "mean", "sum",
            "standarddeviation", "approxquantile", "approxquantiles", "exactquantile", "kll", "correlation");

    private ProtectedValues() {}

    /** The gate's result with the values of the {@code sensitive} columns (lower-case names) withheld. */
    static GateResult withhold(GateResult gate, Set<String> sensitive) {
        if (sensitive.isEmpty()) {
            return gate;
        }
        List<MetricValue> metrics = new ArrayList<>();
        for (MetricValue metric : gate.metrics()) {
            if (!revealed(metric.name(), metric.instance(), sensitive)) {
                metrics.add(metric);
            } else if (!metric.name().startsWith("Histogram")) {
                metrics.add(new MetricValue(metric.entity(), metric.instance(), metric.name(), null,
                        withheld(metric.instance(), sensitive)));
            }
        }
        List<ConstraintOutcome> constraints = new ArrayList<>();
        for (ConstraintOutcome outcome : gate.constraints()) {
            if (!revealed(outcome.metricName(), outcome.instance(), sensitive)) {
                constraints.add(outcome);
            } else {
                constraints.add(new ConstraintOutcome(outcome.constraint(), outcome.level(), outcome.passed(),
                        outcome.metricName(), outcome.instance(), null, outcome.passed() ? "" : "failed; "
                                + withheld(outcome.instance(), sensitive)));
            }
        }
        return new GateResult(constraints, metrics);
    }

    private static boolean revealed(String metric, String instance, Set<String> sensitive) {
        String name = metric.toLowerCase(Locale.ROOT);
        boolean valued = VALUE_METRICS.contains(name) || name.startsWith("histogram");
        return valued && columns(instance).stream().anyMatch(sensitive::contains);
    }

    private static String withheld(String instance, Set<String> sensitive) {
        String named = columns(instance).stream().filter(sensitive::contains).map(c -> "'" + c + "'")
                .collect(Collectors.joining(", "));
        return "the value is withheld: column " + named + " holds personal data or is protected";
    }

    private static List<String> columns(String instance) {
        List<String> columns = new ArrayList<>();
        for (String part : instance.split(",")) {
            columns.add(part.strip().replace("`", "").toLowerCase(Locale.ROOT));
        }
        return columns;
    }
}
