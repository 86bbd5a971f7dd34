package dev.mesh.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.SpecLoader;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.SpecProblem;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dedupe template keeps one row per key by a total order, so the result never depends on input order. */
class DedupeTemplateTest {
    private static final String ROWS = """
            SELECT * FROM VALUES
              (1, 1, 10.00, 'NEW'), (1, 2, 12.00, 'PAID'),
              (2, NULL, 5.00, 'NEW'), (2, 1, 6.00, 'NEW'),
              (3, 4, 7.00, 'NEW'), (3, 4, 9.00, 'NEW'),
              (4, NULL, 1.00, 'A'), (4, NULL, 1.00, 'B'),
              (5, 1, 3.00, 'NEW'), (5, 1, 3.00, 'NEW')
              AS t(Order_Id, version, amount, status)""";

    @TempDir
    Path dir;

    @Test
    void theLatestRowPerKeyWinsNullsLoseAndTiesGoToTheGreatestRow() {
        SparkSession spark = SharedSpark.session();
        ProductSpec product = product("keys: [order_id], orderBy: [version]");
        Dataset<Row> input = spark.sql(ROWS);
        List<String> expected = List.of("[1,2,12.00,PAID]", "[2,1,6.00,NEW]", "[3,4,9.00,NEW]", "[4,null,1.00,B]",
                "[5,1,3.00,NEW]");
        assertThat(dedupe(product, input)).containsExactlyElementsOf(expected);
        // the same rows in another order and other partitions: the same result
        assertThat(dedupe(product, input.orderBy(org.apache.spark.sql.functions.rand(7)).repartition(3)))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void aColumnTheInputLacksIsNamedWithWhatItHas() {
        ProductSpec product = product("keys: [order_id], orderBy: [updated_at]");
        assertThatThrownBy(() -> new DedupeTemplate().transform(SharedSpark.session(), product,
                Map.of("pos", SharedSpark.session().sql(ROWS))))
                .isInstanceOf(MeshException.class)
                .hasMessageContaining("transform.orderBy: the input has no column 'updated_at'; it has: Order_Id, "
                        + "version, amount, status");
    }

    @Test
    void validationNamesBadKeysAndAKeyUsedAsOrder() {
        TestMesh mesh = mesh("keys: [order_ix], orderBy: [order_id]");
        List<String> problems = new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()).problems().stream()
                .map(SpecProblem::toString).toList();
        String file = "domains/shop/products/orders.yaml:10: ";
        assertThat(problems).containsExactly(
                file + "transform.keys[0]: no column 'order_ix' in output.schema; did you mean 'order_id'?");
        mesh = mesh("keys: [order_id], orderBy: [order_id]");
        problems = new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()).problems().stream()
                .map(SpecProblem::toString).toList();
        assertThat(problems).containsExactly(file + "transform.orderBy: 'order_id' is a key; rows of one key all "
                + "have the same value, so it cannot say which is latest");
    }

    private static List<String> dedupe(ProductSpec product, Dataset<Row> input) {
        return new DedupeTemplate().transform(SharedSpark.session(), product, Map.of("pos", input))
                .orderBy("Order_Id").collectAsList().stream().map(Row::toString).toList();
    }

    private ProductSpec product(String parameters) {
        TestMesh mesh = mesh(parameters);
        return new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()).orThrow()
                .product(new ProductId("shop", "orders")).orElseThrow();
    }

    private TestMesh mesh(String parameters) {
        return ProductYaml.shopOrders().noInputs().files("pos", "{ source: pos.orders, format: csv }")
                .transform("{ template: dedupe, " + parameters + " }")
                .schema("{ name: order_id, type: int, required: true }", "{ name: version, type: int }",
                        "{ name: amount, type: \"decimal(10,2)\" }", "{ name: status, type: string }")
                .writeTo(TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN));
    }
}
