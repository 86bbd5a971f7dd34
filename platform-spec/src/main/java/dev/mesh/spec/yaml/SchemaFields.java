package dev.mesh.spec.yaml;

import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.OutputSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Binds a {@code schema} list to {@link ColumnSpec}s and checks column lists against it. */
final class SchemaFields {
    static final Set<String> COLUMN = YamlNode.fields("name", "type", "required", "description",
            "classification", "protection", "declassified");

    private SchemaFields() {}

    static List<ColumnSpec> read(YamlNode node, boolean required) {
        List<YamlNode> nodes = node.list("schema", required);
        if (required && node.has("schema") && nodes.isEmpty()) {
            node.problem("schema", "must declare at least one column");
        }
        List<ColumnSpec> columns = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YamlNode column : nodes) {
            if (!column.expectMap(COLUMN)) {
                continue;
            }
            String name = column.requiredString("name");
            SpecRules.checkColumnName(column, "name", name);
            if (name != null && !names.add(name)) {
                column.problem("name", "column '" + name + "' is declared twice");
            }
            String type = column.requiredString("type");
            SpecRules.checkType(column, "type", type);
            boolean notNull = column.optionalBoolean("required", false);
            String description = column.optionalString("description").orElse("");
            String classification = column.optionalString("classification").orElse("");
            ColumnSpec.Protection protection = column.choice("protection",
                    YamlNode.names(ColumnSpec.Protection.class), "a protection", false)
                    .orElse(ColumnSpec.Protection.NONE);
            if (protection == ColumnSpec.Protection.HASH && type != null && !type.equalsIgnoreCase("string")) {
                column.problem("protection", "hash publishes a hex string; the column's type is " + type + ": "
                        + "declare it as string, or use redact or drop");
            }
            if (notNull && (protection == ColumnSpec.Protection.REDACT || protection == ColumnSpec.Protection.DROP)) {
                column.problem("protection", protection.specName() + " publishes no value of this column outside "
                        + "its domain, and required: true promises one in every row; drop required, or protect it "
                        + "with hash");
            }
            String declassified = column.optionalString("declassified").orElse("");
            if (column.has("declassified") && declassified.isBlank()) {
                column.problem("declassified", "must say why the column no longer identifies anyone");
            } else if (!declassified.isBlank() && !ColumnSpec.NONE.equalsIgnoreCase(classification)) {
                column.problem("declassified", "declassifies a column, so its classification must be none (it is '"
                        + classification + "'); set classification: none, or remove declassified");
            }
            if (name != null && type != null) {
                columns.add(new ColumnSpec(name, type, notNull, description, classification, protection,
                        declassified));
            }
        }
        return columns;
    }

    static void checkColumns(YamlNode node, String field, List<String> names, List<String> columns) {
        YamlNode list = node.get(field);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!columns.isEmpty() && !columns.contains(name)) {
                list.element(i).problem(OutputSpec.noColumn(name, columns));
            } else if (!seen.add(name)) {
                list.element(i).problem("column '" + name + "' is listed twice");
            }
        }
    }

}
