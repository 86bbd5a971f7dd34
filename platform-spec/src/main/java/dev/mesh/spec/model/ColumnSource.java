package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One input column a product's output depends on: {@code input} is the name of the product's input (its view),
 * {@code column} the input's column, {@code how} the way the output uses it. A direct source puts its values into the
 * output column (copied as they are, through an expression, through an aggregate); an indirect one decides which rows
 * there are (a filter, a join key, a grouping, a sort, a window's partition or order) without its values being output.
 */
public record ColumnSource(String input, String column, How how) {
    public ColumnSource {
        requireNonNull(input, "input is null");
        requireNonNull(column, "column is null");
        requireNonNull(how, "how is null");
    }

    public boolean direct() {
        return how.direct;
    }

    public String describe() {
        return input + "." + column + " (" + how.specName() + ")";
    }

    /** How an output depends on an input column; named as OpenLineage's column lineage names its subtypes. */
    public enum How {
        /** The values as they are, under the input's name or another. */
        IDENTITY(true),
        /** An expression of the values: a function, an operator, a cast, CASE, a struct or array built of them. */
        TRANSFORMATION(true),
        /** An aggregate of the values (sum, count, collect_list, a window's aggregate). */
        AGGREGATION(true),
        FILTER(false),
        JOIN(false),
        GROUP_BY(false),
        SORT(false),
        WINDOW(false);

        private final boolean direct;

        How(boolean direct) {
            this.direct = direct;
        }

        public String specName() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }

        /** The OpenLineage transformation type: DIRECT or INDIRECT. */
        public String openLineageType() {
            return direct ? "DIRECT" : "INDIRECT";
        }

        /** The weaker of two direct dependencies: a copy of a transformed value is transformed. */
        public How then(How next) {
            return next.ordinal() > ordinal() ? next : this;
        }
    }
}
