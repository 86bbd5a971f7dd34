package dev.mesh.spec;

import static dev.mesh.spec.model.TemplateParameter.Type.BOOLEAN;
import static dev.mesh.spec.model.TemplateParameter.Type.INTEGER;
import static dev.mesh.spec.model.TemplateParameter.Type.NUMBER;
import static dev.mesh.spec.model.TemplateParameter.Type.STRING;
import static dev.mesh.spec.model.TemplateParameter.Type.STRING_LIST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.TemplateParameter;
import dev.mesh.spec.model.TemplateParameters;
import dev.mesh.spec.model.TransformSpec;
import dev.mesh.spec.spi.TemplateCatalog;
import dev.mesh.spec.spi.TemplateCheck;
import dev.mesh.spec.spi.TemplateDescriptor;
import dev.mesh.spec.testing.SpecFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates are open: a descriptor found on the classpath (or handed in) declares its parameters, and the reader binds,
 * types and reports them like every other field, with file, line, path and the nearest name.
 */
class TemplateSpecTest {
    private static final String ORDERS_FILE = SpecFixture.ORDERS_FILE;
    private static final String LATEST = """
            transform:
              template: latest
              keys: [order_id]
              orderBy: amount
            """;

    @TempDir
    Path dir;
    SpecFixture fixture;
    TemplateCatalog templates;

    @BeforeEach
    void meshWithAPluginTemplate() {
        fixture = SpecFixture.in(dir);
        templates = TemplateCatalog.of(withBuiltins(new LatestDescriptor()));
        fixture.edit(ORDERS_FILE, "transform: { template: ingest }\n", LATEST);
    }

    @Test
    void theBuiltinTemplatesAreFoundOnTheClasspath() {
        assertThat(TemplateCatalog.load().descriptors()).extracting(TemplateDescriptor::name)
                .contains("ingest", "sql");
        SpecFixture plain = SpecFixture.in(dir.resolve("plain"));
        ProductSpec revenue = plain.load().orThrow().product(new ProductId("finance", "revenue")).orElseThrow();
        assertThat(revenue.transform().template()).isEqualTo("sql");
        assertThat(revenue.transform().parameters().requiredString("sql")).startsWith("SELECT status");
    }

    @Test
    void aPluginTemplateGetsItsParametersBoundWithDefaults() {
        ProductSpec orders = fixture.load(templates).orThrow().product(new ProductId("shop", "orders")).orElseThrow();
        TransformSpec transform = orders.transform();
        assertThat(transform.template()).isEqualTo("latest");
        assertThat(transform.parameters().strings("keys")).containsExactly("order_id");
        assertThat(transform.parameters().requiredString("orderBy")).isEqualTo("amount");
        assertThat(transform.parameters().integer("keep")).contains(1L);
        assertThat(transform.parameters().flag("descending")).isTrue();
        assertThat(transform.parameters().number("sample")).isEmpty();
    }

    @Test
    void anUnknownParameterNamesTheNearestOne() {
        fixture.edit(ORDERS_FILE, "  keys: [order_id]\n  orderBy", "  kyes: [order_id]\n  orderBy");
        assertThat(fixture.problems(templates)).containsExactly(
                fixture.at(ORDERS_FILE, "transform:", "transform.keys: is required by the latest template: the "
                        + "columns that identify a row"),
                fixture.at(ORDERS_FILE, "  kyes:", "transform.kyes: is not a parameter of the latest template; did "
                        + "you mean 'keys'? (it takes: keys, orderBy, keep, descending, sample; mesh templates "
                        + "describes each)"));
    }

    @Test
    void eachParameterIsBoundWithoutCoercion() {
        fixture.edit(ORDERS_FILE, "  orderBy: amount", "  orderBy: [amount]\n  keep: \"2\"\n"
                + "  descending: \"true\"\n  sample: yes please");
        fixture.edit(ORDERS_FILE, "  keys: [order_id]\n  orderBy", "  keys: order_id\n  orderBy");
        assertThat(fixture.problems(templates)).containsExactly(
                fixture.at(ORDERS_FILE, "  keys:", "transform.keys: expected a list, found a string"),
                fixture.at(ORDERS_FILE, "  orderBy:", "transform.orderBy: expected a string, found a list"),
                fixture.at(ORDERS_FILE, "  keep:", "transform.keep: expected a whole number, found a string"),
                fixture.at(ORDERS_FILE, "  descending:", "transform.descending: expected true or false, found a "
                        + "string"),
                fixture.at(ORDERS_FILE, "  sample:", "transform.sample: expected a number, found a string"));
    }

