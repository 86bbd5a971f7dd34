package dev.mesh.spec.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mesh.error.MeshException;
import dev.mesh.spec.DomainSpec;
import dev.mesh.spec.MeshSpec;
import dev.mesh.spec.ProductId;
import dev.mesh.spec.SpecRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An Open Data Contract Standard v3 contract as a product spec ({@code mesh/v1}) that {@code mesh validate}
 * accepts. What has a meaning here is mapped: the first schema object's properties (types, required, unique,
 * primary and partition keys, classification, description), the quality rules the platform can run (library
 * metrics nullValues, missingValues, invalidValues, duplicateValues, rowCount; SQL rules of the shapes
 * {@code SELECT MIN|MAX(col) FROM ${object}} and {@code SELECT COUNT(*) FROM ${object} WHERE ...}), the
 * frequency and latency SLA properties, the owner, and the platform's own sections that an export carries. Every
 * other part is listed as a warning naming its path; nothing is dropped silently.
 */
public final class OdcsImport {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The product spec an import made, with every part of the contract it could not map. */
    public record Imported(ProductId product, String yaml, List<String> warnings) {}

    private final MeshSpec mesh;
    private final List<String> warnings = new ArrayList<>();
    private int unnamedRules;

    private OdcsImport(MeshSpec mesh) {
        this.mesh = mesh;
    }

    /** Reads an ODCS contract from YAML (or JSON) text. */
    public static JsonNode parse(String text, String file) {
        try {
            JsonNode contract = new ObjectMapper(new YAMLFactory()).readTree(text);
            if (contract == null || !contract.isObject()) {
                throw MeshException.invalidInput("%s is not an ODCS contract: expected a YAML mapping with "
                        + "apiVersion, kind: DataContract and schema", file);
            }
            return contract;
        } catch (IOException e) {
            throw MeshException.invalidInput("%s is not YAML: %s", file, e.getMessage());
        }
    }

    public static Imported toProduct(JsonNode contract, MeshSpec mesh, Optional<String> domainOverride,
            String file) {
        return new OdcsImport(mesh).convert(contract, domainOverride, file);
    }

    private Imported convert(JsonNode contract, Optional<String> domainOverride, String file) {
        if (!"DataContract".equals(contract.path("kind").asText())) {
            throw MeshException.invalidInput("%s: kind is '%s', not DataContract; is this an ODCS contract?", file,
                    contract.path("kind").asText());
        }
        String apiVersion = contract.path("apiVersion").asText();
        if (!apiVersion.startsWith("v3.")) {
            throw MeshException.invalidInput("%s: apiVersion '%s' is not ODCS v3 (v3.0.x or v3.1.0)", file,
                    apiVersion);
        }
        JsonNode schemas = contract.path("schema");
        if (!schemas.isArray() || schemas.isEmpty() || !schemas.get(0).isObject()) {
            throw MeshException.invalidInput("%s: schema must list at least one object: the product's output",
                    file);
        }
        JsonNode object = schemas.get(0);
        for (int i = 1; i < schemas.size(); i++) {
            warn("schema[" + i + "]", "object '" + schemas.get(i).path("name").asText() + "' not mapped: a product "
                    + "publishes one output; import it as a product of its own");
        }
        DomainSpec domain = domain(contract, domainOverride, file);
        String name = productName(contract, object);
        ProductId id = new ProductId(domain.name(), name);
        JsonNode meshSpec = customValue(contract.path("customProperties"), OdcsTerms.MESH_SPEC);
        JsonNode meshSla = customValue(contract.path("customProperties"), OdcsTerms.MESH_SLA);
        unmappedCustom(contract.path("customProperties"), "customProperties",
                Set.of(OdcsTerms.MESH_SPEC, OdcsTerms.MESH_SLA));

        ObjectNode spec = JSON.createObjectNode();
        spec.put("apiVersion", "mesh/v1").put("kind", "DataProduct").put("name", name).put("domain", domain.name());
        String version = contract.path("version").asText("");
        if (!SpecRules.isSemver(version)) {
            warn("version", "'" + version + "' is not MAJOR.MINOR.PATCH; the product starts at 1.0.0");
            version = "1.0.0";
        }
        spec.put("version", version).put("owner", owner(contract.path("team"), domain));
        String description = description(contract.path("description"), object);
        if (!description.isEmpty()) {
            spec.put("description", description);
        }

        ObjectNode output = JSON.createObjectNode();
        ArrayNode checks = JSON.createArrayNode();
        List<String> columns = columns(object, output, checks);
        rules(object.path("quality"), "schema[0].quality", null, checks);
        objectFields(object);

        if (meshSpec.has("inputs")) {
            spec.set("inputs", meshSpec.get("inputs"));
            spec.set("transform", meshSpec.path("transform").isMissingNode()
                    ? JSON.createObjectNode().put("template", "ingest") : meshSpec.get("transform"));
        } else {
            skeletonInputs(spec, domain, id, output);
        }
        String mode = meshSpec.path("output").path("mode").asText(output.has("keys") ? "merge" : "overwrite");
        ObjectNode outputSection = spec.putObject("output").put("mode", mode);
        outputSection.setAll(output);
        ObjectNode quality = JSON.createObjectNode();
        if (meshSpec.path("quality").isObject()) {
            quality.setAll((ObjectNode) meshSpec.get("quality"));
        }
        if (!checks.isEmpty()) {
            quality.set("checks", checks);
        }
        if (!quality.isEmpty()) {
            spec.set("quality", quality);
        }
        ObjectNode sla = sla(contract.path("slaProperties"), meshSla);
        if (!sla.isEmpty()) {
            spec.set("sla", sla);
        }
        if (meshSpec.has("access")) {
            spec.set("access", meshSpec.get("access"));
        }
        topLevel(contract, id);
        if (columns.isEmpty()) {
            throw MeshException.invalidInput("%s: schema[0] '%s' has no properties: a product needs at least one "
                    + "column", file, object.path("name").asText());
        }
        return new Imported(id, header(file, contract) + yaml(spec), List.copyOf(warnings));
    }

