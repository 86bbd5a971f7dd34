package dev.mesh.runtime.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.spec.model.OutputContract;
import dev.mesh.spec.model.ProductSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a product commit says about itself in Delta's commit info ({@code userMetadata}): the run, its key, the spec,
 * the landing files it published, the range of rows it replaced (a backfill), the high-water marks of the inputs it
 * read by a watermark column, and the output contract it published under (for schema compatibility). All are
 * written in the same atomic commit as the data, which is what makes ingest exactly-once: a commit either happened
 * with its files and marks or did not happen at all.
 */
public record CommitMetadata(String runId, String runKey, String product, String specVersion,
        List<IngestedFile> ingested, boolean fullRefresh, Map<String, String> watermarks,
        Optional<String> replaceWhere, OutputContract contract) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public CommitMetadata {
        ingested = List.copyOf(ingested);
        watermarks = Map.copyOf(watermarks);
        replaceWhere = replaceWhere == null ? Optional.empty() : replaceWhere;
    }

    public static CommitMetadata of(ProductSpec product, String runId, String runKey, List<IngestedFile> ingested,
            boolean fullRefresh, Map<String, String> watermarks, Optional<String> replaceWhere) {
        return new CommitMetadata(runId, runKey, product.id().toString(), product.version(), ingested, fullRefresh,
                watermarks, replaceWhere, OutputContract.of(product));
    }

    public String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("runId", runId);
        root.put("runKey", runKey);
        root.put("product", product);
        root.put("specVersion", specVersion);
        if (fullRefresh) {
            root.put("fullRefresh", true);
        }
        replaceWhere.ifPresent(range -> root.put("replaceWhere", range));
        if (!ingested.isEmpty() || fullRefresh) {
            ArrayNode files = root.putArray("ingested");
            for (IngestedFile file : ingested) {
                ObjectNode entry = files.addObject().put("input", file.input()).put("path", file.path())
                        .put("size", file.size()).put("modified", file.modifiedMillis());
                if (!file.checksum().isEmpty()) {
                    entry.put("checksum", file.checksum());
                }
                if (file.batch() >= 0) {
                    entry.put("batch", file.batch());
                }
            }
        }
        if (!watermarks.isEmpty()) {
            ObjectNode marks = root.putObject("watermarks");
            new TreeMap<>(watermarks).forEach(marks::put);
        }
        ObjectNode published = root.putObject("contract").put("major", contract.major())
                .put("protections", contract.recordsProtections());
        ArrayNode columns = published.putArray("columns");
        contract.columns().forEach(column -> {
            ObjectNode entry = columns.addObject().put("name", column.name()).put("type", column.type())
                    .put("required", column.required());
            if (!column.protection().equals("none")) {
                entry.put("protection", column.protection());
            }
        });
        ArrayNode keys = published.putArray("keys");
        contract.keys().forEach(keys::add);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The files a commit published, and whether they replace all earlier ones; empty for a commit that records no
     * ingest (a product read from other products, or a commit the platform did not make).
     */
    static Optional<Files> files(String userMetadata) {
        if (userMetadata == null || userMetadata.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(userMetadata);
            if (root == null || !root.has("ingested")) {
                return Optional.empty();
            }
            Set<IngestedFile> files = new LinkedHashSet<>();
            for (JsonNode file : root.get("ingested")) {
                files.add(new IngestedFile(file.get("input").asText(), file.get("path").asText(),
                        file.get("size").asLong(), file.get("modified").asLong(), file.path("checksum").asText(""),
                        file.path("batch").asLong(-1)));
            }
            return Optional.of(new Files(files, root.path("fullRefresh").asBoolean(false),
                    root.path("runId").asText("")));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** The high-water marks a commit published, by input name; empty for a commit that records none. */
    static Optional<Map<String, String>> watermarks(String userMetadata) {
        if (userMetadata == null || userMetadata.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(userMetadata);
            if (root == null || !root.path("watermarks").isObject()) {
                return Optional.empty();
            }
            Map<String, String> marks = new TreeMap<>();
            root.get("watermarks").fields().forEachRemaining(field -> marks.put(field.getKey(),
                    field.getValue().asText()));
            return Optional.of(marks);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** The output contract a commit published under; empty for a commit that records none (an older platform's). */
    static Optional<OutputContract> contract(String userMetadata) {
        if (userMetadata == null || userMetadata.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(userMetadata);
            if (root == null || !root.path("contract").isObject()) {
                return Optional.empty();
            }
            JsonNode contract = root.get("contract");
            List<OutputContract.Column> columns = new java.util.ArrayList<>();
            contract.path("columns").forEach(column -> columns.add(new OutputContract.Column(
                    column.path("name").asText(), column.path("type").asText(), column.path("required").asBoolean(),
                    column.path("protection").asText("none"))));
            List<String> keys = new java.util.ArrayList<>();
            contract.path("keys").forEach(key -> keys.add(key.asText()));
            return Optional.of(new OutputContract(contract.path("major").asInt(), columns, keys,
                    contract.path("protections").asBoolean(false)));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** The files of one commit. */
    record Files(Set<IngestedFile> files, boolean fullRefresh, String runId) {}
}
