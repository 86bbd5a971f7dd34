package dev.mesh.spec.yaml;

import dev.mesh.spec.model.AnomalySpec;
import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.OutputSpec;
import dev.mesh.spec.model.QualitySpec;
import dev.mesh.spec.model.RowRuleSpec;
import dev.mesh.spec.spi.SqlSyntax;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/** Binds a product's {@code quality} block: row rules, dataset checks ({@link CheckFields}) and anomaly rules. */
final class QualityFields {
    static final Set<String> QUALITY = YamlNode.fields("rowRules", "maxQuarantineRate", "checks",
            "anomalies");
    private static final Map<String, RowRuleSpec.Kind> ROW_RULE_KINDS = rowRuleKinds();
    static final Map<String, Set<String>> ROW_RULE_FIELDS = Map.of(
            "notNull", YamlNode.fields("check", "name", "column"),
            "allowedValues", YamlNode.fields("check", "name", "column", "values"),
            "pattern", YamlNode.fields("check", "name", "column", "regex"),
            "range", YamlNode.fields("check", "name", "column", "min", "max"),
            "satisfies", YamlNode.fields("check", "name", "sql"));
    private static final Map<String, AnomalySpec.Metric> ANOMALY_METRICS = anomalyMetrics();
    static final Set<String> ANOMALY = YamlNode.fields("metric", "column", "maxDecrease", "maxIncrease",
            "maxChange", "stdDevs", "level");

    private QualityFields() {}

    static QualitySpec read(YamlNode node, OutputSpec output, SqlSyntax sqlSyntax) {
        if (!node.expectMap(QUALITY)) {
            return QualitySpec.NONE;
        }
        List<RowRuleSpec> rowRules = new ArrayList<>();
        Set<String> ruleNames = new HashSet<>();
        for (YamlNode rule : node.list("rowRules", false)) {
            readRowRule(rule, output, sqlSyntax).ifPresent(r -> {
                if (!ruleNames.add(r.name())) {
                    rule.problem("name", "row rule '" + r.name() + "' is declared twice; give one a name");
                } else {
                    rowRules.add(r);
                }
            });
        }
        // malformed source records count too, so the limit also applies without row rules
        Double maxQuarantineRate = fraction(node, "maxQuarantineRate", false);
        List<CheckSpec> checks = new ArrayList<>();
        for (YamlNode check : node.list("checks", false)) {
            CheckFields.read(check, output, sqlSyntax).ifPresent(checks::add);
        }
        List<AnomalySpec> anomalies = new ArrayList<>();
        for (YamlNode anomaly : node.list("anomalies", false)) {
            readAnomaly(anomaly, output).ifPresent(anomalies::add);
        }
        return new QualitySpec(rowRules, maxQuarantineRate, checks, anomalies);
    }

    private static Optional<RowRuleSpec> readRowRule(YamlNode node, OutputSpec output, SqlSyntax sqlSyntax) {
        if (!node.isMap()) {
            node.expectMap(Set.of());
            return Optional.empty();
        }
        if (!node.has("check")) {
            node.problem("check", "is required; allowed: " + String.join(", ", ROW_RULE_KINDS.keySet()));
            return Optional.empty();
        }
        Optional<RowRuleSpec.Kind> kind = node.choice("check", ROW_RULE_KINDS, "a row rule", true);
        if (kind.isEmpty() || !node.expectMap(ROW_RULE_FIELDS.get(kind.get().specName()))) {
            return Optional.empty();
        }
        String name = node.optionalString("name").orElse(null);
        if (name != null) {
            SpecRules.checkName(node, "name", name);
        }
        List<String> columns = new ArrayList<>();
        List<String> values = List.of();
        Double min = null;
        Double max = null;
        String regex = null;
        String sql = null;
        // a switch expression: a new kind that is not read here does not compile
        boolean valid = switch (kind.get()) {
            case NOT_NULL -> column(node, output, columns, null);
            case ALLOWED_VALUES -> {
                boolean read = column(node, output, columns, null);
                values = node.scalarList("values", true);
                yield read && !values.isEmpty();
            }
            case PATTERN -> {
                boolean read = column(node, output, columns, "string");
                regex = node.requiredString("regex");
                yield read & (regex != null && validRegex(node, regex));
            }
            case RANGE -> {
                boolean read = column(node, output, columns, "numeric");
                min = node.optionalNumber("min").orElse(null);
                max = node.optionalNumber("max").orElse(null);
                yield bounds(node, min, max, "min", "max") && read;
            }
            case SATISFIES -> {
                if (name == null) {
                    node.problem("name", "is required by satisfies: it names the rule in quarantine reasons");
                }
                sql = node.requiredString("sql");
                yield name != null && sql != null && validExpression(node, sql, sqlSyntax);
            }
        };
        if (!valid) {
            return Optional.empty();
        }
        String column = columns.isEmpty() ? null : columns.get(0);
        String ruleName = name != null ? name : RowRuleSpec.defaultName(kind.get(), column);
        return Optional.of(new RowRuleSpec(kind.get(), ruleName, column, values, min, max, regex, sql));
    }

