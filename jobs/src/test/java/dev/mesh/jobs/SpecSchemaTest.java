package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.mesh.spec.testing.TestMesh;
import dev.mesh.spec.yaml.SpecSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON Schemas {@code mesh schema} publishes accept every spec of the example mesh and every scaffold
 * {@code mesh init} writes (which carry the editor's schema line), and refuse what the readers refuse in shape: an
 * unknown field, a parameter the template does not take, a check kind that does not exist.
 */
class SpecSchemaTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern SCHEMA_LINE = Pattern.compile("^# yaml-language-server: \\$schema=(\\S+)\\n");

    @TempDir
    Path dir;

    @Test
    void theSchemasAcceptEveryExampleAndScaffoldAndRefuseWhatTheReadersRefuse() throws IOException {
        CliHarness.Result written = CliHarness.run("schema", "--out", dir.resolve("schemas").toString());
        assertThat(written.exitCode()).as(written.err()).isZero();
        Map<String, SchemaRegistry> registries = new LinkedHashMap<>();
        Map<String, String> ids = new LinkedHashMap<>();
        for (SpecSchemas.Kind kind : SpecSchemas.kinds()) {
            String text = Files.readString(dir.resolve("schemas").resolve(kind.fileName()));
            String id = new ObjectMapper().readTree(text).path("$id").asText();
            ids.put(kind.fileName(), id);
            registries.put(kind.fileName(), SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    builder -> builder.schemas(Map.of(id, text))));
        }
        // the copies published in the repository are what the command writes: regenerate them with
        // bin/mesh schema --out docs/schema when a reader or template changes
        for (SpecSchemas.Kind kind : SpecSchemas.kinds()) {
            assertThat(CliHarness.HOME.resolve("docs/schema").resolve(kind.fileName())).as(kind.fileName())
                    .hasSameTextualContentAs(dir.resolve("schemas").resolve(kind.fileName()));
        }
        CliHarness.Result printed = CliHarness.run("schema", "product");
        assertThat(printed.out()).contains("\"$id\" : \"https://mesh.dev/schema/product.schema.json\"",
                "\"const\" : \"scd2\"", "\"freshnessColumn\"");

        // every spec of the example mesh
        Path examples = CliHarness.HOME.resolve("examples");
        List<Path> specs;
        try (Stream<Path> files = Files.walk(examples)) {
            specs = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(specs).hasSizeGreaterThan(10);
        for (Path spec : specs) {
            String kind = kindOf(spec);
            assertThat(problems(registries, ids, kind, Files.readString(spec))).as(spec.toString()).isEmpty();
        }

        // every scaffold, which points editors at the schema next to platform.yaml
        TestMesh mesh = TestMesh.in(dir.resolve("mesh"));
        Files.createDirectories(mesh.dir().resolve("domains"));
        assertThat(ShopMesh.run(mesh, "init", "domain", "billing").exitCode()).isZero();
        for (String template : new String[] {"ingest", "sql", "dedupe", "cdc", "scd2"}) {
            assertThat(ShopMesh.run(mesh, "init", "product", "billing." + template + "_x", "--template", template)
                    .exitCode()).isZero();
        }
        assertThat(ShopMesh.run(mesh, "init", "product", "billing.accounts", "--template", "dedupe", "--input",
                "jdbc").exitCode()).isZero();
        List<Path> scaffolds = new ArrayList<>(List.of(mesh.dir().resolve("domains/billing/domain.yaml")));
        try (Stream<Path> files = Files.list(mesh.dir().resolve("domains/billing/products"))) {
            files.sorted().forEach(scaffolds::add);
        }
        assertThat(scaffolds).hasSize(7);
        for (Path scaffold : scaffolds) {
            String text = Files.readString(scaffold);
            Matcher line = SCHEMA_LINE.matcher(text);
            assertThat(line.find()).as(scaffold + " starts with the editor's schema line").isTrue();
            Path schema = scaffold.getParent().resolve(line.group(1)).normalize();
            assertThat(schema).exists().isEqualTo(mesh.dir().resolve("schema").resolve(kindOf(scaffold)));
            assertThat(problems(registries, ids, kindOf(scaffold), text)).as(scaffold.toString()).isEmpty();
        }
        assertThat(ShopMesh.run(mesh, "validate").exitCode()).isZero();

        // the shape the readers refuse, refused as the editor types it
        String orders = Files.readString(examples.resolve("domains/sales/products/orders.yaml"));
        assertThat(problems(registries, ids, "product.schema.json", orders.replace("output:", "outptu:")))
                .anyMatch(p -> p.contains("outptu"));
        String sql = Files.readString(examples.resolve("domains/finance/products/revenue_by_nation.yaml"));
        assertThat(sql).contains("template: sql");
        assertThat(problems(registries, ids, "product.schema.json", sql.replace("template: sql",
                "template: sql\n  keys: [x]"))).anyMatch(p -> p.contains("keys"));
        assertThat(problems(registries, ids, "product.schema.json", orders.replace("check: allowedValues",
                "check: allowedValue"))).anyMatch(p -> p.contains("check"));
        assertThat(problems(registries, ids, "product.schema.json", orders.replace("atLeast: 0", "atleast: 0")))
                .anyMatch(p -> p.contains("atleast"));
        assertThat(problems(registries, ids, "product.schema.json", orders.replace("mode: merge", "mode: upsert")))
                .anyMatch(p -> p.contains("mode"));
    }

    private static String kindOf(Path spec) {
        String name = spec.getFileName().toString();
        if (name.equals("platform.yaml")) {
            return "platform.schema.json";
        }
        if (name.equals("governance.yaml")) {
            return "governance.schema.json";
        }
        return name.equals("domain.yaml") ? "domain.schema.json" : "product.schema.json";
    }

    private static List<String> problems(Map<String, SchemaRegistry> registries, Map<String, String> ids,
            String kind, String yaml) throws IOException {
        JsonNode document = YAML.readTree(yaml);
        return registries.get(kind).getSchema(SchemaLocation.of(ids.get(kind))).validate(document).stream()
                .map(error -> error.getInstanceLocation() + " " + error.getMessage()).toList();
    }
}
