package dev.mesh.spec.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.spec.yaml.SpecRules;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An ODCS quality rule as a check of the product spec: the library metrics and the SQL shapes the platform runs
 * (see {@link OdcsImport}); any other rule is a warning naming its path.
 */
final class OdcsRuleImport {
    private final ImportWarnings warnings;
    private int unnamedRules;

    OdcsRuleImport(ImportWarnings warnings) {
        this.warnings = warnings;
    }

    void rules(JsonNode rules, String path, String column, ArrayNode checks) {
        int index = 0;
        for (JsonNode rule : rules) {
            rule(rule, path + "[" + index++ + "]", column, checks);
        }
    }

    private void rule(JsonNode rule, String path, String column, ArrayNode checks) {
        String type = rule.path("type").asText(rule.has("metric") || rule.has("rule") ? "library" : "text");
        Optional<ObjectNode> check = switch (type) {
            case "library" -> library(rule, path, column);
            case "sql" -> sql(rule, path, column);
            case "text" -> {
                warnings.warn(path, "a text rule is read by people, not run: '" + rule.path("description").asText("")
                        + "'");
                yield Optional.empty();
            }
            case "custom" -> {
                warnings.warn(path, "a custom rule for engine '" + rule.path("engine").asText() + "' is not run here");
                yield Optional.empty();
            }
            default -> {
                warnings.warn(path, "rule type '" + type + "' is not one of text, library, sql, custom");
                yield Optional.empty();
            }
        };
        if (check.isEmpty()) {
            return;
        }
        ObjectNode node = check.get();
        String severity = rule.path("severity").asText("error").toLowerCase(Locale.ROOT);
        if (!severity.equals("error")) {
            node.put("level", "warning");
        }
        if (rule.has("name") && !node.has("name")) {
            String name = rule.get("name").asText();
            if (SpecRules.isName(name)) {
                node.put("name", name);
            } else {
                warnings.warn(path + ".name", "'" + name + "' is not a check name (lower-case letters, digits, '_'); "
                        + "the check goes unnamed");
            }
        }
        checks.add(node);
        warnings.fieldsOtherThan(rule, path, Set.of("type", "metric", "rule", "arguments", "mustBe",
                "mustBeGreaterThan", "mustBeGreaterOrEqualTo", "mustBeLessThan", "mustBeLessOrEqualTo",
                "mustBeBetween", "unit", "severity", "name", "query"));
    }

    private Optional<ObjectNode> library(JsonNode rule, String path, String column) {
        String metric = rule.path("metric").asText(rule.path("rule").asText(""));
        JsonNode arguments = rule.path("arguments");
        Optional<BigDecimal> zero = exactly(rule);
        Optional<BigDecimal> percent = "percent".equals(rule.path("unit").asText()) ? atMost(rule)
                : Optional.empty();
        switch (metric) {
            case "nullValues", "missingValues" -> {
                if (column == null) {
                    return warnings.unmapped(path, metric + " needs a property: put the rule under the column");
                }
                if (metric.equals("missingValues") && arguments.has("missingValues") && !onlyNull(
                        arguments.get("missingValues"))) {
                    return warnings.unmapped(path, "missingValues other than null (" + arguments.get("missingValues")
                            + ") are not counted here; only nulls");
                }
                if (zero.filter(v -> v.signum() == 0).isPresent()) {
                    return Optional.of(check("complete").put("column", column));
                }
                if (percent.isPresent()) {
                    return Optional.of(check("completeness").put("column", column)
                            .put("min", OdcsTerms.shareInside(percent.get())));
                }
                return warnings.unmapped(path, metric + " is run here as 'none' (mustBe: 0) or a percentage "
                        + "(mustBeLessOrEqualTo with unit: percent)");
            }
            case "invalidValues" -> {
                if (column == null) {
                    return warnings.unmapped(path, "invalidValues needs a property: put the rule under the column");
                }
                if (arguments.has("validValues") && zero.filter(v -> v.signum() == 0).isPresent()) {
                    ObjectNode check = check("allowedValues").put("column", column);
                    ArrayNode values = check.putArray("values");
                    for (JsonNode value : arguments.get("validValues")) {
                        if (value.isNull()) {
                            warnings.warn(path + ".arguments.validValues", "null is not a value here; a null is judged "
                                    + "by completeness checks");
                        } else {
                            values.add(value.asText());
                        }
                    }
                    return Optional.of(check);
                }
                if (arguments.has("pattern") && (zero.filter(v -> v.signum() == 0).isPresent()
                        || percent.isPresent())) {
                    ObjectNode check = check("pattern").put("column", column)
                            .put("regex", arguments.get("pattern").asText());
                    percent.ifPresent(p -> check.put("min", OdcsTerms.shareInside(p)));
                    return Optional.of(check);
                }
                return warnings.unmapped(path, "invalidValues is run here with arguments validValues (mustBe: 0) or "
                        + "pattern (mustBe: 0 or a percentage)");
            }
            case "duplicateValues" -> {
                if (zero.filter(v -> v.signum() == 0).isEmpty()) {
                    return warnings.unmapped(path, "duplicateValues is run here as 'none' (mustBe: 0)");
                }
                if (arguments.path("properties").isArray() && arguments.get("properties").size() > 0) {
                    ObjectNode check = check("unique");
                    ArrayNode columns = check.putArray("columns");
                    arguments.get("properties").forEach(p -> columns.add(p.asText()));
                    return Optional.of(check);
                }
                if (column == null) {
                    return warnings.unmapped(path, "duplicateValues needs a property, or arguments.properties");
                }
                return Optional.of(check("unique").put("column", column));
            }
            case "rowCount" -> {
                Optional<BigDecimal[]> bounds = bounds(rule, true);
                if (bounds.isEmpty()) {
                    return warnings.unmapped(path, "rowCount is run here with mustBe, mustBeGreaterThan, "
                            + "mustBeGreaterOrEqualTo, mustBeLessThan, mustBeLessOrEqualTo or mustBeBetween");
                }
                ObjectNode check = check("rowCount");
                if (bounds.get()[0] != null) {
                    check.put("min", bounds.get()[0].longValue());
                }
                if (bounds.get()[1] != null) {
                    check.put("max", bounds.get()[1].longValue());
                }
                return Optional.of(check);
            }
            default -> {
                return warnings.unmapped(path, "metric '" + metric + "' is not one the platform runs (nullValues, "
                        + "missingValues, invalidValues, duplicateValues, rowCount)");
            }
        }
    }