    private static Optional<AnomalySpec> readAnomaly(YamlNode node, OutputSpec output) {
        if (!node.isMap()) {
            node.expectMap(Set.of());
            return Optional.empty();
        }
        if (!node.expectMap(ANOMALY)) {
            return Optional.empty();
        }
        Optional<AnomalySpec.Metric> metric = node.choice("metric", ANOMALY_METRICS, "a metric", true);
        if (metric.isEmpty()) {
            return Optional.empty();
        }
        List<String> columns = new ArrayList<>();
        boolean valid = true;
        if (metric.get().needsColumn()) {
            AnomalySpec.Metric chosen = metric.get();
            String family = chosen == AnomalySpec.Metric.COMPLETENESS || chosen == AnomalySpec.Metric.DISTINCT
                    ? null : "numeric";
            valid = column(node, output, columns, family);
        } else if (node.has("column")) {
            node.problem("column", "is not used by metric " + metric.get().specName());
            valid = false;
        }
        Double maxDecrease = fraction(node, "maxDecrease", false);
        Double maxIncrease = node.optionalNumber("maxIncrease").orElse(null);
        Double maxChange = node.optionalNumber("maxChange").orElse(null);
        Double stdDevs = node.optionalNumber("stdDevs").orElse(null);
        int strategies = (maxDecrease != null || maxIncrease != null ? 1 : 0) + (maxChange != null ? 1 : 0)
                + (stdDevs != null ? 1 : 0);
        if (strategies != 1) {
            node.problem("needs exactly one kind of bound: maxDecrease and/or maxIncrease (relative change), "
                    + "maxChange (absolute change) or stdDevs (distance from the history's mean)");
            valid = false;
        }
        for (String field : List.of("maxIncrease", "maxChange", "stdDevs")) {
            Optional<Double> value = node.optionalNumber(field);
            if (value.isPresent() && value.get() <= 0) {
                node.problem(field, value.get() + " must be positive");
                valid = false;
            }
        }
        CheckSpec.Level level = node.choice("level", YamlNode.names(CheckSpec.Level.class), "a level", false)
                .orElse(CheckSpec.Level.ERROR);
        if (!valid) {
            return Optional.empty();
        }
        return Optional.of(new AnomalySpec(metric.get(), columns.isEmpty() ? null : columns.get(0), maxDecrease,
                maxIncrease, maxChange, stdDevs, level));
    }

    static boolean validExpression(YamlNode node, String sql, SqlSyntax sqlSyntax) {
        List<String> problems = sqlSyntax.expressionProblems(sql);
        problems.forEach(problem -> node.problem("sql", problem));
        return problems.isEmpty();
    }

    static boolean validRegex(YamlNode node, String regex) {
        try {
            java.util.regex.Pattern.compile(regex);
            return true;
        } catch (PatternSyntaxException e) {
            node.problem("regex", "'" + regex + "' is not a valid regular expression: " + e.getDescription());
            return false;
        }
    }

    private static Map<String, RowRuleSpec.Kind> rowRuleKinds() {
        Map<String, RowRuleSpec.Kind> kinds = new LinkedHashMap<>();
        for (RowRuleSpec.Kind kind : RowRuleSpec.Kind.values()) {
            kinds.put(kind.specName(), kind);
        }
        return kinds;
    }

    private static Map<String, AnomalySpec.Metric> anomalyMetrics() {
        Map<String, AnomalySpec.Metric> metrics = new LinkedHashMap<>();
        for (AnomalySpec.Metric metric : AnomalySpec.Metric.values()) {
            metrics.put(metric.specName(), metric);
        }
        return metrics;
    }

    /** Reads {@code column}, checks it is in the output schema (and of the wanted type family). */
    static boolean column(YamlNode node, OutputSpec output, List<String> columns, String family) {
        String column = node.requiredString("column");
        if (column == null) {
            return false;
        }
        if (output != null) {
            Optional<ColumnSpec> declared = output.column(column);
            if (declared.isEmpty()) {
                node.problem("column", OutputSpec.noColumn(column, output.columnNames()));
                return false;
            }
            String type = declared.get().type();
            if ("numeric".equals(family) && !SpecRules.isNumeric(type)) {
                node.problem("column", "'" + column + "' is " + type + "; this check needs a numeric column");
                return false;
            }
            if ("string".equals(family) && !type.equals("string")) {
                node.problem("column", "'" + column + "' is " + type + "; this check needs a string column");
                return false;
            }
        }
        columns.add(column);
        return true;
    }

    static Double fraction(YamlNode node, String field, boolean required) {
        Optional<Double> value = node.optionalNumber(field);
        if (value.isEmpty()) {
            if (required && !node.has(field)) {
                node.problem(field, "is required: a fraction between 0 and 1");
            }
            return null;
        }
        if (value.get() < 0 || value.get() > 1) {
            node.problem(field, value.get() + " is not a fraction; use a number between 0 and 1");
            return null;
        }
        return value.get();
    }

    static boolean bounds(YamlNode node, Double min, Double max, String minField, String maxField) {
        if (min == null && max == null) {
            if (!node.has(minField) && !node.has(maxField)) {
                node.problem("needs '" + minField + "', '" + maxField + "' or both");
            }
            return false;
        }
        if (min != null && max != null && min > max) {
            node.problem(minField, minField + " " + plain(min) + " is greater than " + maxField + " " + plain(max));
            return false;
        }
        return true;
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
