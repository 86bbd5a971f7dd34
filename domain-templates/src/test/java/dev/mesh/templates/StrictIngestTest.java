package dev.mesh.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.runtime.spi.InputContext;
import dev.mesh.runtime.spi.PublishedFiles;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.runtime.spi.SourceFile;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.SpecLoader;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.testing.TestMesh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest never corrupts: CSV columns are bound by their header's names, values parse strictly as their declared
 * types, bytes invalid in the encoding are caught, and every record that is not published comes back with its reason
 * (files of the hostile fixture, src/test/resources/hostile).
 */
class StrictIngestTest {
    @TempDir
    Path dir;

    @Test
    void columnsAreBoundByTheHeadersNamesInEveryFile() {
        Read read = read("", "good.csv", "reordered-header.csv");
        assertThat(read.rows()).containsExactly(
                "[1,100,10.00,2026-01-05,NEW]", "[2,101,20.50,2026-01-06,PAID]",
                "[3,102,30.00,2026-01-07,NEW]", "[4,103,40.25,2026-01-08,PAID]");
        assertThat(read.rejected()).isEmpty();
    }

    @Test
    void groupingSeparatorsAreNotDecimals() {
        Read read = read("", "grouping-commas.csv");
        assertThat(read.rows()).containsExactly("[7,106,7.00,2026-01-09,NEW]");
        assertThat(read.rejected()).containsExactly(
                "[column 'amount': '1,00' is not a decimal(10,2)] grouping-commas.csv",
                "[column 'amount': '1,234.50' is not a decimal(10,2)] grouping-commas.csv");
    }

    @Test
    void trailingTextExtraDigitsAndOverflowAreRejectedWithColumnValueAndType() {
        Read read = read("", "trailing-text.csv");
        assertThat(read.rows()).containsExactly("[13,111,13.00,2026-01-10,NEW]");
        assertThat(read.rejected()).containsExactlyInAnyOrder(
                "[column 'order_id': '8x' is not a bigint] trailing-text.csv",
                "[column 'amount': '9.00 EUR' is not a decimal(10,2)] trailing-text.csv",
                "[column 'amount': '10.001' is not a decimal(10,2)] trailing-text.csv",
                "[column 'amount': '123456789.00' is not a decimal(10,2)] trailing-text.csv",
                "[column 'customer_id': '99999999999999999999' is not a bigint] trailing-text.csv");
    }

    @Test
    void impossibleDatesAreRejected() {
        Read read = read("", "impossible-dates.csv");
        assertThat(read.rows()).containsExactly("[18,116,18.00,2026-01-18,NEW]");
        assertThat(read.rejected()).containsExactly(
                "[column 'ordered_on': '2026-02-30' is not a date (yyyy-MM-dd)] impossible-dates.csv",
                "[column 'ordered_on': '2026-13-01' is not a date (yyyy-MM-dd)] impossible-dates.csv",
                "[column 'ordered_on': '2026-01-15 garbage' is not a date (yyyy-MM-dd)] impossible-dates.csv",
                "[column 'ordered_on': '2026' is not a date (yyyy-MM-dd)] impossible-dates.csv");
    }

    @Test
    void bytesInvalidInTheEncodingAreQuarantinedNotReplaced() {
        Read utf8 = read("", "latin1.csv");
        assertThat(utf8.rows()).containsExactly("[20,118,20.00,2026-01-20,NEW]");
        assertThat(utf8.rejected()).containsExactly("[column 'status': holds bytes that are not valid UTF-8 "
                + "('caf\uFFFD'); set the input's encoding to the files' character set] latin1.csv");

        Read latin1 = read("encoding: ISO-8859-1", "latin1.csv");
        assertThat(latin1.rows()).containsExactly("[19,117,19.00,2026-01-19,café]", "[20,118,20.00,2026-01-20,NEW]");
        assertThat(latin1.rejected()).isEmpty();
    }

    @Test
    void emptyAndHeaderOnlyFilesHoldNoRecords() {
        Read read = read("", "empty.csv", "header-only.csv");
        assertThat(read.rows()).isEmpty();
        assertThat(read.rejected()).isEmpty();
        assertThat(read.input().files()).extracting(SourceFile::name).containsExactly("empty.csv", "header-only.csv");
    }

    @Test
    void raggedLinesAreMalformedRecords() {
        Read read = read("", "ragged-lines.csv");
        assertThat(read.rows()).containsExactly("[24,122,24.00,2026-01-24,NEW]");
        assertThat(read.rejected()).containsExactly(
                "[malformed csv record: its fields do not line up with the header's columns] ragged-lines.csv",
                "[malformed csv record: its fields do not line up with the header's columns] ragged-lines.csv");
    }

