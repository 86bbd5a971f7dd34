package dev.mesh.spec.yaml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.spec.model.AccessSpec;
import dev.mesh.spec.model.CheckSpec.CheckKind;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.TemplateParameter;
import dev.mesh.spec.spi.TemplateCatalog;
import dev.mesh.spec.spi.TemplateDescriptor;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schemas (draft 2020-12) of the four kinds of spec file, for editors (completion, inline errors) and CI. They
 * are built from the readers' own field lists, so a field a reader accepts is in the schema and one it refuses is
 * not; a product's {@code transform} takes the parameters the installed templates' descriptors declare. The readers
 * stay the judge: the schema catches the shape (names, kinds of value, choices), {@code mesh validate} the meaning.
 */
public final class SpecSchemas {
    /** The kinds of spec file, each with the {@code kind} its header names. */
    public enum Kind {
        PLATFORM("Platform"), DOMAIN("Domain"), PRODUCT("DataProduct"), GOVERNANCE("Governance");

        private final String header;

        Kind(String header) {
            this.header = header;
        }

        public String fileName() {
            return name().toLowerCase(Locale.ROOT) + ".schema.json";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "^[a-z][a-z0-9_]{0,62}$";

    private SpecSchemas() {}

    public static ObjectNode of(Kind kind, TemplateCatalog templates) {
        ObjectNode schema = switch (kind) {
            case PLATFORM -> platform();
            case DOMAIN -> domain();
            case PRODUCT -> product(templates);
            case GOVERNANCE -> governance();
        };
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$id", "https://mesh.dev/schema/" + kind.fileName());
        root.put("title", "Mesh " + kind.header + " spec");
        root.setAll(schema);
        ObjectNode properties = (ObjectNode) root.get("properties");
        properties.set("apiVersion", constant("mesh/v1"));
        properties.set("kind", constant(kind.header));
        return root;
    }

    private static ObjectNode product(TemplateCatalog templates) {
        ObjectNode column = object(SchemaFields.COLUMN, Map.of("name", string(), "type", string(),
                "required", type("boolean"), "description", string(), "classification", string(),
                "protection", choice("none", "hash", "redact", "drop"), "declassified", string()));
        column.set("required", array("name", "type"));
        ObjectNode input = object(InputFields.INPUT, Map.of("name", pattern(NAME),
                "files", object(InputFields.FILES, Map.of("source", string(), "path", string(),
                        "format", string(), "options", stringMap(), "encoding", string())),
                "product", pattern("^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*(@[0-9]+)?$"),
                "jdbc", object(JdbcInputFields.FIELDS, Map.of("table", string(), "query", string(),
                        "watermark", string(), "numPartitions", type("integer"), "fetchSize", type("integer")))));
        input.set("required", array("name"));
        ObjectNode quality = object(QualityFields.QUALITY, Map.of(
                "checks", listOf(checks()),
                "rowRules", listOf(byKind("check", QualityFields.ROW_RULE_FIELDS)),
                "anomalies", listOf(object(QualityFields.ANOMALY, Map.of())),
                "maxQuarantineRate", type("number")));
        ObjectNode root = object(ProductFileReader.TOP, Map.ofEntries(
                Map.entry("name", pattern(NAME)), Map.entry("domain", pattern(NAME)),
                Map.entry("version", pattern("^[0-9]+\\.[0-9]+\\.[0-9]+$")), Map.entry("owner", string()),
                Map.entry("description", string()), Map.entry("tags", listOf(pattern("^[a-z][a-z0-9_-]{0,62}$"))),
                Map.entry("inputs", listOf(input)), Map.entry("transform", transform(templates)),
                Map.entry("output", object(ProductFileReader.OUTPUT, Map.of(
                        "mode", choice(names(WriteMode.values())), "keys", listOf(string()),
                        "partitionBy", listOf(string()), "schema", listOf(column)))),
                Map.entry("quality", quality),
                Map.entry("sla", object(ProductFileReader.SLA, Map.of("freshness", string(), "maxDuration", string(),
                        "window", string(), "minQualityScore", type("number"), "minSuccessRate", type("number"),
                        "freshnessColumn", string()))),
                Map.entry("access", object(ProductFileReader.ACCESS, Map.of(
                        "visibility", choice(names(AccessSpec.Visibility.values())), "consumers", listOf(string()),
                        "republish", listOf(string())))),
                Map.entry("versions", versions())));
        root.set("required", array("apiVersion", "kind", "name", "domain", "version", "owner", "transform",
                "output"));
        return root;
    }

    /** {@code versions}: older majors kept beside the current one, by major number. */
    private static ObjectNode versions() {
        ObjectNode columns = type("object");
        columns.set("additionalProperties", string());
        ObjectNode node = type("object");
        node.putObject("patternProperties").set("^[1-9][0-9]*$", object(ProductFileReader.KEPT, Map.of(
                "until", pattern("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), "columns", columns)));
        node.put("additionalProperties", false);
        return node;
    }

    /** {@code transform}: a template, and the parameters its descriptor declares (no others). */
    private static ObjectNode transform(TemplateCatalog templates) {
        ObjectNode transform = JSON.createObjectNode().put("type", "object");
        transform.set("required", array("template"));
        transform.putObject("properties").set("template", choice(templates.byName().keySet().toArray(String[]::new)));
        ArrayNode branches = transform.putArray("allOf");
        for (TemplateDescriptor descriptor : templates.descriptors()) {
            ObjectNode branch = branches.addObject();
            branch.putObject("if").putObject("properties").putObject("template").put("const", descriptor.name());
            ObjectNode then = branch.putObject("then");
            then.put("description", descriptor.summary());
            ObjectNode properties = then.putObject("properties");
            properties.putObject("template");
            ArrayNode required = then.putArray("required");
            for (TemplateParameter parameter : descriptor.parameters()) {
                ObjectNode value = switch (parameter.type()) {
                    case STRING -> string();
                    case STRING_LIST -> listOf(string());
                    case INTEGER -> type("integer");
                    case NUMBER -> type("number");
                    case BOOLEAN -> type("boolean");
                };
                value.put("description", parameter.doc());
                properties.set(parameter.name(), value);
                if (parameter.required()) {
                    required.add(parameter.name());
                }
            }
            then.put("additionalProperties", false);
        }
        return transform;
    }

    private static ObjectNode checks() {
        ObjectNode check = JSON.createObjectNode().put("type", "object");
        check.set("required", array("check"));
        check.putObject("properties").set("check", choice(Arrays.stream(CheckKind.values())
                .map(CheckKind::specName).toArray(String[]::new)));
        ArrayNode branches = check.putArray("allOf");
        for (CheckKind kind : CheckKind.values()) {
            ObjectNode branch = branches.addObject();
            branch.putObject("if").putObject("properties").putObject("check").put("const", kind.specName());
            ObjectNode then = object(CheckFields.checkFields(kind), Map.of("level", choice("error", "warning")));
            branch.set("then", then);
        }
        return check;
    }

    private static ObjectNode byKind(String field, Map<String, Set<String>> fieldsByKind) {
        ObjectNode node = JSON.createObjectNode().put("type", "object");
        node.set("required", array(field));
        node.putObject("properties").set(field, choice(fieldsByKind.keySet().stream().sorted()
                .toArray(String[]::new)));
        ArrayNode branches = node.putArray("allOf");
        fieldsByKind.keySet().stream().sorted().forEach(kind -> {
            ObjectNode branch = branches.addObject();
            branch.putObject("if").putObject("properties").putObject(field).put("const", kind);
            branch.set("then", object(fieldsByKind.get(kind), Map.of()));
        });
        return node;
    }

    private static ObjectNode domain() {
        ObjectNode source = object(DomainFileReader.SOURCE, Map.of("name", string(), "landing", string(),
                "description", string()));
        source.set("required", array("name", "landing"));
        ObjectNode root = object(DomainFileReader.TOP, Map.of("name", pattern(NAME), "description", string(),
                "owners", listOf(string()), "members", listOf(string()), "businessFunctions", listOf(string()),
                "sources", listOf(source), "policies", listOf(rules())));
        root.set("required", array("apiVersion", "kind", "name", "owners"));
        return root;
    }

    private static ObjectNode governance() {
        ObjectNode member = object(GovernanceFileReader.MEMBER, Map.of("domain", pattern(NAME),
                "representative", string()));
        member.set("required", array("domain", "representative"));
        ObjectNode root = object(GovernanceFileReader.TOP, Map.of(
                "body", object(GovernanceFileReader.BODY, Map.of("members", listOf(member),
                        "approval", choice("majority", "unanimous"), "joining", choice("open", "approval"))),
                "approval", object(GovernanceFileReader.APPROVAL, Map.of("policyVersion", pattern("^[0-9a-f]{12,64}$"),
                        "approvedBy", listOf(string()), "bodySize", type("integer"))),
                "pii", object(GovernanceFileReader.PII, Map.of("saltEnv", string())),
                "rules", listOf(rules())));
        root.set("required", array("apiVersion", "kind", "body", "rules"));
        return root;
    }

    private static ObjectNode rules() {
        ObjectNode rule = byKind("kind", GovernanceFileReader.RULE_FIELDS);
        ObjectNode properties = (ObjectNode) rule.get("properties");
        properties.set("id", pattern("^[a-z][a-z0-9-]{0,62}$"));
        properties.set("severity", choice("error", "warning"));
        properties.set("message", string());
        rule.set("required", array("id", "kind", "message"));
        return rule;
    }

    private static ObjectNode platform() {
        ObjectNode s3 = object(PlatformFileReader.S3, Map.of("endpoint", string(), "region", string(),
                "pathStyleAccess", type("boolean"), "credentials", object(PlatformFileReader.CREDENTIALS,
                        Map.of("accessKeyEnv", string(), "secretKeyEnv", string(), "provider", string()))));
        ObjectNode oidc = object(PlatformFileReader.OIDC, Map.of("issuer", string(), "audience", string(),
                "jwks", string(), "principalClaim", string(), "groupsClaim", string(),
                "portal", object(PlatformFileReader.PORTAL_CLIENT, Map.of("clientId", string(),
                        "authorizationEndpoint", string(), "tokenEndpoint", string()))));
        ObjectNode root = object(PlatformFileReader.TOP, Map.of("name", string(),
                "storage", object(PlatformFileReader.STORAGE, Map.of("root", string(), "bucketPattern", string(),
                        "s3", s3)),
                "spark", object(PlatformFileReader.SPARK, Map.of("master", string(), "conf", stringMap())),
                "domains", string(), "governance", string(),
                "alerts", listOf(object(PlatformFileReader.ALERT, Map.of("type", choice("log", "webhook"),
                        "url", string(), "urlEnv", string(), "timeout", string(), "retries", type("integer")))),
                "lineage", object(PlatformFileReader.LINEAGE, Map.of("namespace", string(),
                        "transports", listOf(object(PlatformFileReader.TRANSPORT, Map.of())))),
                "server", object(PlatformFileReader.SERVER, Map.of("admins", listOf(string()), "oidc", oidc))));
        root.set("required", array("apiVersion", "kind", "name"));
        return root;
    }

    /** An object that takes exactly {@code fields}, some of them described further by {@code typed}. */
    private static ObjectNode object(Set<String> fields, Map<String, ObjectNode> typed) {
        ObjectNode node = JSON.createObjectNode().put("type", "object");
        ObjectNode properties = node.putObject("properties");
        for (String field : fields) {
            properties.set(field, typed.containsKey(field) ? typed.get(field).deepCopy() : JSON.createObjectNode());
        }
        node.put("additionalProperties", false);
        return node;
    }

    private static ObjectNode type(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private static ObjectNode string() {
        return type("string");
    }

    private static ObjectNode pattern(String regex) {
        return string().put("pattern", regex);
    }

    private static ObjectNode constant(String value) {
        return string().put("const", value);
    }

    private static ObjectNode choice(String... values) {
        ObjectNode node = string();
        ArrayNode allowed = node.putArray("enum");
        Arrays.stream(values).forEach(allowed::add);
        return node;
    }

    private static ObjectNode listOf(ObjectNode items) {
        ObjectNode node = type("array");
        node.set("items", items);
        return node;
    }

    private static ObjectNode stringMap() {
        ObjectNode node = type("object");
        node.putObject("additionalProperties").putArray("type").add("string").add("number").add("boolean");
        return node;
    }

    private static ArrayNode array(String... values) {
        ArrayNode array = JSON.createArrayNode();
        Arrays.stream(values).forEach(array::add);
        return array;
    }

    private static String[] names(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
    }

    /** Every kind, for {@code mesh schema --out} and the tests. */
    public static List<Kind> kinds() {
        return List.of(Kind.values());
    }
}
