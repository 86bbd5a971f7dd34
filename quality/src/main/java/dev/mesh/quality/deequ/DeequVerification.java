package dev.mesh.quality.deequ;

import com.amazon.deequ.VerificationResult;
import com.amazon.deequ.VerificationRunBuilder;
import com.amazon.deequ.VerificationSuite;
import com.amazon.deequ.analyzers.Analyzer;
import com.amazon.deequ.checks.Check;
import com.amazon.deequ.checks.CheckLevel;
import com.amazon.deequ.checks.CheckResult;
import com.amazon.deequ.constraints.ConstraintResult;
import com.amazon.deequ.constraints.ConstraintStatus;
import com.amazon.deequ.metrics.Metric;
import dev.mesh.runtime.result.Shares;
import dev.mesh.runtime.spi.ConstraintOutcome;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.spi.MetricHistory;
import dev.mesh.runtime.spi.MetricValue;
import dev.mesh.spec.model.AnomalySpec;
import dev.mesh.spec.model.CheckSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.DoublePredicate;
import java.util.function.LongSupplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Function1;
import scala.Option;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.util.Try;
import scala.util.matching.Regex;

/**
 * The only place that speaks Deequ's Scala API. Turns each {@link CheckSpec} into a one-constraint Deequ
 * {@link Check}, runs all of them in a single {@link VerificationSuite} run (Deequ shares one scan among all scan-based
 * analyzers), and turns the results back into the platform's Java model.
 */
public final class DeequVerification {
    private DeequVerification() {}

    public static GateResult verify(Dataset<Row> data, List<CheckSpec> specs) {
        return verify(data, specs, List.of(), MetricHistory.EMPTY);
    }

    /**
     * Evaluates the checks and the anomaly rules in one Deequ run: the metrics anomaly rules watch are computed as
     * required analyzers of the same run, then judged against {@code history}.
     */
    public static GateResult verify(Dataset<Row> data, List<CheckSpec> specs, List<AnomalySpec> anomalies,
            MetricHistory history) {
        if (specs.isEmpty() && anomalies.isEmpty()) {
            return GateResult.EMPTY;
        }
        // Deequ reports results by check; each check's description carries its position, as two rules may share
        // a display name (e.g. two completeness thresholds on one column)
        VerificationRunBuilder suite = new VerificationSuite().onData(data);
        for (int i = 0; i < specs.size(); i++) {
            suite = suite.addCheck(toCheck(specs.get(i), i));
        }
        List<Analyzer<?, Metric<?>>> watched = anomalies.stream().map(DeequAnomalies::analyzer).toList();
        if (!watched.isEmpty()) {
            suite = suite.addRequiredAnalyzers(seq(watched));
        }
        VerificationResult result = suite.run();
        // whether there are no rows words a failure to compute a metric; asked only then (one more Spark job)
        Boolean[] known = new Boolean[1];
        BooleanSupplier empty = () -> known[0] != null ? known[0] : (known[0] = data.isEmpty());
        // how many rows a failed share stands for; counted only when a share check fails (one more Spark job)
        long[] counted = {-1};
        LongSupplier rows = () -> counted[0] >= 0 ? counted[0] : (counted[0] = data.count());

        ConstraintOutcome[] outcomes = new ConstraintOutcome[specs.size()];
        Map<Check, CheckResult> checkResults = JavaConverters.mapAsJavaMap(result.checkResults());
        for (Map.Entry<Check, CheckResult> entry : checkResults.entrySet()) {
            String description = entry.getKey().description();
            int index = Integer.parseInt(description.substring(1, description.indexOf(' ')));
            for (ConstraintResult constraint : JavaConverters.seqAsJavaList(entry.getValue().constraintResults())) {
                outcomes[index] = outcome(specs.get(index), constraint, empty, rows);
            }
        }
        List<ConstraintOutcome> ordered = new ArrayList<>(List.of(outcomes));
        Map<Analyzer<?, Metric<?>>, Metric<?>> metricsByAnalyzer = JavaConverters.mapAsJavaMap(result.metrics());
        for (int i = 0; i < anomalies.size(); i++) {
            AnomalySpec anomaly = anomalies.get(i);
            Metric<?> metric = metricsByAnalyzer.get(watched.get(i));
            Double current = metric == null ? null : numeric(metric.value());
            ordered.add(DeequAnomalies.evaluate(anomaly, current,
                    history.values(DeequAnomalies.metricName(anomaly), DeequAnomalies.instance(anomaly))));
        }

        List<MetricValue> metrics = new ArrayList<>();
        for (Metric<?> metric : JavaConverters.asJavaCollection(result.metrics().values())) {
            metrics.add(metricValue(metric, empty));
        }
        return new GateResult(ordered, metrics);
    }

    private static ConstraintOutcome outcome(CheckSpec spec, ConstraintResult constraint, BooleanSupplier empty,
            LongSupplier rows) {
        boolean passed = constraint.status() == ConstraintStatus.Success();
        String message = DeequWords.inPlatformWords(constraint.message().isDefined() ? constraint.message().get() : "",
                empty);
        String metricName = "";
        String instance = "";
        Double value = null;
        if (constraint.metric().isDefined()) {
            Metric<?> metric = constraint.metric().get();
            metricName = metric.name();
            instance = metric.instance();
            value = numeric(metric.value());
            if (!passed && value != null) {
                // Deequ's own text ("Value: x does not meet the constraint requirement!") adds nothing to ours
                boolean generic = message.isEmpty() || message.endsWith("does not meet the constraint requirement!");
                message = "value " + value(spec, value) + failingRows(spec, value, rows) + " " + expectation(spec)
                        + (generic ? "" : " (" + message + ")");
            }
        }
        return new ConstraintOutcome(spec.describe(), spec.level(), passed, metricName, instance, value, message);
    }

