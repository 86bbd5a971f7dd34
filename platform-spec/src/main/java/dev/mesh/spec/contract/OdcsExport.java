package dev.mesh.spec.contract;

import static dev.mesh.spec.contract.OdcsTerms.OBJECT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.CheckSpec.CheckKind;
import dev.mesh.spec.model.CheckSpec.Level;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.PlatformSpec;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.S3Spec;
import dev.mesh.spec.model.SlaSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A product as an Open Data Contract Standard v3.1.0 contract: its output as one schema object (logical and
 * physical types, required, unique, primary and partition keys, classification, descriptions), its checks as the
 * standard's quality rules (library metrics where the standard has one, SQL where it has not), its SLA as SLA
 * properties, its owner and domain as the team, and where it is stored as the server. What only the platform reads
 * (inputs, transform, write mode, access, row rules, anomaly rules) travels as the custom property {@code meshSpec},
 * copied from the spec file, so that importing the contract gives the product back.
 */
public final class OdcsExport {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the product is stored: {@code local} with a path, or {@code s3} with an s3:// location. */
    public record Server(String name, String type, String location, Optional<String> endpoint) {
        /** The server of a product stored at {@code location} (file:/..., s3a://bucket/key) on {@code platform}. */
        public static Server of(PlatformSpec platform, String location) {
            java.net.URI uri = java.net.URI.create(location);
            if ("s3a".equals(uri.getScheme())) {
                return new Server(platform.name(), "s3", "s3" + location.substring("s3a".length()),
                        platform.storage().s3().flatMap(S3Spec::endpoint));
            }
            return new Server(platform.name(), "local", uri.getPath() == null ? location : uri.getPath(),
                    Optional.empty());
        }
    }

    private OdcsExport() {}

    public static ObjectNode contract(ProductSpec product, DomainSpec domain, Server server) {
        ObjectNode contract = JSON.createObjectNode();
        contract.put("apiVersion", OdcsTerms.API_VERSION).put("kind", "DataContract")
                .put("id", product.id().toString()).put("name", product.name()).put("version", product.version())
                .put("status", "active").put("domain", product.domain()).put("dataProduct", product.name());
        if (!product.description().isEmpty()) {
            contract.putObject("description").put("purpose", product.description());
        }
        ObjectNode team = contract.putObject("team").put("name", product.domain());
        ArrayNode members = team.putArray("members");
        members.addObject().put("username", product.owner()).put("role", "owner");
        domain.owners().stream().filter(owner -> !owner.equals(product.owner()))
                .forEach(owner -> members.addObject().put("username", owner).put("role", "domain owner"));
        ObjectNode serverNode = contract.putArray("servers").addObject().put("server", server.name())
                .put("type", server.type());
        if (server.type().equals("s3")) {
            serverNode.put("location", server.location());
            server.endpoint().ifPresent(endpoint -> serverNode.put("endpointUrl", endpoint));
        } else {
            serverNode.put("path", server.location());
        }
        serverNode.put("format", "delta");

        ObjectNode object = contract.putArray("schema").addObject().put("name", product.name())
                .put("physicalName", product.name()).put("physicalType", "table").put("logicalType", "object");
        if (!product.description().isEmpty()) {
            object.put("description", product.description());
        }
        Map<String, ObjectNode> properties = new LinkedHashMap<>();
        ArrayNode propertyNodes = object.putArray("properties");
        for (ColumnSpec column : product.output().schema()) {
            properties.put(column.name(), property(propertyNodes.addObject(), column, product));
        }
        ArrayNode objectQuality = JSON.createArrayNode();
        for (CheckSpec check : product.quality().checks()) {
            boolean unique = check.kind() == CheckKind.UNIQUE && check.columns().size() == 1
                    && check.level() == Level.ERROR && check.name() == null;
            if (unique && properties.containsKey(check.column())) {
                properties.get(check.column()).put("unique", true);
                continue;
            }
            boolean columnRule = check.columns().size() == 1 && check.kind() != CheckKind.SATISFIES
                    && properties.containsKey(check.column());
            ArrayNode target = columnRule ? (ArrayNode) properties.get(check.column()).withArray("quality")
                    : objectQuality;
            rule(target.addObject(), check);
        }
        if (!objectQuality.isEmpty()) {
            object.set("quality", objectQuality);
        }
        sla(contract, product.sla());
        ObjectNode meshSpec = meshSpec(product);
        if (!meshSpec.isEmpty()) {
            contract.withArray("customProperties").addObject().put("property", OdcsTerms.MESH_SPEC)
                    .put("description", "What the platform alone reads: how the product is built and who may read "
                            + "it (mesh/v1 spec sections)")
                    .set("value", meshSpec);
        }
        return contract;
    }

