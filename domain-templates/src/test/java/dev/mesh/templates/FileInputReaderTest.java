package dev.mesh.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.runtime.spi.InputContext;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.SpecLoader;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file ingest: declared schema applied, malformed CSV and JSON records kept for quarantine, not dropped. */
class FileInputReaderTest {
    @TempDir
    Path dir;

    @Test
    void malformedJsonLinesComeBackAsRejectedRecords() {
        TestMesh mesh = mesh("json");
        mesh.land("shop", "orders", "a.json", """
                {"order_id": 1, "amount": 10.5, "status": "NEW"}
                {"order_id": "one", "amount": 1, "status": "NEW"}
                {"order_id": 2, "amount": 20, "status": "PAID"
                {"order_id": 3, "status": "PAID"}
                """);
        ResolvedInput input = read(mesh);
        try {
            assertThat(input.rows().orderBy("order_id").collectAsList()).extracting(Row::toString)
                    .containsExactly("[1,10.50,NEW]", "[3,null,PAID]");
            assertThat(input.rejected().orElseThrow().orderBy("record").collectAsList())
                    .extracting(r -> r.getList(0) + " | " + r.getString(1))
                    .containsExactly(
                            "[malformed json record: not a valid JSON object] | {\"order_id\": 2, \"amount\": 20, "
                                    + "\"status\": \"PAID\"",
                            "[column 'order_id': 'one' is not a bigint] | {\"order_id\":\"one\",\"amount\":\"1\","
                                    + "\"status\":\"NEW\"}");
            assertThat(input.recordsRead()).isEqualTo(4);
            assertThat(input.fingerprint()).contains("a.json:");
        } finally {
            input.release().run();
        }
    }

    @Test
    void parquetIsReadWithItsOwnSchemaAndHiddenFilesAreIgnored() {
        TestMesh mesh = mesh("parquet");
        String folder = mesh.zones().resolve("shop/landing/orders").toString();
        SharedSpark.session().sql("SELECT 1L AS order_id, CAST(9.99 AS DECIMAL(10,2)) AS amount, 'NEW' AS status")
                .write().parquet(folder + "/batch1");
        ResolvedInput input = read(mesh);
        assertThat(input.rows().collectAsList()).extracting(Row::toString).containsExactly("[1,9.99,NEW]");
        assertThat(input.rejected()).isEmpty();
        assertThat(input.fingerprint()).contains("part-").doesNotContain("_SUCCESS").doesNotContain(".crc");
    }

    @Test
    void anEmptyLandingFolderIsAClearUserError() {
        TestMesh mesh = mesh("csv");
        assertThatThrownBy(() -> read(mesh))
                .isInstanceOf(MeshException.class)
                .hasMessage("input 'pos' of shop.orders: no files to ingest at file:" + mesh.zones()
                        .resolve("shop/landing/orders") + " (source 'pos.orders' lands in file:" + mesh.zones()
                        .resolve("shop/landing/orders") + "); drop the source's files there first")
                .extracting(e -> ((MeshException) e).errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    }

    private TestMesh mesh(String format) {
        return ProductYaml.shopOrders().noInputs().files("pos", "{ source: pos.orders, format: " + format + " }")
                .mode("overwrite").keys().schema("{ name: order_id, type: bigint }",
                        "{ name: amount, type: \"decimal(10,2)\" }", "{ name: status, type: string }")
                .writeTo(TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN));
    }

    private ResolvedInput read(TestMesh mesh) {
        MeshSpec spec = new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()).orThrow();
        DomainSpec domain = spec.domain("shop").orElseThrow();
        var product = spec.product(new ProductId("shop", "orders")).orElseThrow();
        InputSpec input = product.inputs().get(0);
        assertThat(input).isInstanceOf(FileInputSpec.class);
        InputContext context = new InputContext(SharedSpark.session(), new ZoneLayout(spec.platform().storageRoot()),
                product, domain);
        return new FileInputReader().read(context, input);
    }
}