    @Test
    void theDescriptorChecksItsParametersAgainstTheProduct() {
        fixture.edit(ORDERS_FILE, "  keys: [order_id]\n  orderBy", "  keys: [order_id, orderid]\n  orderBy");
        fixture.edit(ORDERS_FILE, "  orderBy: amount", "  orderBy: amount\n  keep: 0");
        assertThat(fixture.problems(templates)).containsExactly(
                fixture.at(ORDERS_FILE, "  keys:", "transform.keys[1]: no column 'orderid' in output.schema; did "
                        + "you mean 'order_id'?"),
                fixture.at(ORDERS_FILE, "  keep:", "transform.keep: 0 must be at least 1"));
    }

    @Test
    void ingestTakesNoParameters() {
        SpecFixture plain = SpecFixture.in(dir.resolve("plain"));
        plain.edit(ORDERS_FILE, "transform: { template: ingest }", "transform: { template: ingest, sql: SELECT 1 }");
        assertThat(plain.problems()).containsExactly(plain.at(ORDERS_FILE, "transform:", "transform.sql: is not a "
                + "parameter of the ingest template (it takes none; mesh templates describes each)"));
    }

    @Test
    void aMissingTransformListsTheTemplates() {
        fixture.edit(ORDERS_FILE, LATEST, "");
        assertThat(fixture.problems(templates)).containsExactly(ORDERS_FILE + ": transform: is required; use "
                + "{ template: ingest } to publish one input as declared, or { template: sql, sql: ... } (templates: "
                + "ingest, sql, latest; mesh templates describes each)");
    }

    @Test
    void aTemplateWhoseChecksThrowIsReportedNotThrown() {
        TemplateDescriptor broken = new LatestDescriptor() {
            @Override
            public void validate(TemplateParameters parameters, TemplateCheck check) {
                throw new IllegalStateException("index 3 out of bounds");
            }
        };
        assertThat(fixture.problems(TemplateCatalog.of(withBuiltins(broken)))).containsExactly(
                fixture.at(ORDERS_FILE, "template: latest", "transform.template: the latest template could not check "
                        + "its parameters (index 3 out of bounds); report this to the template's authors"));
    }

    @Test
    void templateNamesAndParameterNamesAreUnique() {
        assertThatThrownBy(() -> TemplateCatalog.of(withBuiltins(new LatestDescriptor(), new LatestDescriptor())))
                .hasMessageContaining("two templates are named 'latest'");
        TemplateDescriptor reserved = new LatestDescriptor() {
            @Override
            public List<TemplateParameter> parameters() {
                return List.of(TemplateParameter.required("template", STRING, "a clash"));
            }
        };
        assertThatThrownBy(() -> TemplateCatalog.of(List.of(reserved)))
                .hasMessageContaining("declares parameter 'template' twice or under the reserved name");
        assertThatThrownBy(() -> TemplateParameter.optional("keep", INTEGER, "1", "a string default"))
                .hasMessageContaining("default of parameter keep is not a integer");
    }

    @Test
    void parametersAreImmutableAndTyped() {
        List<String> keys = new ArrayList<>(List.of("a"));
        TemplateParameters parameters = TemplateParameters.of(Map.of("keys", keys, "n", 3L));
        keys.add("b");
        assertThat(parameters.strings("keys")).containsExactly("a");
        assertThat(parameters.strings("absent")).isEmpty();
        assertThatThrownBy(() -> parameters.string("n")).hasMessageContaining("is a Long, not a String");
    }

    private static List<TemplateDescriptor> withBuiltins(TemplateDescriptor... more) {
        List<TemplateDescriptor> all = new ArrayList<>(TemplateCatalog.load().descriptors());
        all.addAll(List.of(more));
        return all;
    }

    /** The latest row per key, as a plugin would describe it. */
    static class LatestDescriptor implements TemplateDescriptor {
        @Override
        public String name() {
            return "latest";
        }

        @Override
        public String summary() {
            return "the latest row per key";
        }

        @Override
        public List<TemplateParameter> parameters() {
            return List.of(
                    TemplateParameter.required("keys", STRING_LIST, "the columns that identify a row"),
                    TemplateParameter.required("orderBy", STRING, "the column whose greatest value wins"),
                    TemplateParameter.optional("keep", INTEGER, 1L, "how many rows per key"),
                    TemplateParameter.optional("descending", BOOLEAN, true, "greatest first"),
                    TemplateParameter.optional("sample", NUMBER, null, "a fraction to keep"));
        }

        @Override
        public void validate(TemplateParameters parameters, TemplateCheck check) {
            check.requireOutputColumns("keys", parameters.strings("keys"));
            long keep = parameters.integer("keep").orElseThrow();
            if (keep < 1) {
                check.problem("keep", keep + " must be at least 1");
            }
        }
    }
}
