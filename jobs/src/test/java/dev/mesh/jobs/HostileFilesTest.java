package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.run.Extensions;
import dev.mesh.runtime.spi.InputContext;
import dev.mesh.runtime.spi.InputReader;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.ReliabilityLedger;
import dev.mesh.spec.testing.TestMesh;
import dev.mesh.templates.FileInputReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Landing files a careless or hostile source drops, written by the test (too large or too binary for the fixture):
 * a compressed export, the same export truncated, a line of megabytes, JSON nested a hundred thousand deep, an empty
 * file, a Parquet file of another schema, a file that disappears between listing and reading. Each either ingests correctly or is refused or quarantined with a reason that names it; none crashes a run.
 */
class HostileFilesTest {
    @TempDir
    Path dir;

    @Test
    void aGzipExportIsReadAndATruncatedOneIsNamedAndNothingPublished() throws IOException {
        TestMesh mesh = ShopMesh.create(dir, "append", "");
        byte[] export = gzip(csv(3, 5000));
        Path landing = mesh.zones().resolve("shop/landing/orders");
        Files.createDirectories(landing);
        Files.write(landing.resolve("day1.csv.gz"), export);
        CliHarness.Result first = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(table(mesh, "shop/products/orders").count()).isEqualTo(4997);

        Files.write(landing.resolve("day2.csv.gz"), Arrays.copyOf(export, export.length / 2));
        CliHarness.Result truncated = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(truncated.exitCode()).isEqualTo(2);
        assertThat(truncated.out()).contains("shop.orders: landing file day2.csv.gz of input 'pos' is truncated or "
                + "corrupt (Unexpected end of input stream); replace it with a complete file and run again");
        assertThat(table(mesh, "shop/products/orders").count()).isEqualTo(4997);

        Files.write(landing.resolve("day2.csv.gz"), gzip(csv(6000, 6100)));
        CliHarness.Result replaced = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(replaced.exitCode()).as(replaced.out() + replaced.err()).isZero();
        assertThat(table(mesh, "shop/products/orders").count()).isEqualTo(4997 + 100);
        ReliabilityLedger.record("hostile files", 1, 1, 3, 0, 0);
    }

    @Test
    void aLineOfMegabytesIsJustALongValue() throws IOException {
        TestMesh mesh = ShopMesh.create(dir, "append", "");
        mesh.land("shop", "orders", "long.csv", "order_id,amount,status\n1,1.00," + "X".repeat(8 << 20)
                + "\n2,2.00,NEW\n");
        CliHarness.Result run = ShopMesh.run(mesh, "run", "shop.orders");
        // the status check refuses the long value: the gate speaks, nothing crashes
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
        assertThat(run.out()).containsPattern("shop +orders +GATE_FAILED +2 ");
        ReliabilityLedger.record("hostile files", 1, 1, 1, 0, 0);
    }