    @Test
    void aFileWhoseColumnsAreNotTheDeclaredOnesFailsTheRunByDefault() {
        assertThatThrownBy(() -> read("", "good.csv", "missing-column.csv"))
                .isInstanceOf(MeshException.class)
                .hasMessage("input 'pos' of shop.orders: file missing-column.csv has columns not as declared (missing "
                        + "amount); fix the file or the declared schema, or set the input's onSchemaMismatch to "
                        + "quarantine")
                .extracting(e -> ((MeshException) e).errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThatThrownBy(() -> read("", "extra-column.csv"))
                .hasMessage("input 'pos' of shop.orders: file extra-column.csv has columns not as declared "
                        + "(undeclared channel); fix the file or the declared schema, or set the input's "
                        + "onSchemaMismatch to quarantine, ignoreExtra or evolve");
    }

    @Test
    void mismatchingFilesCanBeQuarantinedOrTheirExtraColumnsIgnored() {
        Read quarantined = read("onSchemaMismatch: quarantine", "good.csv", "missing-column.csv", "extra-column.csv");
        assertThat(quarantined.rows()).containsExactly("[1,100,10.00,2026-01-05,NEW]", "[2,101,20.50,2026-01-06,PAID]");
        assertThat(quarantined.rejected()).containsExactly(
                "[file extra-column.csv: columns not as declared (undeclared channel)] extra-column.csv",
                "[file missing-column.csv: columns not as declared (missing amount)] missing-column.csv");

        Read ignored = read("onSchemaMismatch: ignoreExtra", "extra-column.csv");
        assertThat(ignored.rows()).containsExactly("[22,120,22.00,2026-01-22,NEW]");
        assertThatThrownBy(() -> read("onSchemaMismatch: ignoreExtra", "missing-column.csv"))
                .hasMessageContaining("(missing amount)");
    }

    @Test
    void anEvolvingInputAddsTheUndeclaredColumnsAsTextNullWhereAFileLacksThem() throws IOException {
        Read evolved = read("onSchemaMismatch: evolve", "good.csv", "extra-column.csv");
        assertThat(evolved.input().addedColumns()).containsExactly("channel");
        assertThat(evolved.rows()).containsExactly("[1,100,10.00,2026-01-05,NEW,null]",
                "[2,101,20.50,2026-01-06,PAID,null]", "[22,120,22.00,2026-01-22,NEW,web]");
        assertThat(evolved.input().rows().schema().apply("channel").dataType().simpleString()).isEqualTo("string");
        assertThatThrownBy(() -> read("onSchemaMismatch: evolve", "missing-column.csv"))
                .hasMessageContaining("(missing amount)");

        // a column named so that consumers could not select it is not added
        Files.writeString(dir.resolve("zones/shop/landing/orders/spaced.csv"),
                "order_id,customer_id,amount,ordered_on,status,sales channel\n5,1,1.00,2026-01-05,NEW,web\n");
        assertThatThrownBy(() -> read("onSchemaMismatch: evolve"))
                .hasMessage("input 'pos' of shop.orders: file spaced.csv has a column 'sales channel' that cannot be "
                        + "added to the product (a column name is letters, digits and _, starting with a letter); "
                        + "rename it in the file, or set the input's onSchemaMismatch to ignoreExtra or quarantine");
    }

    @Test
    void aFileWithoutAHeaderLineIsNotReadAsOne() throws IOException {
        Path landing = dir.resolve("zones/shop/landing/orders");
        Files.createDirectories(landing);
        Files.writeString(landing.resolve("no-header.csv"), "1,100,10.00,2026-01-05,NEW\n");
        assertThatThrownBy(() -> read(""))
                .hasMessageEndingWith("; if the files have no header line, set options.header: \"false\"");
    }

    @Test
    void filesAlreadyIngestedAreNotReadAgain() {
        Read read = read("", published((input, file) -> file.name().equals("good.csv")), "good.csv", "day2.csv");
        assertThat(read.rows()).containsExactly("[1,100,12.00,2026-01-05,PAID]", "[27,125,27.00,2026-01-27,NEW]");
        assertThat(read.input().files()).extracting(SourceFile::name).containsExactly("day2.csv");
        assertThat(read.input().fingerprint()).contains("day2.csv").doesNotContain("good.csv");

        Read nothingNew = read("", published((input, file) -> true), "good.csv");
        assertThat(nothingNew.rows()).isEmpty();
        assertThat(nothingNew.input().files()).isEmpty();
    }

    /** What a read returned: rows in order, rejected records as "[reasons] file name", in order of their record. */
    record Read(ResolvedInput input, List<String> rows, List<String> rejected) {}

    private Read read(String inputFields, String... files) {
        return read(inputFields, InputContext.NOTHING_INGESTED, files);
    }

    /** What a product has published, as far as a test tells: files it matches were published unchanged. */
    private static PublishedFiles published(BiPredicate<String, SourceFile> unchanged) {
        return new PublishedFiles() {
            @Override
            public boolean test(String input, SourceFile file) {
                return unchanged.test(input, file);
            }

            @Override
            public Optional<Published> published(String input, String path) {
                return Optional.empty();
            }
        };
    }

    private Read read(String inputFields, PublishedFiles ingested, String... files) {
        TestMesh mesh = TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN).product("shop", "orders",
                TestMesh.hostileOrders("append", inputFields, ""));
        try {
            Path landing = mesh.zones().resolve("shop/landing/orders");
            Files.createDirectories(landing);
            if (files.length > 0) {
                org.apache.commons.io.FileUtils.cleanDirectory(landing.toFile());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        mesh.landFixture("shop", "orders", files);
        MeshSpec spec = new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()).orThrow();
        ProductSpec product = spec.product(new ProductId("shop", "orders")).orElseThrow();
        InputContext context = new InputContext(SharedSpark.session(), new ZoneLayout(spec.platform().storageRoot()),
                product, spec.domain("shop").orElseThrow(), ingested, java.util.Map.of(), java.util.Map.of());
        ResolvedInput input = new FileInputReader().read(context, product.inputs().get(0));
        try {
            List<String> rows = input.rows().orderBy("order_id").collectAsList().stream().map(Row::toString).toList();
            List<String> rejected = input.rejected().map(r -> r.orderBy("record").collectAsList().stream()
                    .map(row -> row.getList(0) + " " + Path.of(row.getString(2)).getFileName()).toList())
                    .orElse(List.of());
            return new Read(input, rows, rejected);
        } finally {
            input.release().run();
        }
    }
}
