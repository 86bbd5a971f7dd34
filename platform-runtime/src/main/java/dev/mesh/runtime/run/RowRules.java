package dev.mesh.runtime.run;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import dev.mesh.spec.model.RowRuleSpec;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Row rules as one Spark expression: a column holding the names of the rules each row breaks, computed in the same
 * plan as the transformation, so that splitting good rows from quarantined ones reads the data once.
 */
final class RowRules {
    static final String VIOLATIONS = "_mesh_violations";

    private RowRules() {}

    /** The data with a {@link #VIOLATIONS} column (an array of rule names, empty for a good row). */
    static Dataset<Row> annotate(Dataset<Row> data, List<RowRuleSpec> rules) {
        Column[] failures = rules.stream()
                .map(rule -> when(not(coalesce(passes(rule), lit(false))), lit(rule.name())))
                .toArray(Column[]::new);
        Column broken = functions.filter(array(failures), Column::isNotNull);
        return data.withColumn(VIOLATIONS, broken);
    }

    /** How many rows there are, and how many of them broke a rule. */
    record Counts(long total, long broken) {
        long good() {
            return total - broken;
        }
    }

    /** Counts in one job; {@code annotated} says whether the data carries the violations column. */
    static Counts count(Dataset<Row> data, boolean annotated) {
        if (!annotated) {
            return new Counts(data.count(), 0);
        }
        Row row = data.agg(functions.count(lit(1)),
                functions.sum(when(functions.size(col(VIOLATIONS)).gt(0), 1).otherwise(0))).head();
        return new Counts(row.getLong(0), row.isNullAt(1) ? 0 : row.getLong(1));
    }

    /** The counts as aggregates a pass can observe ({@code Dataset.observe}): all rows, and rows breaking a rule. */
    static Column[] counters(boolean annotated) {
        Column broken = annotated ? functions.sum(when(functions.size(col(VIOLATIONS)).gt(0), 1L).otherwise(0L))
                : functions.sum(lit(0L));
        return new Column[] {functions.count(lit(1)).as("rows"), broken.as("broken")};
    }

    /** The counts from the row of {@link #counters} observed. */
    static Counts counts(Row observed) {
        return new Counts(observed.getLong(0), observed.isNullAt(1) ? 0 : observed.getLong(1));
    }

    static Dataset<Row> good(Dataset<Row> annotated) {
        return annotated.where(functions.size(col(VIOLATIONS)).equalTo(0)).drop(VIOLATIONS);
    }

    /** Rows that broke a rule, as quarantine records: the rules broken, and the row as JSON. */
    static Dataset<Row> rejected(Dataset<Row> annotated, List<String> columns) {
        Column[] fields = columns.stream().map(c -> col("`" + c + "`")).toArray(Column[]::new);
        return annotated.where(functions.size(col(VIOLATIONS)).gt(0)).select(
                lit("rowRules").as("input"),
                col(VIOLATIONS).as("reasons"),
                functions.to_json(functions.struct(fields)).as("record"),
                lit(null).cast("string").as("file"));
    }

    /** Whether a row passes the rule; null values pass every rule but notNull. */
    private static Column passes(RowRuleSpec rule) {
        Column value = rule.column() == null ? null : col("`" + rule.column() + "`");
        return switch (rule.kind()) {
            case NOT_NULL -> value.isNotNull();
            case ALLOWED_VALUES -> value.isNull().or(value.cast("string").isin(rule.values().toArray()));
            case PATTERN -> value.isNull().or(value.rlike(rule.regex()));
            case RANGE -> {
                Column inRange = lit(true);
                if (rule.min() != null) {
                    inRange = inRange.and(value.geq(lit(rule.min())));
                }
                if (rule.max() != null) {
                    inRange = inRange.and(value.leq(lit(rule.max())));
                }
                yield value.isNull().or(inRange);
            }
            // as SQL CHECK constraints do, a predicate that is unknown (null) does not fail the row
            case SATISFIES -> coalesce(expr(rule.sql()), lit(true));
        };
    }
}