    private DomainSpec domain(JsonNode contract, Optional<String> override, String file) {
        String wanted = override.orElseGet(() -> contract.path("domain").asText(""));
        List<String> names = mesh.domains().stream().map(DomainSpec::name).toList();
        if (wanted.isEmpty()) {
            throw MeshException.invalidInput("%s names no domain; give one with --domain (domains: %s)", file,
                    String.join(", ", names));
        }
        return mesh.domain(wanted).orElseThrow(() -> MeshException.invalidInput("%s: domain '%s' is not in the "
                + "mesh; give one with --domain (domains: %s)", file, wanted, String.join(", ", names)));
    }

    private String productName(JsonNode contract, JsonNode object) {
        for (String candidate : new String[] {contract.path("name").asText(""), object.path("name").asText(""),
                contract.path("dataProduct").asText("")}) {
            if (SpecRules.isName(candidate)) {
                return candidate;
            }
        }
        String from = !contract.path("name").asText("").isEmpty() ? contract.path("name").asText()
                : object.path("name").asText("");
        String name = from.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_").replaceAll("^[^a-z]+", "")
                .replaceAll("_+$", "");
        if (!SpecRules.isName(name)) {
            throw MeshException.invalidInput("the contract's name '%s' cannot become a product name; give it a "
                    + "name of lower-case letters, digits and '_'", from);
        }
        warn("name", "'" + from + "' is not a product name; the product is named " + name);
        return name;
    }

    private String owner(JsonNode team, DomainSpec domain) {
        String fallback = domain.owners().isEmpty() ? domain.name() + "-data@example.com" : domain.owners().get(0);
        String owner = null;
        JsonNode members = team.path("members");
        for (JsonNode member : members) {
            if ("owner".equalsIgnoreCase(member.path("role").asText())) {
                owner = member.path("username").asText();
                break;
            }
        }
        if (owner == null && members.size() > 0) {
            owner = members.get(0).path("username").asText();
        }
        if (owner == null) {
            warn("team", "no owner among the team's members; the owner is the domain's, " + fallback);
            owner = fallback;
        } else if (!SpecRules.isEmail(owner)) {
            warn("team", "owner '" + owner + "' is not an e-mail address; the owner is the domain's, " + fallback);
            owner = fallback;
        }
        int index = 0;
        for (JsonNode member : members) {
            String username = member.path("username").asText();
            if (!username.equals(owner) && !domain.owners().contains(username)) {
                warn("team.members[" + index + "]", "'" + username + "' (" + member.path("role").asText("no role")
                        + ") not mapped: a product has one owner; domain owners are listed in domain.yaml");
            }
            index++;
        }
        fieldsOtherThan(team, "team", Set.of("name", "members"));
        return owner;
    }

