package dev.mesh.quality.suggest;

import dev.mesh.quality.deequ.DeequProfiles;
import dev.mesh.quality.deequ.DeequVerification;
import dev.mesh.quality.profile.ColumnFacts;
import dev.mesh.runtime.spi.ConstraintOutcome;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.CheckSpec.CheckKind;
import dev.mesh.spec.model.CheckSpec.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;

/**
 * Suggests quality rules for data: Deequ profiles it, facts become candidate checks in this project's spec syntax,
 * and only the candidates that pass on that same data (verified in one Deequ run) are kept.
 */
public final class RuleSuggester {
    private RuleSuggester() {}

    /** The suggestion: the checks kept, and the data's row count. */
    public record Suggestion(List<CheckSpec> checks, long rows) {}

    public static Suggestion suggest(Dataset<Row> data) {
        long rows = data.count();
        List<CheckSpec> candidates = new ArrayList<>();
        candidates.add(check(CheckKind.ROW_COUNT, List.of(), List.of(), 1.0, null));
        for (ColumnFacts facts : DeequProfiles.profile(data)) {
            DataType type = data.schema().apply(facts.column()).dataType();
            String column = facts.column();
            if (facts.completeness() >= 1.0) {
                candidates.add(check(CheckKind.COMPLETE, List.of(column), List.of(), null, null));
            } else if (facts.completeness() > 0) {
                // a floor a little under what the data shows, rounded down to a percent
                double floor = Math.floor(facts.completeness() * 100) / 100;
                candidates.add(check(CheckKind.COMPLETENESS, List.of(column), List.of(), floor, null));
            }
            boolean looksUnique = rows > 1 && facts.approxDistinct() >= rows * 0.95;
            if (looksUnique) {
                candidates.add(check(CheckKind.UNIQUE, List.of(column), List.of(), null, null));
            }
            // a categorical column repeats its values: at most half as many values as rows
            if (type instanceof StringType && !facts.values().isEmpty() && facts.values().size() * 2L <= rows) {
                candidates.add(check(CheckKind.ALLOWED_VALUES, List.of(column), facts.values(), null, null));
            }
            if (type instanceof NumericType && facts.min() != null) {
                if (facts.min() >= 0) {
                    candidates.add(check(CheckKind.MIN, List.of(column), List.of(), 0.0, null));
                } else {
                    candidates.add(check(CheckKind.MIN, List.of(column), List.of(), Math.floor(facts.min()), null));
                }
            }
        }
        GateResult verified = DeequVerification.verify(data, candidates);
        List<CheckSpec> kept = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            ConstraintOutcome outcome = verified.constraints().get(i);
            if (outcome.passed()) {
                kept.add(candidates.get(i));
            }
        }
        return new Suggestion(kept, rows);
    }

    private static CheckSpec check(CheckKind kind, List<String> columns, List<String> values, Double min, Double max) {
        return new CheckSpec(kind, Level.ERROR, null, columns, values, min, max, null, null);
    }

    /**
     * The checks as YAML in this project's spec syntax, ready to paste under {@code quality:}: each kind's own fields,
     * in the order {@link CheckKind#fields()} gives them, so a new kind is written without a case of its own here.
     */
    public static String yaml(List<CheckSpec> checks) {
        StringBuilder yaml = new StringBuilder("quality:\n  checks:\n");
        for (CheckSpec check : checks) {
            yaml.append("    - { check: ").append(check.kind().specName());
            for (String field : check.kind().fields()) {
                String value = switch (field) {
                    case "column" -> check.columns().size() == 1 ? check.column() : null;
                    case "columns" -> check.columns().size() > 1 ? "[" + String.join(", ", check.columns()) + "]"
                            : null;
                    case "values" -> check.values().isEmpty() ? null : "[" + String.join(", ",
                            check.values().stream().map(RuleSuggester::quote).toList()) + "]";
                    case "min", "atLeast" -> check.min() == null ? null : number(check.min());
                    case "max", "atMost" -> check.max() == null ? null : number(check.max());
                    case "regex" -> check.regex() == null ? null : quote(check.regex());
                    case "sql" -> check.sql() == null ? null : quote(check.sql());
                    default -> throw new IllegalStateException("no YAML for field " + field + " of "
                            + check.kind().specName());
                };
                if (value != null) {
                    yaml.append(", ").append(field).append(": ").append(value);
                }
            }
            yaml.append(" }\n");
        }
        return yaml.toString();
    }

    private static String number(Double value) {
        return value == Math.rint(value) ? Long.toString(value.longValue()) : String.format(Locale.ROOT, "%s", value);
    }

    /** A YAML flow scalar: plain when safe, else double-quoted. */
    static String quote(String value) {
        boolean plain = value.matches("[A-Za-z0-9_][A-Za-z0-9_ .-]*") && !value.endsWith(" ")
                && !List.of("true", "false", "null", "yes", "no", "on", "off", "~").contains(value.toLowerCase(Locale.ROOT))
                && !value.matches("[0-9.+-]+([eE][0-9+-]+)?");
        return plain ? value : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
