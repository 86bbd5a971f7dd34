package dev.mesh.templates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.spi.InputContext;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.SpecLoader;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Parsed strictly, never coerced", for what each format can spell: CSV quoted line breaks and RFC 4180 doubled
 * quotes, JSON numbers to decimals without a double between, JSON keys bound like CSV headers and duplicate keys
 * refused, local times that do not exist or exist twice, and precision a timestamp cannot hold.
 */
class StrictFormatsTest {
    @TempDir
    Path dir;

    @Test
    void csvQuotedLineBreaksAreReadWholeAndDoubledQuotesAreOneQuote() {
        Read read = read("csv", "UTC", "id,note\n"
                + "1,\"first line\nsecond line\"\n"
                + "2,\"she said \"\"hi\"\"\"\n"
                + "3,plain\n");
        assertThat(read.rows()).containsExactly("1|first line\nsecond line", "2|she said \"hi\"", "3|plain");
        assertThat(read.rejected()).isEmpty();
    }

    @Test
    void windowsLineEndsAreLineEnds() {
        // the CSV parser reads a line break inside a quoted value as \n, whichever the file's
        Read read = read("csv", "UTC", "\r\nid,note\r\n1,a\r\n2,\"b\r\nc\"\r\n3,d\r\n");
        assertThat(read.rows()).containsExactly("1|a", "2|b\nc", "3|d");
        assertThat(read.rejected()).isEmpty();
    }

    @Test
    void jsonNumbersKeepTheirExactDigitsAndKeysBindLikeCsvHeaders() {
        Read read = read("json", "UTC", """
                {"id": 1, "amount": 1.00000000000000001, "note": "exact"}
                {"id": 2, "Amount": 2.5, "NOTE": "bound ignoring case"}
                {"id": 3, "amount": 1, "amount": 2}
                {"id": 4, "amount": 1, "Amount": 2}
                {"id": 5, "amount": 123456.1, "extra": true}
                """);
        assertThat(read.rows()).containsExactly("1|1.00000000000000001|exact", "2|2.50000000000000000|bound ignoring "
                + "case");
        assertThat(read.rejected()).containsExactlyInAnyOrder(
                "[column 'amount': '123456.1' is not a decimal(20,17)]",
                "[key 'amount' appears twice in the record] {\"id\": 3, \"amount\": 1, \"amount\": 2}",
                "[keys 'amount' and 'Amount' both name column 'amount'] {\"id\": 4, \"amount\": 1, \"Amount\": 2}");
    }

    @Test
    void jsonTakesTheLenientFormsSparksReaderTakesAndNoOthers() {
        String lines = """
                {'id': 1, 'note': 'single quotes, as Spark takes them by default'}
                {"id": 2, /* a comment */ "note": "taken only when asked"}
                """;
        Read strict = read("json", "UTC", lines);
        assertThat(strict.rows()).containsExactly("1|null|single quotes, as Spark takes them by default");
        assertThat(strict.rejected()).containsExactly("[malformed json record: not a valid JSON object] {\"id\": 2, "
                + "/* a comment */ \"note\": \"taken only when asked\"}");
        Read lenient = read("json", ", options: { allowComments: \"true\" }", "UTC", lines);
        assertThat(lenient.rows()).containsExactly("1|null|single quotes, as Spark takes them by default",
                "2|null|taken only when asked");
    }

    @Test
    void localTimesThatDoNotExistOrExistTwiceAndNanosecondsAreQuarantined() {
        Read read = read("csv", "Europe/Berlin", "id,at\n"
                + "1,2026-03-29 01:59:59\n"
                + "2,2026-03-29 02:30:00\n"
                + "3,2026-10-25 02:30:00\n"
                + "4,2026-10-25 02:30:00+01:00\n"
                + "5,2026-06-01 12:00:00.123456789\n"
                + "6,2026-06-01 12:00:00.123456000\n"
                + "7,2026-03-29T03:00\n");
        assertThat(read.rows()).containsExactly("1|2026-03-29T00:59:59Z", "4|2026-10-25T01:30:00Z",
                "6|2026-06-01T10:00:00.123456Z", "7|2026-03-29T01:00:00Z");
        assertThat(read.rejected()).containsExactlyInAnyOrder(
                "[column 'at': '2026-03-29 02:30:00' does not exist in time zone Europe/Berlin (the clocks skip it); "
                        + "write it with its offset]",
                "[column 'at': '2026-10-25 02:30:00' is ambiguous in time zone Europe/Berlin (the clocks pass it "
                        + "twice); write it with its offset]",
                "[column 'at': '2026-06-01 12:00:00.123456789' is more precise than the microseconds a timestamp "
                        + "holds; round it at the source, or declare the column as string]");
    }

    /** Rows as "id|value[|value]", rejected records as "[reasons]" and, for JSON key problems, the line. */
    record Read(List<String> rows, List<String> rejected) {}

    private Read read(String format, String timeZone, String content) {
        return read(format, "", timeZone, content);
    }

    /** {@code fileFields}: more fields of the input's {@code files}, e.g. {@code ", options: { ... }"}. */
    private Read read(String format, String fileFields, String timeZone, String content) {
        boolean timestamps = timeZone.equals("Europe/Berlin");
        List<String> columns = format.equals("json")
                ? List.of("{ name: id, type: bigint }", "{ name: amount, type: \"decimal(20,17)\" }",
                        "{ name: note, type: string }")
                : timestamps ? List.of("{ name: id, type: bigint }", "{ name: at, type: timestamp }")
                : List.of("{ name: id, type: bigint }", "{ name: note, type: string }");
        TestMesh mesh = TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN);
        ProductYaml.product("shop", "orders")
                .files("pos", "{ source: pos.orders, format: " + format + fileFields + " }")
                .mode("append").schema(columns).writeTo(mesh);
        mesh.land("shop", "orders", "day1." + format, content);
        MeshSpec spec = new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()).orThrow();
        ProductSpec product = spec.product(new ProductId("shop", "orders")).orElseThrow();
        SparkSession session = SharedSpark.session().newSession();
        session.conf().set("spark.sql.session.timeZone", timeZone);
        InputContext context = new InputContext(session, new ZoneLayout(spec.platform().storageRoot()), product,
                spec.domain("shop").orElseThrow(), InputContext.NOTHING_INGESTED, Map.of(), Map.of());
        ResolvedInput input = new FileInputReader().read(context, product.inputs().get(0));
        try {
            // shown in UTC whatever the session's zone, so that instants compare as instants
            List<String> rows = input.rows().orderBy("id").collectAsList().stream().map(StrictFormatsTest::row)
                    .toList();
            List<String> rejected = input.rejected().map(r -> r.orderBy("record").collectAsList().stream()
                    .map(row -> row.getList(0) + (row.getString(1).startsWith("{") && !row.getString(1)
                            .startsWith("{\"id\":\"") ? " " + row.getString(1) : "")).toList())
                    .orElse(List.of());
            return new Read(rows, rejected);
        } finally {
            input.release().run();
        }
    }

    private static String row(Row row) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
            Object value = row.get(i);
            text.append(i == 0 ? "" : "|").append(value instanceof java.sql.Timestamp at ? at.toInstant() : value);
        }
        return text.toString();
    }
}
