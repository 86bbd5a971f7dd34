package dev.mesh.spec.yaml;

import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.CheckSpec.CheckKind;
import dev.mesh.spec.model.CheckSpec.Level;
import dev.mesh.spec.model.OutputSpec;
import dev.mesh.spec.spi.SqlSyntax;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Binds one dataset-level check of a product's {@code quality.checks}, by its kind. */
final class CheckFields {
    private static final Map<String, CheckKind> CHECK_KINDS = checkKinds();

    private CheckFields() {}

    static Optional<CheckSpec> read(YamlNode node, OutputSpec output, SqlSyntax sqlSyntax) {
        if (!node.isMap()) {
            node.expectMap(Set.of());
            return Optional.empty();
        }
        if (!node.has("check")) {
            node.problem("check", "is required; allowed: " + String.join(", ", CHECK_KINDS.keySet()));
            return Optional.empty();
        }
        Optional<CheckKind> kind = node.choice("check", CHECK_KINDS, "a check", true);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        if (!node.expectMap(checkFields(kind.get()))) {
            return Optional.empty();
        }
        Level level = node.choice("level", YamlNode.names(Level.class), "a level", false).orElse(Level.ERROR);
        String name = node.optionalString("name").orElse(null);
        List<String> schemaColumns = output == null ? List.of() : output.columnNames();
        List<String> columns = new ArrayList<>();
        List<String> values = List.of();
        Double min = null;
        Double max = null;
        String regex = null;
        String sql = null;
        // a switch expression: a new kind that is not read here does not compile
        boolean valid = switch (kind.get()) {
            case COMPLETE -> QualityFields.column(node, output, columns, null);
            case COMPLETENESS -> {
                boolean read = QualityFields.column(node, output, columns, null);
                min = QualityFields.fraction(node, "min", true);
                yield read && min != null;
            }
            case UNIQUE -> {
                if (node.has("column") == node.has("columns")) {
                    node.problem("needs exactly one of 'column' or 'columns'");
                    yield false;
                } else if (node.has("column")) {
                    yield QualityFields.column(node, output, columns, null);
                }
                columns.addAll(node.stringList("columns", true));
                SchemaFields.checkColumns(node, "columns", columns, schemaColumns);
                if (columns.isEmpty()) {
                    node.problem("columns", "must name at least one column");
                    yield false;
                }
                yield true;
            }
            case ALLOWED_VALUES -> {
                boolean read = QualityFields.column(node, output, columns, null);
                values = node.scalarList("values", true);
                if (node.has("values") && values.isEmpty()) {
                    node.problem("values", "must list at least one value");
                    yield false;
                }
                yield read;
            }
            case ROW_COUNT -> {
                min = node.optionalLong("min").map(Long::doubleValue).orElse(null);
                max = node.optionalLong("max").map(Long::doubleValue).orElse(null);
                boolean read = QualityFields.bounds(node, min, max, "min", "max");
                if (read && ((min != null && min < 0) || (max != null && max < 0))) {
                    node.problem("row counts cannot be negative");
                    yield false;
                }
                yield read;
            }
            case MIN, MAX, MEAN -> {
                boolean read = QualityFields.column(node, output, columns, "numeric");
                min = node.optionalNumber("atLeast").orElse(null);
                max = node.optionalNumber("atMost").orElse(null);
                yield QualityFields.bounds(node, min, max, "atLeast", "atMost") && read;
            }
            case PATTERN -> {
                boolean read = QualityFields.column(node, output, columns, "string");
                regex = node.requiredString("regex");
                boolean validRegex = regex != null && QualityFields.validRegex(node, regex);
                min = QualityFields.fraction(node, "min", false);
                yield read && validRegex;
            }
            case SATISFIES -> {
                if (name == null) {
                    node.problem("name", "is required by satisfies: it names the rule in metrics and reports");
                }
                sql = node.requiredString("sql");
                min = QualityFields.fraction(node, "min", false);
                yield name != null && sql != null && QualityFields.validExpression(node, sql, sqlSyntax);
            }
        };
        if (name != null) {
            SpecRules.checkName(node, "name", name);
        }
        if (!valid) {
            return Optional.empty();
        }
        return Optional.of(new CheckSpec(kind.get(), level, name, columns, values, min, max, regex, sql));
    }

    private static Map<String, CheckKind> checkKinds() {
        Map<String, CheckKind> kinds = new LinkedHashMap<>();
        for (CheckKind kind : CheckKind.values()) {
            kinds.put(kind.specName(), kind);
        }
        return kinds;
    }

    /** The fields a check of {@code kind} takes: the common ones and the kind's own. */
    static Set<String> checkFields(CheckKind kind) {
        List<String> fields = new ArrayList<>(List.of("check", "level", "name"));
        fields.addAll(kind.fields());
        return YamlNode.fields(fields.toArray(String[]::new));
    }
}
