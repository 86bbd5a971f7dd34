package dev.mesh.spec.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What an import could not map, each as "path: message" in the order found; nothing is dropped silently. */
final class ImportWarnings {
    private final List<String> warnings = new ArrayList<>();

    void warn(String path, String message) {
        warnings.add(path + ": " + message);
    }

    <T> Optional<T> unmapped(String path, String why) {
        warn(path, "not mapped: " + why);
        return Optional.empty();
    }

    /** Reports every field of {@code node} not in {@code mapped} that says something (not null, false or empty). */
    void fieldsOtherThan(JsonNode node, String path, Set<String> mapped) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            boolean unset = value.isNull() || value.isBoolean() && !value.asBoolean()
                    || value.isContainerNode() && value.isEmpty();
            if (!mapped.contains(field.getKey()) && !unset) {
                warn(path + "." + field.getKey(), "not mapped");
            }
        }
    }

    void unmappedCustom(JsonNode properties, String path, Set<String> known) {
        int index = 0;
        for (JsonNode property : properties) {
            if (!known.contains(property.path("property").asText())) {
                warn(path + "[" + index + "]", "custom property '" + property.path("property").asText()
                        + "' not mapped");
            }
            index++;
        }
    }

    String header(String file, JsonNode contract) {
        StringBuilder header = new StringBuilder("# Imported by mesh contract import from " + file + " (ODCS "
                + contract.path("apiVersion").asText() + ").\n");
        if (warnings.isEmpty()) {
            header.append("# Every part of the contract was mapped.\n");
        } else {
            header.append("# Not mapped (").append(warnings.size()).append("):\n");
            warnings.forEach(warning -> header.append("#   ").append(warning.replace('\n', ' ')).append('\n'));
        }
        return header.toString();
    }

    List<String> list() {
        return List.copyOf(warnings);
    }
}
