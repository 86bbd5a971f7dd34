package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A rule on how a metric may move against its history (the same metric of the product's earlier runs): a bounded
 * relative change from the previous run ({@code maxDecrease}, {@code maxIncrease}, fractions), a bounded absolute
 * change ({@code maxChange}), or within {@code stdDevs} standard deviations of the history's mean.
 */
public record AnomalySpec(
        Metric metric,
        String column,
        Double maxDecrease,
        Double maxIncrease,
        Double maxChange,
        Double stdDevs,
        CheckSpec.Level level) {
    public AnomalySpec {
        requireNonNull(metric, "metric is null");
        requireNonNull(level, "level is null");
    }

    public Optional<String> columnName() {
        return Optional.ofNullable(column);
    }

    /** A short, stable description: {@code anomaly(rowCount)}, {@code anomaly(mean(amount))}. */
    public String describe() {
        return "anomaly(" + (column == null ? metric.specName() : metric.specName() + "(" + column + ")") + ")";
    }

    /** The metrics anomaly rules can watch. */
    public enum Metric {
        ROW_COUNT("rowCount", false),
        COMPLETENESS("completeness", true),
        MEAN("mean", true),
        MIN("min", true),
        MAX("max", true),
        SUM("sum", true),
        DISTINCT("distinct", true);

        private final String specName;
        private final boolean needsColumn;

        Metric(String specName, boolean needsColumn) {
            this.specName = specName;
            this.needsColumn = needsColumn;
        }

        public String specName() {
            return specName;
        }

        public boolean needsColumn() {
            return needsColumn;
        }
    }
}
