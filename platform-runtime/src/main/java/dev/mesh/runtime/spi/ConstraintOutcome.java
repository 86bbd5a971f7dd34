package dev.mesh.runtime.spi;

import static java.util.Objects.requireNonNull;

import dev.mesh.spec.model.CheckSpec.Level;

/** The result of one quality rule: passed or not, the metric it was judged on, and why it failed. */
public record ConstraintOutcome(
        String constraint,
        Level level,
        boolean passed,
        String metricName,
        String instance,
        Double value,
        String message) {
    public ConstraintOutcome {
        requireNonNull(constraint, "constraint is null");
        requireNonNull(level, "level is null");
        metricName = metricName == null ? "" : metricName;
        instance = instance == null ? "" : instance;
        message = message == null ? "" : message;
    }
}
