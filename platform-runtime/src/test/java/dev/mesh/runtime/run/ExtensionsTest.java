package dev.mesh.runtime.run;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.spi.ProductTemplate;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.spi.TemplateCatalog;
import dev.mesh.spec.spi.TemplateDescriptor;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A template is two halves found apart on the classpath: one without the other fails at load, in one line. */
class ExtensionsTest {
    @Test
    void aDescriptorWithoutItsTemplateOrTheReverseFailsAtLoad() {
        TemplateCatalog catalog = TemplateCatalog.load();
        List<String> described = catalog.descriptors().stream().map(TemplateDescriptor::name).toList();
        List<ProductTemplate> all = described.stream().map(ExtensionsTest::template).toList();
        assertThatCode(() -> Extensions.requirePairs(catalog, all)).doesNotThrowAnyException();

        assertThatThrownBy(() -> Extensions.requirePairs(catalog, all.subList(1, all.size())))
                .isInstanceOf(MeshException.class)
                .hasMessage("templates with half missing on the classpath: descriptor without a ProductTemplate: ["
                        + described.get(0) + "]; deploy both halves of each template (META-INF/services of "
                        + "TemplateDescriptor and ProductTemplate)");
        List<ProductTemplate> extra = new java.util.ArrayList<>(all);
        extra.add(template("rollup"));
        assertThatThrownBy(() -> Extensions.requirePairs(catalog, extra))
                .hasMessageContaining("ProductTemplate without a descriptor: [rollup]")
                .hasMessageNotContaining("\n");
    }

    private static ProductTemplate template(String name) {
        return new ProductTemplate() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Dataset<Row> transform(SparkSession spark, ProductSpec product, Map<String, Dataset<Row>> inputs) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
