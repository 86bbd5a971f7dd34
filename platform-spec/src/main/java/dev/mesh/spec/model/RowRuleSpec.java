package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A rule every row must follow; a row that breaks any goes to the product's quarantine with the names of all the
 * rules it broke, and the others continue. A null value passes every rule but {@code notNull}, and a
 * {@code satisfies} predicate that is unknown (null) passes, as SQL CHECK constraints do.
 */
public record RowRuleSpec(Kind kind, String name, String column, List<String> values, Double min, Double max,
        String regex, String sql) {
    public RowRuleSpec {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        values = List.copyOf(values);
    }

    /** The default name of a rule: its kind and column, e.g. {@code notNull(order_id)}. */
    public static String defaultName(Kind kind, String column) {
        return kind.specName() + "(" + column + ")";
    }

    /** The kinds of row rule, by the name a spec uses for them. */
    public enum Kind {
        NOT_NULL("notNull"),
        ALLOWED_VALUES("allowedValues"),
        PATTERN("pattern"),
        RANGE("range"),
        SATISFIES("satisfies");

        private final String specName;

        Kind(String specName) {
            this.specName = specName;
        }

        public String specName() {
            return specName;
        }
    }
}