    private String description(JsonNode description, JsonNode object) {
        if (description.isTextual()) {
            return description.asText();
        }
        StringBuilder text = new StringBuilder(description.path("purpose").asText(""));
        for (String part : new String[] {"usage", "limitations"}) {
            if (description.has(part)) {
                text.append(text.length() == 0 ? "" : " ").append(Character.toUpperCase(part.charAt(0)))
                        .append(part.substring(1)).append(": ").append(description.get(part).asText());
            }
        }
        fieldsOtherThan(description, "description", Set.of("purpose", "usage", "limitations"));
        if (text.length() == 0) {
            return object.path("description").asText("");
        }
        return text.toString();
    }

    /** The object's properties as output columns, keys and partition columns; their rules go to {@code checks}. */
    private List<String> columns(JsonNode object, ObjectNode output, ArrayNode checks) {
        List<String> columns = new ArrayList<>();
        Map<Integer, String> keys = new TreeMap<>();
        Map<Integer, String> partitions = new TreeMap<>();
        ArrayNode schema = JSON.createArrayNode();
        int index = 0;
        for (JsonNode property : object.path("properties")) {
            String path = "schema[0].properties[" + index++ + "]";
            String name = property.path("physicalName").asText(property.path("name").asText(""));
            if (!SpecRules.isColumnName(name)) {
                warn(path, "'" + name + "' is not a column name (letters, digits and '_'); property not mapped");
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
            JsonNode protection = customValue(property.path("customProperties"), OdcsTerms.MESH_PROTECTION);
            if (protection.isTextual()) {
                column.put("protection", protection.asText());
            }
            JsonNode declassified = customValue(property.path("customProperties"), OdcsTerms.MESH_DECLASSIFIED);
            if (declassified.isTextual()) {
                column.put("declassified", declassified.asText());
            }
            unmappedCustom(property.path("customProperties"), path + ".customProperties",
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
            rules(property.path("quality"), path + ".quality", name, checks);
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
                    warn(path + ".physicalType", "'" + physical + "' is stored as " + mapped.get());
                }
                return mapped.get();
            }
        }
        String logical = property.path("logicalType").asText("");
        Optional<String> fromLogical = OdcsTerms.sparkTypeOfLogical(logical);
        if (fromLogical.isPresent()) {
            if (!physical.isEmpty()) {
                warn(path + ".physicalType", "'" + physical + "' is not a type here; the column is "
                        + fromLogical.get() + " after its logicalType " + logical);
            }
            return fromLogical.get();
        }
        warn(path, "no type the platform knows (physicalType '" + physical + "', logicalType '" + logical
                + "'); the column is a string");
        return "string";
    }

