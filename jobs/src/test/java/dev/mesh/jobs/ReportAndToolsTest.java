package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report (rendered in headless Chromium), rule suggestion, ad-hoc SQL and consumer feedback. */
class ReportAndToolsTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    void theReportShowsSlaChecksHistoryAndFeedbackAndRendersInChromium() throws Exception {
        TestMesh mesh = ShopMesh.create(dir.resolve("mesh"), "overwrite",
                "- { check: completeness, column: amount, min: 0.9, level: warning }");
        Path product = mesh.dir().resolve("domains/shop/products/orders.yaml");
        mesh.write("domains/shop/products/orders.yaml", Files.readString(product)
                + "sla: { freshness: PT24H, minQualityScore: 0.95 }\n");
        mesh.land("shop", "orders", "export.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        mesh.land("shop", "orders", "export.csv", "order_id,amount,status\n1,10.00,NEW\n2,,PAID\n3,30.00,NEW\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").out()).contains("UP_TO_DATE");
        CliHarness.Result feedback = ShopMesh.run(mesh, "feedback", "shop.orders", "--rating", "4", "--comment",
                "Complete <b>and</b> timely", "--from", "shop");
        assertThat(feedback.exitCode()).as(feedback.err()).isZero();
        assertThat(feedback.out()).isEqualTo("recorded feedback on shop.orders: 4/5 from shop\n");
        assertThat(ShopMesh.run(mesh, "feedback", "shop.orders", "--rating", "9").exitCode()).isEqualTo(2);

        Path out = dir.resolve("report");
        CliHarness.Result report = ShopMesh.run(mesh, "report", "--out", out.toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        String html = Files.readString(out.resolve("index.html"));
        assertThat(html).contains("<title>test-mesh · data products</title>", "id=\"shop.orders\"",
                "SLA breached", "quality score 0.8333 over 7d, floor 0.95",
                "completeness(amount)", "value 66.7% (1 of 3 rows fail it) is below the required completeness 90%",
                "Complete &lt;b&gt;and&lt;/b&gt; timely", "4.0 of 5 from 1");
        // six charts over time: the batch, quarantine rate, score and duration of each run, the data's age and SLA
        assertThat(html.split("<svg class=\"chart\"", -1)).hasSize(7);
        assertThat(html).contains("rows written per run", "run duration", "data age (freshness)", "SLA</text>",
                "<dt>table rows</dt><dd>3</dd>");
        // the run that found nothing new is marked on the axis, not drawn as a batch of 0; every point has a tooltip
        assertThat(html).contains("last 3 · 3 points, 1 marked", "class=\"mark-noop\"",
                "UTC · UP_TO_DATE (nothing new)</title>", "UTC · PUBLISHED: 3</title>", " UTC</text>",
                "on the axis: ").doesNotContain("<script").doesNotContain("http://").doesNotContain("https://");
        assertThat(html).contains("<a href=\"catalog.html#shop.orders\">catalog entry</a>");
        String catalog = Files.readString(out.resolve("catalog.html"));
        assertThat(catalog).contains("<article class=\"product entry\" id=\"shop.orders\">",
                "<a href=\"contracts/shop.orders.odcs.yaml\">", "SLA breached");
        assertThat(Files.readString(out.resolve("contracts/shop.orders.odcs.yaml"))).contains("kind: DataContract");

        assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is installed by .ci/run");
        Path screenshot = dir.resolve("report.png");
        Chromium dom = chromium(out.resolve("index.html"), "--dump-dom");
        assertThat(dom.exitCode()).as(dom.stderr()).isZero();
        assertThat(dom.stdout()).contains("<article class=\"product\" id=\"shop.orders\">")
                .contains("<polyline");
        assertThat(dom.stderr()).doesNotContain("Uncaught").doesNotContain("ERR_FILE_NOT_FOUND");
        Chromium catalogDom = chromium(out.resolve("catalog.html"), "--dump-dom");
        assertThat(catalogDom.stdout()).contains("<article class=\"product entry\" id=\"shop.orders\">");
        Chromium shot = chromium(out.resolve("index.html"), "--screenshot=" + screenshot, "--window-size=1300,1100");
        assertThat(shot.exitCode()).as(shot.stderr()).isZero();
        assertThat(Files.size(screenshot)).isGreaterThan(20_000);
        Files.copy(screenshot, Path.of("target/report-screenshot.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void suggestedRulesPassOnTheDataTheyCameFrom() throws Exception {
        Path csv = dir.resolve("orders.csv");
        Files.writeString(csv, "order_id,amount,status,note\n1,10.5,NEW,a\n2,20.0,PAID,\n3,7.25,NEW,c\n4,3.0,PAID,d\n");
        CliHarness.Result suggest = CliHarness.run("suggest", csv.toString());
        assertThat(suggest.exitCode()).as(suggest.err()).isZero();
        assertThat(suggest.out()).isEqualTo("""
                # 10 rules that pass on the 4 rows of %s
                quality:
                  checks:
                    - { check: rowCount, min: 1 }
                    - { check: complete, column: order_id }
                    - { check: unique, column: order_id }
                    - { check: min, column: order_id, atLeast: 0 }
                    - { check: complete, column: amount }
                    - { check: unique, column: amount }
                    - { check: min, column: amount, atLeast: 0 }
                    - { check: complete, column: status }
                    - { check: allowedValues, column: status, values: [NEW, PAID] }
                    - { check: completeness, column: note, min: 0.75 }
                """.formatted(csv));

        // pasted into a product over the same data, they pass
        TestMesh mesh = ShopMesh.create(dir.resolve("mesh"), "append", "");
        List<String> checks = new ArrayList<>(suggest.out().lines()
                .filter(l -> l.startsWith("    - ") && !l.contains("column: note")).toList());
        Path product = mesh.dir().resolve("domains/shop/products/orders.yaml");
        String spec = Files.readString(product).replace("quality:\n  checks:\n",
                "quality:\n  checks:\n" + String.join("\n", checks) + "\n");
        mesh.write("domains/shop/products/orders.yaml", spec.replace("{ name: amount, type: \"decimal(10,2)\" }",
                "{ name: amount, type: double }"));
        mesh.land("shop", "orders", "orders.csv", Files.readString(csv).replace(",note", "")
                .replaceAll(",[a-z]?\n", "\n"));
        CliHarness.Result run = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    }

    @Test
    void sqlSeesDomainProductsAndPlatformTables() {
        TestMesh mesh = ShopMesh.create(dir.resolve("mesh"), "merge", "");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n3,5.00,NEW\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        CliHarness.Result byStatus = ShopMesh.run(mesh, "sql",
                "SELECT status, count(*) AS orders, sum(amount) AS total FROM shop.orders GROUP BY status ORDER BY status");
        assertThat(byStatus.exitCode()).as(byStatus.err()).isZero();
        assertThat(byStatus.out()).isEqualTo("""
                status  orders  total
                NEW     2       15.00
                PAID    1       20.00
                (2 rows)
                """);
        CliHarness.Result runs = ShopMesh.run(mesh, "sql", "SELECT product, status, rows_out FROM platform.runs");
        assertThat(runs.out()).contains("orders   PUBLISHED  3");
        CliHarness.Result bad = ShopMesh.run(mesh, "sql", "SELECT nope FROM shop.orders");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).startsWith("error: the query is not valid: A column or function parameter with name "
                + "`nope` cannot be resolved.");
    }

    record Chromium(int exitCode, String stdout, String stderr) {}

    private Chromium chromium(Path page, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium")));
        command.addAll(List.of(args));
        command.add(page.toUri().toString());
        Path stdout = Files.createTempFile(dir, "out", ".txt");
        Path stderr = Files.createTempFile(dir, "err", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within 90 s");
        }
        return new Chromium(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }
}
