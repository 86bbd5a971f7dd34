package dev.mesh.spec;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One dataset-level quality rule. Which of the optional parameters apply depends on {@link #kind()}; the spec
 * validator guarantees that the ones a kind needs are present.
 */
public record CheckSpec(
        CheckKind kind,
        Level level,
        String name,
        List<String> columns,
        List<String> values,
        Double min,
        Double max,
        String regex,
        String sql) {
    public CheckSpec {
        requireNonNull(kind, "kind is null");
        requireNonNull(level, "level is null");
        columns = List.copyOf(columns);
        values = List.copyOf(values);
    }

    public String column() {
        return columns.isEmpty() ? null : columns.get(0);
    }

    public Optional<Double> minValue() {
        return Optional.ofNullable(min);
    }

    public Optional<Double> maxValue() {
        return Optional.ofNullable(max);
    }

    /** A short, stable description used as the constraint's name in metrics and reports. */
    public String describe() {
        if (name != null && !name.isEmpty()) {
            return kind.specName() + "(" + name + ")";
        }
        return kind.specName() + (columns.isEmpty() ? "" : "(" + String.join(",", columns) + ")");
    }

    /** The kinds of dataset-level rule, by the name a spec uses for them. */
    public enum CheckKind {
        COMPLETE("complete"),
        COMPLETENESS("completeness"),
        UNIQUE("unique"),
        ALLOWED_VALUES("allowedValues"),
        ROW_COUNT("rowCount"),
        MIN("min"),
        MAX("max"),
        PATTERN("pattern"),
        SATISFIES("satisfies");

        private final String specName;

        CheckKind(String specName) {
            this.specName = specName;
        }

        public String specName() {
            return specName;
        }
    }

    /** Whether a failure blocks publication (error) or is only recorded (warning). */
    public enum Level {
        ERROR, WARNING
    }
}
