package dev.mesh.quality.deequ;

import com.amazon.deequ.analyzers.Analyzer;
import com.amazon.deequ.analyzers.ApproxCountDistinct;
import com.amazon.deequ.analyzers.Completeness;
import com.amazon.deequ.analyzers.Maximum;
import com.amazon.deequ.analyzers.Mean;
import com.amazon.deequ.analyzers.Minimum;
import com.amazon.deequ.analyzers.Size;
import com.amazon.deequ.analyzers.Sum;
import com.amazon.deequ.anomalydetection.AbsoluteChangeStrategy;
import com.amazon.deequ.anomalydetection.Anomaly;
import com.amazon.deequ.anomalydetection.AnomalyDetectionStrategy;
import com.amazon.deequ.anomalydetection.OnlineNormalStrategy;
import com.amazon.deequ.anomalydetection.RelativeRateOfChangeStrategy;
import com.amazon.deequ.metrics.Metric;
import dev.mesh.runtime.spi.ConstraintOutcome;
import dev.mesh.spec.model.AnomalySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import scala.Option;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Anomaly rules on Deequ's anomaly detection strategies: the metric is computed in the gate's one Deequ pass (as a
 * required analyzer) and judged with the strategy against the product's history. The outcome's message records the
 * thresholds the judgement used.
 */
final class DeequAnomalies {
    /** Standard-deviation rules need this many earlier values before they judge. */
    static final int MIN_HISTORY_FOR_DEVIATIONS = 3;

    private DeequAnomalies() {}

    @SuppressWarnings("unchecked")
    static Analyzer<?, Metric<?>> analyzer(AnomalySpec spec) {
        Option<String> none = Option.empty();
        String column = spec.column();
        Object analyzer = switch (spec.metric()) {
            case ROW_COUNT -> new Size(none);
            case COMPLETENESS -> new Completeness(column, none, Option.empty());
            case MEAN -> new Mean(column, none);
            case MIN -> new Minimum(column, none, Option.empty());
            case MAX -> new Maximum(column, none, Option.empty());
            case SUM -> new Sum(column, none);
            case DISTINCT -> new ApproxCountDistinct(column, none);
        };
        return (Analyzer<?, Metric<?>>) analyzer;
    }

    /** Deequ's name of the metric the rule watches, and its instance, as stored in quality_metrics. */
    static String metricName(AnomalySpec spec) {
        return switch (spec.metric()) {
            case ROW_COUNT -> "Size";
            case COMPLETENESS -> "Completeness";
            case MEAN -> "Mean";
            case MIN -> "Minimum";
            case MAX -> "Maximum";
            case SUM -> "Sum";
            case DISTINCT -> "ApproxCountDistinct";
        };
    }

    static String instance(AnomalySpec spec) {
        return spec.column() == null ? "*" : spec.column();
    }

    static ConstraintOutcome evaluate(AnomalySpec spec, Double current, List<Double> history) {
        String name = metricName(spec);
        String instance = instance(spec);
        if (current == null) {
            return new ConstraintOutcome(spec.describe(), spec.level(), false, name, instance, null,
                    "the metric could not be computed on this run's data");
        }
        if (history.isEmpty()) {
            return new ConstraintOutcome(spec.describe(), spec.level(), true, name, instance, current,
                    "no earlier published run: this value starts the history");
        }
        double previous = history.get(history.size() - 1);
        String thresholds;
        AnomalyDetectionStrategy strategy;
        if (spec.stdDevs() != null) {
            if (history.size() < MIN_HISTORY_FOR_DEVIATIONS) {
                return new ConstraintOutcome(spec.describe(), spec.level(), true, name, instance, current,
                        "history of " + history.size() + " runs is too short to judge deviations (needs "
                                + MIN_HISTORY_FOR_DEVIATIONS + ")");
            }
            double mean = history.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double variance = history.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (history.size() - 1);
            double deviation = Math.sqrt(variance);
            thresholds = String.format(Locale.ROOT, "history of %d runs: mean %s, standard deviation %s; allowed "
                    + "within %s standard deviations: [%s, %s]", history.size(), number(mean), number(deviation),
                    number(spec.stdDevs()), number(mean - spec.stdDevs() * deviation),
                    number(mean + spec.stdDevs() * deviation));
            strategy = new OnlineNormalStrategy(Option.apply(spec.stdDevs()), Option.apply(spec.stdDevs()), 0.0,
                    true);
        } else if (spec.maxChange() != null) {
            thresholds = String.format(Locale.ROOT, "previous %s; allowed change at most %s: [%s, %s]",
                    number(previous), number(spec.maxChange()), number(previous - spec.maxChange()),
                    number(previous + spec.maxChange()));
            strategy = new AbsoluteChangeStrategy(Option.apply(-spec.maxChange()), Option.apply(spec.maxChange()), 1);
        } else {
            Option<Object> lowest = spec.maxDecrease() == null ? Option.empty() : Option.apply(1 - spec.maxDecrease());
            Option<Object> highest = spec.maxIncrease() == null ? Option.empty()
                    : Option.apply(1 + spec.maxIncrease());
            thresholds = String.format(Locale.ROOT, "previous %s; allowed %s to %s of it: [%s, %s]", number(previous),
                    spec.maxDecrease() == null ? "any fall" : percent(1 - spec.maxDecrease()),
                    spec.maxIncrease() == null ? "any rise" : percent(1 + spec.maxIncrease()),
                    spec.maxDecrease() == null ? "-inf" : number(previous * (1 - spec.maxDecrease())),
                    spec.maxIncrease() == null ? "+inf" : number(previous * (1 + spec.maxIncrease())));
            strategy = new RelativeRateOfChangeStrategy(lowest, highest, 1);
        }
        List<Object> series = new ArrayList<>(history);
        series.add(current);
        int last = series.size() - 1;
        Seq<Tuple2<Object, Anomaly>> found = strategy.detect(
                JavaConverters.asScalaBuffer(series).toVector(), new Tuple2<>(last, last + 1));
        boolean anomalous = !found.isEmpty();
        String message = (anomalous ? "anomaly: value " + number(current) + " is outside the expected range; "
                : "value " + number(current) + "; ") + thresholds;
        return new ConstraintOutcome(spec.describe(), spec.level(), !anomalous, name, instance, current, message);
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }
}
