package dev.mesh.spec.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mesh.error.MeshException;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.yaml.SpecRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An Open Data Contract Standard v3 contract as a product spec ({@code mesh/v1}) that {@code mesh validate}
 * accepts. What has a meaning here is mapped: the first schema object's properties (types, required, unique,
 * primary and partition keys, classification, description), the quality rules the platform can run (library
 * metrics nullValues, missingValues, invalidValues, duplicateValues, rowCount; SQL rules of the shapes
 * {@code SELECT MIN|MAX|AVG(col) FROM ${object}} and {@code SELECT COUNT(*) FROM ${object} WHERE ...}), the
 * frequency and latency SLA properties, the owner, and the platform's own sections that an export carries. Every
 * other part is listed as a warning naming its path; nothing is dropped silently.
 */
public final class OdcsImport {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The product spec an import made, with every part of the contract it could not map. */
    public record Imported(ProductId product, String yaml, List<String> warnings) {}

    private final MeshSpec mesh;
    private final ImportWarnings warnings = new ImportWarnings();
    private final OdcsRuleImport rules = new OdcsRuleImport(warnings);
    private final OdcsSchemaImport schema = new OdcsSchemaImport(warnings, rules);

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
            warnings.warn("schema[" + i + "]", "object '" + schemas.get(i).path("name").asText()
                    + "' not mapped: a product publishes one output; import it as a product of its own");
        }
        DomainSpec domain = domain(contract, domainOverride, file);
        String name = productName(contract, object);
        ProductId id = new ProductId(domain.name(), name);
        JsonNode meshSpec = customValue(contract.path("customProperties"), OdcsTerms.MESH_SPEC);
        JsonNode meshSla = customValue(contract.path("customProperties"), OdcsTerms.MESH_SLA);
        warnings.unmappedCustom(contract.path("customProperties"), "customProperties",
                Set.of(OdcsTerms.MESH_SPEC, OdcsTerms.MESH_SLA));

        ObjectNode spec = JSON.createObjectNode();
        spec.put("apiVersion", "mesh/v1").put("kind", "DataProduct").put("name", name).put("domain", domain.name());
        String version = contract.path("version").asText("");
        if (!SpecRules.isSemver(version)) {
            warnings.warn("version", "'" + version + "' is not MAJOR.MINOR.PATCH; the product starts at 1.0.0");
            version = "1.0.0";
        }
        spec.put("version", version).put("owner", owner(contract.path("team"), domain));
        String description = description(contract.path("description"), object);
        if (!description.isEmpty()) {
            spec.put("description", description);
        }

        ObjectNode output = JSON.createObjectNode();
        ArrayNode checks = JSON.createArrayNode();
        List<String> columns = schema.columns(object, output, checks);
        rules.rules(object.path("quality"), "schema[0].quality", null, checks);
        schema.objectFields(object);

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
        return new Imported(id, warnings.header(file, contract) + yaml(spec), warnings.list());
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
        warnings.warn("name", "'" + from + "' is not a product name; the product is named " + name);
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
            warnings.warn("team", "no owner among the team's members; the owner is the domain's, " + fallback);
            owner = fallback;
        } else if (!SpecRules.isEmail(owner)) {
            warnings.warn("team", "owner '" + owner + "' is not an e-mail address; the owner is the domain's, "
                    + fallback);
            owner = fallback;
        }
        int index = 0;
        for (JsonNode member : members) {
            String username = member.path("username").asText();
            if (!username.equals(owner) && !domain.owners().contains(username)) {
                warnings.warn("team.members[" + index + "]", "'" + username + "' ("
                        + member.path("role").asText("no role") + ") not mapped: a product has one owner; domain "
                        + "owners are listed in domain.yaml");
            }
            index++;
        }
        warnings.fieldsOtherThan(team, "team", Set.of("name", "members"));
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
        warnings.fieldsOtherThan(description, "description", Set.of("purpose", "usage", "limitations"));
        if (text.length() == 0) {
            return object.path("description").asText("");
        }
        return text.toString();
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
                warnings.warn(path, "SLA property '" + name + "' not mapped (the platform keeps frequency as "
                        + "freshness and latency as maxDuration)");
                continue;
            }
            Optional<Duration> duration = property.path("value").isNumber() ? OdcsTerms.duration(
                    property.get("value").decimalValue(), property.path("unit").asText("")) : Optional.empty();
            if (duration.isEmpty() || duration.get().isZero()) {
                warnings.warn(path, name + " " + property.path("value").asText() + " " + property.path("unit").asText()
                        + " is not a duration (a number with unit s, min, h, d or w)");
                continue;
            }
            sla.put(field, duration.get().toString());
            warnings.fieldsOtherThan(property, path, Set.of("property", "value", "unit", "description"));
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
            warnings.warn("inputs", "the contract does not say how the product is built: the spec ingests CSV files of "
                    + "source " + source + " with the contract's columns; change inputs and transform to what "
                    + "builds it");
        } else {
            String prefix = domain.name().toUpperCase(Locale.ROOT);
            input.putObject("jdbc").put("urlEnv", prefix + "_JDBC_URL").put("userEnv", prefix + "_JDBC_USER")
                    .put("passwordEnv", prefix + "_JDBC_PASSWORD").put("table", "public." + id.name());
            warnings.warn("inputs", "the contract does not say how the product is built: the spec reads table public."
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
                warnings.warn("servers", "not mapped: the platform stores the product in its domain's zone");
            } else if (!mapped.contains(field)) {
                warnings.warn(field, "not mapped");
            }
        }
        String contractId = contract.path("id").asText("");
        if (!contractId.isEmpty() && !contractId.equals(id.toString())) {
            warnings.warn("id", "'" + contractId + "' not kept: the product is identified as " + id);
        }
        String status = contract.path("status").asText("active");
        if (!status.equals("active")) {
            warnings.warn("status", "'" + status + "' not kept: a product in the mesh runs when it is run");
        }
    }

    static JsonNode customValue(JsonNode properties, String name) {
        for (JsonNode property : properties) {
            if (name.equals(property.path("property").asText())) {
                return property.path("value");
            }
        }
        return JSON.missingNode();
    }

    private static String yaml(ObjectNode spec) {
        try {
            return OdcsTerms.YAML_WRITER.writeValueAsString(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
