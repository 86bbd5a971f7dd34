package dev.mesh.spec.model;

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

    /**
     * The kinds of dataset-level rule: the name a spec uses for each and the fields it takes besides {@code check},
     * {@code level} and {@code name}. How a kind is read, run by Deequ and exported to ODCS are switch expressions over
     * this enum (in {@code CheckFields}, {@code DeequVerification} and {@code OdcsExport}), so a new kind does not
     * compile until each place handles it; docs/extending.md lists them.
     */
    public enum CheckKind {
        COMPLETE("complete", "column"),
        COMPLETENESS("completeness", "column", "min"),
        UNIQUE("unique", "column", "columns"),
        ALLOWED_VALUES("allowedValues", "column", "values"),
        ROW_COUNT("rowCount", "min", "max"),
        MIN("min", "column", "atLeast", "atMost"),
        MAX("max", "column", "atLeast", "atMost"),
        MEAN("mean", "column", "atLeast", "atMost"),
        PATTERN("pattern", "column", "regex", "min"),
        SATISFIES("satisfies", "sql", "min");

        private final String specName;
        private final List<String> fields;

        CheckKind(String specName, String... fields) {
            this.specName = specName;
            this.fields = List.of(fields);
        }

        public String specName() {
            return specName;
        }

        /** The fields a check of this kind may set, in the order the reference documents them. */
        public List<String> fields() {
            return fields;
        }
    }

    /** Whether a failure blocks publication (error) or is only recorded (warning). */
    public enum Level {
        ERROR, WARNING
    }
}