    /** The contract as YAML, the form ODCS contracts are written in. */
    public static String yaml(ObjectNode contract) {
        try {
            return OdcsTerms.YAML_WRITER.writeValueAsString(contract);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode property(ObjectNode node, ColumnSpec column, ProductSpec product) {
        node.put("name", column.name()).put("logicalType", OdcsTerms.logicalType(column.type()))
                .put("physicalType", column.type()).put("required", column.required());
        int key = product.output().keys().indexOf(column.name());
        if (key >= 0) {
            node.put("primaryKey", true).put("primaryKeyPosition", key + 1);
        }
        int partition = product.output().partitionBy().indexOf(column.name());
        if (partition >= 0) {
            node.put("partitioned", true).put("partitionKeyPosition", partition + 1);
        }
        if (!column.classification().isEmpty()) {
            node.put("classification", column.classification());
        }
        if (!column.description().isEmpty()) {
            node.put("description", column.description());
        }
        if (column.protection() != ColumnSpec.Protection.NONE) {
            node.withArray("customProperties").addObject().put("property", OdcsTerms.MESH_PROTECTION)
                    .put("value", column.protection().name().toLowerCase(Locale.ROOT));
        }
        if (!column.declassification().isEmpty()) {
            node.withArray("customProperties").addObject().put("property", OdcsTerms.MESH_DECLASSIFIED)
                    .put("value", column.declassification());
        }
        return node;
    }

    private static void rule(ObjectNode rule, CheckSpec check) {
        if (check.name() != null) {
            rule.put("name", check.name());
        }
        rule.put("type", ruleType(check.kind()));
        // a switch expression: a new kind without its rule does not compile
        ObjectNode written = switch (check.kind()) {
            case COMPLETE -> rule.put("type", "library").put("metric", "nullValues").put("mustBe", 0);
            case COMPLETENESS -> rule.put("type", "library").put("metric", "nullValues")
                    .put("mustBeLessOrEqualTo", OdcsTerms.percentOutside(check.min())).put("unit", "percent");
            case UNIQUE -> {
                rule.put("type", "library").put("metric", "duplicateValues").put("mustBe", 0);
                if (check.columns().size() > 1) {
                    check.columns().forEach(rule.putObject("arguments").putArray("properties")::add);
                }
                yield rule;
            }
            case ALLOWED_VALUES -> {
                rule.put("type", "library").put("metric", "invalidValues").put("mustBe", 0);
                check.values().forEach(rule.putObject("arguments").putArray("validValues")::add);
                yield rule;
            }
            case PATTERN -> {
                rule.put("type", "library").put("metric", "invalidValues");
                rule.putObject("arguments").put("pattern", check.regex());
                outside(rule, check.min());
                yield rule;
            }
            case ROW_COUNT -> {
                rule.put("type", "library").put("metric", "rowCount");
                bounds(rule, check.min(), check.max(), true);
                yield rule;
            }
            case MIN, MAX, MEAN -> {
                rule.put("type", "sql").put("query", "SELECT " + OdcsTerms.aggregate(check.kind()) + "("
                        + check.column() + ") FROM " + OBJECT);
                bounds(rule, check.min(), check.max(), false);
                yield rule;
            }
            case SATISFIES -> {
                rule.put("type", "sql").put("query", OdcsTerms.countBreaking(check.sql()));
                outside(rule, check.min());
                yield rule;
            }
        };
        written.put("severity", check.level().name().toLowerCase(Locale.ROOT));
    }

    /** ODCS's rule type of each kind: a switch expression, so a new kind without one does not compile. */
    private static String ruleType(CheckSpec.CheckKind kind) {
        return switch (kind) {
            case COMPLETE, COMPLETENESS, UNIQUE, ALLOWED_VALUES, PATTERN, ROW_COUNT -> "library";
            case MIN, MAX, MEAN, SATISFIES -> "sql";
        };
    }

    /** A rule that may break for a share of rows: none (count 0), or at most a percentage of them. */
    private static void outside(ObjectNode rule, Double minShare) {
        if (minShare == null || minShare >= 1.0) {
            rule.put("mustBe", 0);
        } else {
            rule.put("mustBeLessOrEqualTo", OdcsTerms.percentOutside(minShare)).put("unit", "percent");
        }
    }

    private static void bounds(ObjectNode rule, Double min, Double max, boolean whole) {
        if (min != null && min.equals(max)) {
            rule.set("mustBe", whole ? JSON.getNodeFactory().numberNode(min.longValue())
                    : JSON.getNodeFactory().numberNode(min));
        } else if (min != null && max != null) {
            ArrayNode between = rule.putArray("mustBeBetween");
            number(between, min, whole);
            number(between, max, whole);
        } else if (min != null) {
            rule.set("mustBeGreaterOrEqualTo", whole ? JSON.getNodeFactory().numberNode(min.longValue())
                    : JSON.getNodeFactory().numberNode(min));
        } else if (max != null) {
            rule.set("mustBeLessOrEqualTo", whole ? JSON.getNodeFactory().numberNode(max.longValue())
                    : JSON.getNodeFactory().numberNode(max));
        }
    }

    private static void number(ArrayNode array, double value, boolean whole) {
        if (whole) {
            array.add((long) value);
        } else {
            array.add(value);
        }
    }

    private static void sla(ObjectNode contract, SlaSpec sla) {
        ArrayNode properties = JSON.createArrayNode();
        sla.freshnessLimit().ifPresent(limit -> slaProperty(properties, "frequency", limit,
                "published data is never older than this"));
        sla.durationLimit().ifPresent(limit -> slaProperty(properties, "latency", limit,
                "a run takes at most this long from reading its inputs to publishing"));
        if (!properties.isEmpty()) {
            contract.set("slaProperties", properties);
        }
        ObjectNode rest = JSON.createObjectNode();
        sla.qualityScoreFloor().ifPresent(score -> rest.put("minQualityScore", score));
        sla.successRateFloor().ifPresent(rate -> rest.put("minSuccessRate", rate));
        if (!rest.isEmpty() || sla.declared() && !sla.window().equals(SlaSpec.DEFAULT_WINDOW)) {
            rest.put("window", sla.window().toString());
            contract.withArray("customProperties").addObject().put("property", OdcsTerms.MESH_SLA)
                    .put("description", "SLA terms the standard has no property for (mesh/v1 sla fields)")
                    .set("value", rest);
        }
    }

    private static void slaProperty(ArrayNode properties, String property, Duration limit, String description) {
        Map.Entry<Long, String> value = OdcsTerms.durationValue(limit);
        properties.addObject().put("property", property).put("value", value.getKey()).put("unit", value.getValue())
                .put("description", description);
    }

    /** The spec file's sections that only the platform reads, as written there. */
    private static ObjectNode meshSpec(ProductSpec product) {
        JsonNode file;
        try {
            file = YAML.readTree(product.file().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + product.file(), e);
        }
        ObjectNode spec = JSON.createObjectNode();
        for (String section : List.of("inputs", "transform", "access")) {
            if (file.has(section)) {
                spec.set(section, file.get(section));
            }
        }
        ObjectNode output = JSON.createObjectNode().put("mode", product.output().mode().name()
                .toLowerCase(Locale.ROOT));
        spec.set("output", output);
        JsonNode quality = file.path("quality");
        ObjectNode rest = JSON.createObjectNode();
        for (String section : new ArrayList<>(List.of("rowRules", "maxQuarantineRate", "anomalies"))) {
            if (quality.has(section)) {
                rest.set(section, quality.get(section));
            }
        }
        if (!rest.isEmpty()) {
            spec.set("quality", rest);
        }
        return spec;
    }
}