    @Test
    void jsonNestedTooDeepIsQuarantinedAndAnEmptyFileIsNothing() {
        TestMesh mesh = TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN
                + "  - { name: pos.events, landing: events }\n");
        ProductYaml.product("shop", "events").files("pos", "{ source: pos.events, format: json }").mode("append")
                .schema("{ name: id, type: bigint, required: true }", "{ name: kind, type: string }").writeTo(mesh);
        String deep = "{\"id\": 2, \"kind\": " + "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000) + "}";
        mesh.land("shop", "events", "e1.json", "{\"id\": 1, \"kind\": \"click\"}\n" + deep
                + "\n{\"id\": 3, \"kind\": \"view\"}\n");
        mesh.land("shop", "events", "empty.json", "");
        CliHarness.Result run = ShopMesh.run(mesh, "run", "shop.events");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(table(mesh, "shop/products/events").orderBy("id").collectAsList()).extracting(Row::toString)
                .containsExactly("[1,click]", "[3,view]");
        Row quarantined = table(mesh, "shop/quarantine/events").head();
        assertThat(quarantined.<String>getAs("file")).endsWith("e1.json");
        assertThat(quarantined.getList(quarantined.fieldIndex("reasons")).toString()).contains("malformed json");
        ReliabilityLedger.record("hostile files", 1, 2, 2, 0, 0);
    }

    @Test
    void aParquetFileOfAnotherSchemaIsNamedOrQuarantinedWhole() {
        TestMesh mesh = parquetOrders("");
        String landing = mesh.zones().resolve("shop/landing/orders").toString();
        SharedSpark.session().sql("SELECT 1L AS order_id, CAST(9.99 AS DECIMAL(10,2)) AS amount, 'NEW' AS status")
                .write().parquet(landing + "/batch1");
        SharedSpark.session().sql("SELECT 2L AS order_id, '12.50' AS amount, 'NEW' AS status")
                .write().parquet(landing + "/batch2");
        CliHarness.Result retyped = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(retyped.exitCode()).as(retyped.out() + retyped.err()).isEqualTo(2);
        assertThat(retyped.out()).containsPattern("landing file part-[^ ]+\\.parquet of input 'pos' has column amount "
                + "as BINARY, not decimal\\(10,2\\) as declared; fix the file or the declared schema");
        // no table: what the write's other task wrote before it failed is in no commit, never read (VACUUM's)
        assertThat(mesh.zones().resolve("shop/products/orders/_delta_log")).doesNotExist();

        org.apache.spark.sql.Dataset<Row> extra = SharedSpark.session().sql("SELECT 2L AS order_id, "
                + "CAST(12.50 AS DECIMAL(10,2)) AS amount, 'NEW' AS status, 'X1' AS coupon");
        extra.write().mode("overwrite").parquet(landing + "/batch2");
        CliHarness.Result refused = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(2);
        assertThat(refused.out()).contains("has columns not as declared", "coupon");
        // still no table; the folder may hold the first attempt's uncommitted files, if its other task finished first
        assertThat(mesh.zones().resolve("shop/products/orders/_delta_log")).doesNotExist();

        parquetOrders(", onSchemaMismatch: quarantine");
        CliHarness.Result quarantined = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(quarantined.exitCode()).as(quarantined.out() + quarantined.err()).isZero();
        assertThat(table(mesh, "shop/products/orders").collectAsList()).extracting(Row::toString)
                .containsExactly("[1,9.99,NEW]");
        Row bad = table(mesh, "shop/quarantine/orders").head();
        assertThat(bad.<String>getAs("file")).contains("batch2");
        ReliabilityLedger.record("hostile files", 1, 1, 2, 0, 0);
    }

    @Test
    void aFileThatVanishesBetweenListingAndReadingFailsTheRunAndTheRerunReadsTheRest() {
        TestMesh mesh = ShopMesh.create(dir, "append", "");
        mesh.land("shop", "orders", "day1.csv", csv(1, 11));
        Path day2 = mesh.land("shop", "orders", "day2.csv", csv(11, 21));
        // the reader lists and opens both files, then the source takes day2 away before Spark reads it
        InputReader files = new FileInputReader();
        InputReader vanishing = new InputReader() {
            @Override
            public boolean supports(InputSpec input) {
                return files.supports(input);
            }

            @Override
            public ResolvedInput read(InputContext context, InputSpec input) {
                ResolvedInput read = files.read(context, input);
                try {
                    Files.delete(day2);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return read;
            }
        };
        Extensions loaded = Extensions.load();
        Extensions extensions = new Extensions(List.of(vanishing), loaded.templates(), loaded.gate(),
                loaded.listeners());
        CliHarness.Result gone = CliHarness.runWith(extensions, Clock.systemUTC(), Map.of(), "--platform",
                mesh.platformFile().toString(), "run", "shop.orders");
        assertThat(gone.exitCode()).as(gone.out() + gone.err()).isEqualTo(1);
        assertThat(gone.out()).contains("shop.orders: landing file day2.csv of input 'pos' was listed for this run "
                + "but was gone when it was read");
        assertThat(gone.err()).doesNotContain("\tat ");
        // no table: what the write's other task wrote before it failed is in no commit, never read (VACUUM's)
        assertThat(mesh.zones().resolve("shop/products/orders/_delta_log")).doesNotExist();

        CliHarness.Result rerun = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(rerun.exitCode()).as(rerun.out() + rerun.err()).isZero();
        List<Long> expected = java.util.stream.LongStream.range(1, 11).boxed().toList();
        ReliabilityLedger.trial("hostile files", 1, 2, expected, table(mesh, "shop/products/orders")
                .select("order_id").as(org.apache.spark.sql.Encoders.LONG()).collectAsList());
        assertThat(table(mesh, "shop/products/orders").count()).isEqualTo(10);
    }

    private TestMesh parquetOrders(String fields) {
        return ProductYaml.shopOrders().noInputs().files("pos", "{ source: pos.orders, format: parquet, schema: ["
                        + "{ name: order_id, type: bigint }, { name: amount, type: \"decimal(10,2)\" }, "
                        + "{ name: status, type: string }]" + fields + " }")
                .mode("append").keys().writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
    }

    private static String csv(int from, int to) {
        StringBuilder csv = new StringBuilder("order_id,amount,status\n");
        for (int id = from; id < to; id++) {
            csv.append(id).append(",1.00,NEW\n");
        }
        return csv.toString();
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