    private Optional<ObjectNode> sql(JsonNode rule, String path, String column) {
        String query = rule.path("query").asText("");
        if (column != null) {
            query = query.replace("${column}", column).replace("${property}", column);
        }
        Optional<OdcsTerms.Aggregate> aggregate = OdcsTerms.aggregateQuery(query);
        if (aggregate.isPresent()) {
            Optional<BigDecimal[]> bounds = bounds(rule, false);
            if (bounds.isEmpty()) {
                return warnings.unmapped(path, "a MIN, MAX or AVG query is run here with mustBeGreaterOrEqualTo, "
                        + "mustBeLessOrEqualTo or mustBeBetween");
            }
            ObjectNode check = check(aggregate.get().kind().specName()).put("column", aggregate.get().column());
            if (bounds.get()[0] != null) {
                check.put("atLeast", bounds.get()[0]);
            }
            if (bounds.get()[1] != null) {
                check.put("atMost", bounds.get()[1]);
            }
            return Optional.of(check);
        }
        Optional<String> breaking = OdcsTerms.countWhereQuery(query);
        if (breaking.isPresent()) {
            Optional<BigDecimal> percent = "percent".equals(rule.path("unit").asText()) ? atMost(rule)
                    : Optional.empty();
            if (exactly(rule).filter(v -> v.signum() == 0).isEmpty() && percent.isEmpty()) {
                return warnings.unmapped(path, "a COUNT(*) ... WHERE query is run here as 'no such rows' "
                        + "(mustBe: 0) or a percentage of them (mustBeLessOrEqualTo with unit: percent)");
            }
            String name = rule.path("name").asText("");
            if (!SpecRules.isName(name)) {
                name = "sql_rule_" + ++unnamedRules;
            }
            ObjectNode check = check("satisfies").put("name", name).put("sql", OdcsTerms.negate(breaking.get()));
            percent.ifPresent(p -> check.put("min", OdcsTerms.shareInside(p)));
            return Optional.of(check);
        }
        return warnings.unmapped(path, "the SQL rule is not one the platform runs (SELECT MIN|MAX|AVG(column) FROM "
                + "${object}, or SELECT COUNT(*) FROM ${object} WHERE <rows breaking it>): " + query);
    }

    /** The lower and upper bound a rule's operators give; empty when an operator cannot be one. */
    private static Optional<BigDecimal[]> bounds(JsonNode rule, boolean whole) {
        BigDecimal min = null;
        BigDecimal max = null;
        if (rule.has("mustBe")) {
            min = rule.get("mustBe").decimalValue();
            max = min;
        } else if (rule.has("mustBeBetween") && rule.get("mustBeBetween").size() == 2) {
            min = rule.get("mustBeBetween").get(0).decimalValue();
            max = rule.get("mustBeBetween").get(1).decimalValue();
        } else {
            if (rule.has("mustBeGreaterOrEqualTo")) {
                min = rule.get("mustBeGreaterOrEqualTo").decimalValue();
            }
            if (rule.has("mustBeGreaterThan")) {
                if (!whole) {
                    return Optional.empty();
                }
                min = rule.get("mustBeGreaterThan").decimalValue().add(BigDecimal.ONE);
            }
            if (rule.has("mustBeLessOrEqualTo")) {
                max = rule.get("mustBeLessOrEqualTo").decimalValue();
            }
            if (rule.has("mustBeLessThan")) {
                if (!whole) {
                    return Optional.empty();
                }
                max = rule.get("mustBeLessThan").decimalValue().subtract(BigDecimal.ONE);
            }
        }
        if (min == null && max == null || rule.has("mustNotBe") || rule.has("mustNotBeBetween")) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal[] {min, max});
    }

    private static Optional<BigDecimal> exactly(JsonNode rule) {
        return rule.path("mustBe").isNumber() && !rule.has("unit") || rule.path("mustBe").isNumber()
                && "rows".equals(rule.path("unit").asText()) ? Optional.of(rule.get("mustBe").decimalValue())
                : Optional.empty();
    }

    private static Optional<BigDecimal> atMost(JsonNode rule) {
        return rule.path("mustBeLessOrEqualTo").isNumber()
                ? Optional.of(rule.get("mustBeLessOrEqualTo").decimalValue()) : Optional.empty();
    }

    private static boolean onlyNull(JsonNode values) {
        for (JsonNode value : values) {
            if (!value.isNull()) {
                return false;
            }
        }
        return true;
    }

    private static ObjectNode check(String kind) {
        return JsonNodeFactory.instance.objectNode().put("check", kind);
    }
}
