package dev.mesh.spec.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.spec.yaml.SpecRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The ODCS schema object's properties as the product's output columns, keys and partition columns. */
final class OdcsSchemaImport {
    private final ImportWarnings warnings;
    private final OdcsRuleImport rules;

    OdcsSchemaImport(ImportWarnings warnings, OdcsRuleImport rules) {
        this.warnings = warnings;
        this.rules = rules;
    }

    /** The object's properties as output columns, keys and partition columns; their rules go to {@code checks}. */
    List<String> columns(JsonNode object, ObjectNode output, ArrayNode checks) {
        List<String> columns = new ArrayList<>();
        Map<Integer, String> keys = new TreeMap<>();
        Map<Integer, String> partitions = new TreeMap<>();
        ArrayNode schema = JsonNodeFactory.instance.arrayNode();
        int index = 0;
        for (JsonNode property : object.path("properties")) {
            String path = "schema[0].properties[" + index++ + "]";
            String name = property.path("physicalName").asText(property.path("name").asText(""));
            if (!SpecRules.isColumnName(name)) {
                warnings.warn(path, "'" + name + "' is not a column name (letters, digits and '_'); property not "
                        + "mapped");
                continue;
            }
            columns.add(name);
            ObjectNode column = schema.addObject().put("name", name).put("type", type(property, path));
            if (property.path("required").asBoolean(false)) {
                column.put("required", true);
            }
            if (!property.path("description").asText("").isEmpty()) {
                column.put("description", property.get("description").asText());
            }
            if (!property.path("classification").asText("").isEmpty()) {
                column.put("classification", property.get("classification").asText());
            }
            JsonNode protection = OdcsImport.customValue(property.path("customProperties"), OdcsTerms.MESH_PROTECTION);
            if (protection.isTextual()) {
                column.put("protection", protection.asText());
            }
            JsonNode declassified = OdcsImport.customValue(property.path("customProperties"),
                    OdcsTerms.MESH_DECLASSIFIED);
            if (declassified.isTextual()) {
                column.put("declassified", declassified.asText());
            }
            warnings.unmappedCustom(property.path("customProperties"), path + ".customProperties",
                    Set.of(OdcsTerms.MESH_PROTECTION, OdcsTerms.MESH_DECLASSIFIED));
            if (property.path("primaryKey").asBoolean(false)) {
                keys.put(property.path("primaryKeyPosition").asInt(keys.size() + 1) * 1000 + keys.size(), name);
            }
            if (property.path("partitioned").asBoolean(false)) {
                partitions.put(property.path("partitionKeyPosition").asInt(partitions.size() + 1) * 1000
                        + partitions.size(), name);
            }
            if (property.path("unique").asBoolean(false)) {
                checks.addObject().put("check", "unique").put("column", name);
            }
            rules.rules(property.path("quality"), path + ".quality", name, checks);
            propertyFields(property, path);
        }
        if (!keys.isEmpty()) {
            keys.values().forEach(output.putArray("keys")::add);
        }
        if (!partitions.isEmpty()) {
            partitions.values().forEach(output.putArray("partitionBy")::add);
        }
        output.set("schema", schema);
        return columns;
    }

    private String type(JsonNode property, String path) {
        String physical = property.path("physicalType").asText("");
        if (SpecRules.isType(physical)) {
            return physical;
        }
        if (!physical.isEmpty()) {
            Optional<String> mapped = OdcsTerms.sparkTypeOfPhysical(physical);
            if (mapped.isPresent()) {
                if (OdcsTerms.dropsDetail(physical, mapped.get())) {
                    warnings.warn(path + ".physicalType", "'" + physical + "' is stored as " + mapped.get());
                }
                return mapped.get();
            }
        }
        String logical = property.path("logicalType").asText("");
        Optional<String> fromLogical = OdcsTerms.sparkTypeOfLogical(logical);
        if (fromLogical.isPresent()) {
            if (!physical.isEmpty()) {
                warnings.warn(path + ".physicalType", "'" + physical + "' is not a type here; the column is "
                        + fromLogical.get() + " after its logicalType " + logical);
            }
            return fromLogical.get();
        }
        warnings.warn(path, "no type the platform knows (physicalType '" + physical + "', logicalType '" + logical
                + "'); the column is a string");
        return "string";
    }

    void objectFields(JsonNode object) {
        warnings.fieldsOtherThan(object, "schema[0]", Set.of("name", "physicalName", "physicalType", "logicalType",
                "description", "properties", "quality"));
    }

    private void propertyFields(JsonNode property, String path) {
        warnings.fieldsOtherThan(property, path, Set.of("name", "physicalName", "logicalType", "physicalType",
                "required", "unique", "primaryKey", "primaryKeyPosition", "partitioned", "partitionKeyPosition",
                "classification", "description", "quality", "customProperties"));
    }
}