    private void rules(JsonNode rules, String path, String column, ArrayNode checks) {
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
                warn(path, "a text rule is read by people, not run: '" + rule.path("description").asText("")
                        + "'");
                yield Optional.empty();
            }
            case "custom" -> {
                warn(path, "a custom rule for engine '" + rule.path("engine").asText() + "' is not run here");
                yield Optional.empty();
            }
            default -> {
                warn(path, "rule type '" + type + "' is not one of text, library, sql, custom");
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
                warn(path + ".name", "'" + name + "' is not a check name (lower-case letters, digits, '_'); "
                        + "the check goes unnamed");
            }
        }
        checks.add(node);
        fieldsOtherThan(rule, path, Set.of("type", "metric", "rule", "arguments", "mustBe", "mustBeGreaterThan",
                "mustBeGreaterOrEqualTo", "mustBeLessThan", "mustBeLessOrEqualTo", "mustBeBetween", "unit",
                "severity", "name", "query"));
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
                    return unmapped(path, metric + " needs a property: put the rule under the column");
                }
                if (metric.equals("missingValues") && arguments.has("missingValues") && !onlyNull(
                        arguments.get("missingValues"))) {
                    return unmapped(path, "missingValues other than null (" + arguments.get("missingValues")
                            + ") are not counted here; only nulls");
                }
                if (zero.filter(v -> v.signum() == 0).isPresent()) {
                    return Optional.of(check("complete").put("column", column));
                }
                if (percent.isPresent()) {
                    return Optional.of(check("completeness").put("column", column)
                            .put("min", OdcsTerms.shareInside(percent.get())));
                }
                return unmapped(path, metric + " is run here as 'none' (mustBe: 0) or a percentage "
                        + "(mustBeLessOrEqualTo with unit: percent)");
            }
            case "invalidValues" -> {
                if (column == null) {
                    return unmapped(path, "invalidValues needs a property: put the rule under the column");
                }
                if (arguments.has("validValues") && zero.filter(v -> v.signum() == 0).isPresent()) {
                    ObjectNode check = check("allowedValues").put("column", column);
                    ArrayNode values = check.putArray("values");
                    for (JsonNode value : arguments.get("validValues")) {
                        if (value.isNull()) {
                            warn(path + ".arguments.validValues", "null is not a value here; a null is judged "
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
                return unmapped(path, "invalidValues is run here with arguments validValues (mustBe: 0) or "
                        + "pattern (mustBe: 0 or a percentage)");
            }
            case "duplicateValues" -> {
                if (zero.filter(v -> v.signum() == 0).isEmpty()) {
                    return unmapped(path, "duplicateValues is run here as 'none' (mustBe: 0)");
                }
                if (arguments.path("properties").isArray() && arguments.get("properties").size() > 0) {
                    ObjectNode check = check("unique");
                    ArrayNode columns = check.putArray("columns");
                    arguments.get("properties").forEach(p -> columns.add(p.asText()));
                    return Optional.of(check);
                }
                if (column == null) {
                    return unmapped(path, "duplicateValues needs a property, or arguments.properties");
                }
                return Optional.of(check("unique").put("column", column));
            }
            case "rowCount" -> {
                Optional<BigDecimal[]> bounds = bounds(rule, true);
                if (bounds.isEmpty()) {
                    return unmapped(path, "rowCount is run here with mustBe, mustBeGreaterThan, "
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
                return unmapped(path, "metric '" + metric + "' is not one the platform runs (nullValues, "
                        + "missingValues, invalidValues, duplicateValues, rowCount)");
            }
        }
    }

    private Optional<ObjectNode> sql(JsonNode rule, String path, String column) {
        String query = rule.path("query").asText("");
        if (column != null) {
            query = query.replace("${column}", column).replace("${property}", column);
        }
        Optional<String[]> minMax = OdcsTerms.minMaxQuery(query);
        if (minMax.isPresent()) {
            Optional<BigDecimal[]> bounds = bounds(rule, false);
            if (bounds.isEmpty()) {
                return unmapped(path, "a MIN or MAX query is run here with mustBeGreaterOrEqualTo, "
                        + "mustBeLessOrEqualTo or mustBeBetween");
            }
            ObjectNode check = check(minMax.get()[0].toLowerCase(Locale.ROOT)).put("column", minMax.get()[1]);
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
                return unmapped(path, "a COUNT(*) ... WHERE query is run here as 'no such rows' (mustBe: 0) or a "
                        + "percentage of them (mustBeLessOrEqualTo with unit: percent)");
            }
            String name = rule.path("name").asText("");
            if (!SpecRules.isName(name)) {
                name = "sql_rule_" + ++unnamedRules;
            }
            ObjectNode check = check("satisfies").put("name", name).put("sql", OdcsTerms.negate(breaking.get()));
            percent.ifPresent(p -> check.put("min", OdcsTerms.shareInside(p)));
            return Optional.of(check);
        }
        return unmapped(path, "the SQL rule is not one the platform runs (SELECT MIN|MAX(column) FROM ${object}, "
                + "or SELECT COUNT(*) FROM ${object} WHERE <rows breaking it>): " + query);
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

    private ObjectNode sla(JsonNode properties, JsonNode meshSla) {
        ObjectNode sla = JSON.createObjectNode();
        int index = 0;
        for (JsonNode property : properties) {
            String path = "slaProperties[" + index++ + "]";
            String name = property.path("property").asText("");
            String field = switch (name) {
                case "frequency" -> "freshness";
                case "latency" -> "maxDuration";
                default -> null;
            };
            if (field == null) {
                warn(path, "SLA property '" + name + "' not mapped (the platform keeps frequency as freshness and "
                        + "latency as maxDuration)");
                continue;
            }
            Optional<Duration> duration = property.path("value").isNumber() ? OdcsTerms.duration(
                    property.get("value").decimalValue(), property.path("unit").asText("")) : Optional.empty();
            if (duration.isEmpty() || duration.get().isZero()) {
                warn(path, name + " " + property.path("value").asText() + " " + property.path("unit").asText()
                        + " is not a duration (a number with unit s, min, h, d or w)");
                continue;
            }
            sla.put(field, duration.get().toString());
            fieldsOtherThan(property, path, Set.of("property", "value", "unit", "description"));
        }
        for (String field : List.of("minQualityScore", "minSuccessRate", "window")) {
            if (meshSla.has(field)) {
                sla.set(field, meshSla.get(field));
            }
        }
        if (sla.size() == 1 && sla.has("window")) {
            sla.remove("window");
        }
        return sla;
    }

    private void skeletonInputs(ObjectNode spec, DomainSpec domain, ProductId id, ObjectNode output) {
        ArrayNode inputs = spec.putArray("inputs");
        ObjectNode input = inputs.addObject().put("name", "raw");
        if (!domain.sources().isEmpty()) {
            String source = domain.sources().get(0).name();
            ObjectNode files = input.putObject("files").put("source", source).put("format", "csv");
            files.putObject("options").put("header", "true");
            ArrayNode schema = files.putArray("schema");
            for (JsonNode column : output.path("schema")) {
                schema.addObject().put("name", column.get("name").asText()).put("type", column.get("type").asText());
            }
            warn("inputs", "the contract does not say how the product is built: the spec ingests CSV files of "
                    + "source " + source + " with the contract's columns; change inputs and transform to what "
                    + "builds it");
        } else {
            String prefix = domain.name().toUpperCase(Locale.ROOT);
            input.putObject("jdbc").put("urlEnv", prefix + "_JDBC_URL").put("userEnv", prefix + "_JDBC_USER")
                    .put("passwordEnv", prefix + "_JDBC_PASSWORD").put("table", "public." + id.name());
            warn("inputs", "the contract does not say how the product is built: the spec reads table public."
                    + id.name() + " from the database in $" + prefix + "_JDBC_URL; change inputs and transform to "
                    + "what builds it");
        }
        spec.putObject("transform").put("template", "ingest");
    }

    private void topLevel(JsonNode contract, ProductId id) {
        Set<String> mapped = Set.of("apiVersion", "kind", "name", "version", "domain", "dataProduct",
                "description", "team", "schema", "slaProperties", "customProperties", "id", "status");
        Iterator<String> fields = contract.fieldNames();
        while (fields.hasNext()) {
            String field = fields.next();
            if (field.equals("servers")) {
                warn("servers", "not mapped: the platform stores the product in its domain's zone");
            } else if (!mapped.contains(field)) {
                warn(field, "not mapped");
            }
        }
        String contractId = contract.path("id").asText("");
        if (!contractId.isEmpty() && !contractId.equals(id.toString())) {
            warn("id", "'" + contractId + "' not kept: the product is identified as " + id);
        }
        String status = contract.path("status").asText("active");
        if (!status.equals("active")) {
            warn("status", "'" + status + "' not kept: a product in the mesh runs when it is run");
        }
    }

    private void objectFields(JsonNode object) {
        fieldsOtherThan(object, "schema[0]", Set.of("name", "physicalName", "physicalType", "logicalType",
                "description", "properties", "quality"));
    }

    private void propertyFields(JsonNode property, String path) {
        fieldsOtherThan(property, path, Set.of("name", "physicalName", "logicalType", "physicalType", "required",
                "unique", "primaryKey", "primaryKeyPosition", "partitioned", "partitionKeyPosition", "classification",
                "description", "quality", "customProperties"));
    }

    /** Reports every field of {@code node} not in {@code mapped} that says something (not null, false or empty). */
    private void fieldsOtherThan(JsonNode node, String path, Set<String> mapped) {
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

    private void unmappedCustom(JsonNode properties, String path, Set<String> known) {
        int index = 0;
        for (JsonNode property : properties) {
            if (!known.contains(property.path("property").asText())) {
                warn(path + "[" + index + "]", "custom property '" + property.path("property").asText()
                        + "' not mapped");
            }
            index++;
        }
    }

    private static JsonNode customValue(JsonNode properties, String name) {
        for (JsonNode property : properties) {
            if (name.equals(property.path("property").asText())) {
                return property.path("value");
            }
        }
        return JSON.missingNode();
    }

    private static ObjectNode check(String kind) {
        return JSON.createObjectNode().put("check", kind);
    }

    private Optional<ObjectNode> unmapped(String path, String why) {
        warn(path, "not mapped: " + why);
        return Optional.empty();
    }

    private void warn(String path, String message) {
        warnings.add(path + ": " + message);
    }

    private String header(String file, JsonNode contract) {
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

    private static String yaml(ObjectNode spec) {
        try {
            return OdcsTerms.YAML_WRITER.writeValueAsString(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
