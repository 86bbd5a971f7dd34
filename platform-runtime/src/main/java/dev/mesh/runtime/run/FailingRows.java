package dev.mesh.runtime.run;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import dev.mesh.runtime.spi.ConstraintOutcome;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.spec.model.CheckSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The rows behind a failed row-level check, so that the owner sees what to fix, not only a share: a bound check
 * ({@code min}, {@code max}) says how many rows are past the bound, and every row-level check shows up to
 * {@value #SAMPLE} failing rows by the product's keys and the checked columns. Values of columns that hold
 * personal data or are protected are shown as {@code (withheld)}. One more Spark job per failed check, only then.
 */
final class FailingRows {
    static final int SAMPLE = 3;
    private static final int SHOWN_COLUMNS = 5;
    private static final int LONGEST = 40;

    private FailingRows() {}

    /** The gate's result with the failing rows of each failed row-level check added to its message. */
    static GateResult sampled(GateResult gate, Dataset<Row> rows, List<CheckSpec> checks, List<String> keys,
            long total, Set<String> sensitive) {
        Map<String, CheckSpec> byName = checks.stream()
                .collect(Collectors.toMap(CheckSpec::describe, Function.identity(), (a, b) -> a));
        List<ConstraintOutcome> outcomes = new ArrayList<>();
        for (ConstraintOutcome outcome : gate.constraints()) {
            CheckSpec spec = byName.get(outcome.constraint());
            Optional<String> more = outcome.passed() || spec == null ? Optional.empty()
                    : describe(rows, spec, keys, total, sensitive);
            outcomes.add(more.map(text -> new ConstraintOutcome(outcome.constraint(), outcome.level(), false,
                    outcome.metricName(), outcome.instance(), outcome.value(), outcome.message() + text))
                    .orElse(outcome));
        }
        return new GateResult(outcomes, gate.metrics());
    }

    private static Optional<String> describe(Dataset<Row> rows, CheckSpec spec, List<String> keys, long total,
            Set<String> sensitive) {
        Optional<Column> failing = failing(spec);
        if (failing.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder();
        if (spec.kind() == CheckSpec.CheckKind.MIN || spec.kind() == CheckSpec.CheckKind.MAX) {
            long count = rows.where(failing.get()).count();
            text.append(" (").append(count).append(" of ").append(total).append(" rows ")
                    .append(spec.kind() == CheckSpec.CheckKind.MIN ? "below " + spec.min() : "above " + spec.max())
                    .append(')');
        }
        // rows are named by their keys; a product without keys by its first columns
        List<String> names = keys.isEmpty() ? List.of(rows.columns()).subList(0, Math.min(2, rows.columns().length))
                : keys;
        List<String> shown = new ArrayList<>(new LinkedHashSet<>(concat(names, spec.columns())));
        if (spec.columns().isEmpty()) {
            shown = new ArrayList<>(new LinkedHashSet<>(concat(shown, List.of(rows.columns()))));
        }
        shown = shown.subList(0, Math.min(SHOWN_COLUMNS, shown.size()));
        List<Row> sample;
        if (spec.kind() == CheckSpec.CheckKind.UNIQUE) {
            List<String> columns = spec.columns();
            shown = columns;
            sample = rows.groupBy(columns.stream().map(c -> col(c)).toArray(Column[]::new)).count()
                    .where(col("count").gt(1)).limit(SAMPLE).collectAsList();
        } else {
            sample = rows.where(failing.get()).select(shown.stream().map(c -> col(c)).toArray(Column[]::new))
                    .limit(SAMPLE).collectAsList();
        }
        if (sample.isEmpty()) {
            return text.isEmpty() ? Optional.empty() : Optional.of(text.toString());
        }
        List<String> described = new ArrayList<>();
        for (Row row : sample) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < shown.size(); i++) {
                String name = shown.get(i);
                cells.add(name + "=" + (sensitive.contains(name.toLowerCase(Locale.ROOT)) ? "(withheld)"
                        : cell(row.get(i))));
            }
            if (spec.kind() == CheckSpec.CheckKind.UNIQUE) {
                cells.add(row.getLong(shown.size()) + " rows");
            }
            described.add(String.join(", ", cells));
        }
        return Optional.of(text + "; failing rows, e.g. " + String.join(" | ", described));
    }

    /** The rows that fail the check's row-level condition; empty for checks on the whole table (row count, mean). */
    static Optional<Column> failing(CheckSpec spec) {
        return switch (spec.kind()) {
            case COMPLETE, COMPLETENESS -> Optional.of(col(spec.column()).isNull());
            case ALLOWED_VALUES -> Optional.of(col(spec.column()).isNotNull()
                    .and(not(col(spec.column()).cast("string").isin(spec.values().toArray()))));
            case PATTERN -> Optional.of(not(coalesce(col(spec.column()).cast("string").rlike(spec.regex()),
                    lit(false))));
            case SATISFIES -> Optional.of(not(coalesce(expr(spec.sql()), lit(false))));
            case MIN -> spec.minValue().map(bound -> col(spec.column()).lt(bound));
            case MAX -> spec.maxValue().map(bound -> col(spec.column()).gt(bound));
            case UNIQUE -> Optional.of(lit(true));
            case ROW_COUNT, MEAN -> Optional.empty();
        };
    }

    private static String cell(Object value) {
        String text = String.valueOf(value);
        return text.length() <= LONGEST ? text : text.substring(0, LONGEST) + "…";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