    private static MetricValue metricValue(Metric<?> metric, BooleanSupplier empty) {
        Try<?> value = metric.value();
        String error = value.isFailure() ? DeequWords.inPlatformWords(value.failed().get().getMessage(), empty) : "";
        return new MetricValue(metric.entity().toString(), metric.instance(), metric.name(), numeric(value), error);
    }

    private static Double numeric(Try<?> value) {
        if (value.isSuccess() && value.get() instanceof Number number) {
            return number.doubleValue();
        }
        return null;
    }

    /** What a failed rule expected, in the spec's own words; shares as percentages. */
    static String expectation(CheckSpec spec) {
        return switch (spec.kind()) {
            case COMPLETE -> "is not 100%: the column has nulls";
            case COMPLETENESS -> "is below the required completeness " + Shares.percent(spec.min());
            case UNIQUE -> "is not 100%: some values occur more than once";
            case ALLOWED_VALUES -> "is not 100%: some values are not in " + spec.values();
            case ROW_COUNT, MIN, MAX, MEAN -> "is outside " + bounds(spec);
            case PATTERN -> "is below the required share " + Shares.percent(spec.minValue().orElse(1.0))
                    + " of values matching " + spec.regex();
            case SATISFIES -> "is below the required share " + Shares.percent(spec.minValue().orElse(1.0))
                    + " of rows satisfying " + spec.sql();
        };
    }

    /** The metric's value as the expectation words it: a share as a percentage, a count or bound as a number. */
    static String value(CheckSpec spec, double value) {
        return switch (spec.kind()) {
            case COMPLETE, COMPLETENESS, UNIQUE, ALLOWED_VALUES, PATTERN, SATISFIES -> Shares.percent(value);
            case ROW_COUNT, MIN, MAX, MEAN -> String.valueOf(value);
        };
    }

    /**
     * How many rows a failed share check stands for: each share Deequ computes for these kinds is a share of all rows
     * (rows with a value, with a unique value, in the allowed values, matching, satisfying), so the rest fail it.
     */
    static String failingRows(CheckSpec spec, double share, LongSupplier rows) {
        return switch (spec.kind()) {
            case COMPLETE, COMPLETENESS, UNIQUE, ALLOWED_VALUES, PATTERN, SATISFIES -> {
                long total = rows.getAsLong();
                long failing = total - Math.round(share * total);
                yield total == 0 ? "" : " (" + failing + " of " + total + " rows fail it)";
            }
            case ROW_COUNT, MIN, MAX, MEAN -> "";
        };
    }

    private static String bounds(CheckSpec spec) {
        return "[" + spec.minValue().map(String::valueOf).orElse("-inf") + ", "
                + spec.maxValue().map(String::valueOf).orElse("+inf") + "]";
    }

    static Check toCheck(CheckSpec spec, int index) {
        Check check = new Check(spec.level() == CheckSpec.Level.ERROR ? CheckLevel.Error() : CheckLevel.Warning(),
                "#" + index + " " + spec.describe(), seq(List.of()));
        Option<String> none = Option.empty();
        return switch (spec.kind()) {
            case COMPLETE -> check.isComplete(spec.column(), none, Option.empty());
            case COMPLETENESS -> check.hasCompleteness(spec.column(), assertion(atLeast(spec)), none,
                    Option.empty());
            case UNIQUE -> spec.columns().size() == 1
                    ? check.isUnique(spec.column(), none, Option.empty())
                    : check.hasUniqueness(seq(spec.columns()), assertion(v -> v == 1.0));
            case ALLOWED_VALUES -> check.isContainedIn(spec.column(), spec.values().toArray(String[]::new));
            case ROW_COUNT -> check.hasSize(assertion(within(spec)), none);
            case MIN -> check.hasMin(spec.column(), assertion(within(spec)), none, Option.empty());
            case MAX -> check.hasMax(spec.column(), assertion(within(spec)), none, Option.empty());
            case MEAN -> check.hasMean(spec.column(), assertion(within(spec)), none);
            case PATTERN -> check.hasPattern(spec.column(), new Regex(spec.regex(), seq(List.of())),
                    assertion(atLeast(spec)), none, none, Option.empty());
            case SATISFIES -> check.satisfies(spec.sql(), spec.describe(), assertion(atLeast(spec)), none,
                    JavaConverters.asScalaBuffer(new ArrayList<String>()).toList(), Option.empty());
        };
    }

    private static SerializablePredicate within(CheckSpec spec) {
        double min = spec.minValue().orElse(Double.NEGATIVE_INFINITY);
        double max = spec.maxValue().orElse(Double.POSITIVE_INFINITY);
        return v -> v >= min && v <= max;
    }

    private static SerializablePredicate atLeast(CheckSpec spec) {
        double min = spec.minValue().orElse(1.0);
        return v -> v >= min;
    }

    private static Function1<Object, Object> assertion(SerializablePredicate predicate) {
        return (Function1<Object, Object> & Serializable) value -> predicate.test(((Number) value).doubleValue());
    }

    private static <T> Seq<T> seq(List<T> values) {
        return JavaConverters.asScalaBuffer(new ArrayList<>(values)).toSeq();
    }

    /** A predicate that can travel with a serialized Check. */
    private interface SerializablePredicate extends DoublePredicate, Serializable {}
}
