package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.testing.TestMesh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The findings of the hostile-user review (issue "Trust"), each as a regression test on the hostile-data fixture
 * (domain-templates/src/test/resources/hostile), asserting what was published and quarantined row by row. The SQL
 * findings (1 to 3) are {@link SqlIsolationTest}'s, the spec findings (8) {@code SpecValidationTest}'s and the
 * repository's (11) {@link RepositoryHygieneTest}'s.
 */
class TrustRegressionTest {
    @TempDir
    Path dir;

    @Test
    void csvColumnsAreBoundByTheirHeaderNotTheirPosition() {
        TestMesh mesh = shop("append", "", "");
        land(mesh, "good.csv", "reordered-header.csv");
        CliHarness.Result run = run(mesh);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(products(mesh)).containsExactly(
                "1 100 10.00 2026-01-05 NEW", "2 101 20.50 2026-01-06 PAID",
                "3 102 30.00 2026-01-07 NEW", "4 103 40.25 2026-01-08 PAID");
    }

    @Test
    void groupingSeparatorsAndTrailingTextAreQuarantinedNeverCoerced() {
        TestMesh mesh = shop("append", "", "");
        land(mesh, "grouping-commas.csv", "trailing-text.csv");
        CliHarness.Result run = run(mesh);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("shop +orders +PUBLISHED +9 +2 +7 ");
        assertThat(products(mesh)).containsExactly("7 106 7.00 2026-01-09 NEW", "13 111 13.00 2026-01-10 NEW");
        assertThat(quarantine(mesh)).containsExactlyInAnyOrder(
                "grouping-commas.csv [column 'amount': '1,00' is not a decimal(10,2)]",
                "grouping-commas.csv [column 'amount': '1,234.50' is not a decimal(10,2)]",
                "trailing-text.csv [column 'order_id': '8x' is not a bigint]",
                "trailing-text.csv [column 'amount': '9.00 EUR' is not a decimal(10,2)]",
                "trailing-text.csv [column 'amount': '10.001' is not a decimal(10,2)]",
                "trailing-text.csv [column 'amount': '123456789.00' is not a decimal(10,2)]",
                "trailing-text.csv [column 'customer_id': '99999999999999999999' is not a bigint]");
    }

    @Test
    void bytesInvalidInTheEncodingAreQuarantinedNeverReplaced() {
        TestMesh mesh = shop("append", "", "");
        land(mesh, "latin1.csv");
        assertThat(run(mesh).exitCode()).isZero();
        assertThat(products(mesh)).containsExactly("20 118 20.00 2026-01-20 NEW");
        assertThat(table(mesh, "shop/products/orders").where("status LIKE '%\uFFFD%'").count()).isZero();
        assertThat(quarantine(mesh)).containsExactly("latin1.csv [column 'status': holds bytes that are not valid "
                + "UTF-8 ('caf\uFFFD'); set the input's encoding to the files' character set]");
    }

    @Test
    void theDeclaredEncodingReadsTheSameBytesRight() {
        TestMesh mesh = shop("append", "encoding: ISO-8859-1", "");
        land(mesh, "latin1.csv");
        assertThat(run(mesh).exitCode()).isZero();
        assertThat(products(mesh)).containsExactly("19 117 19.00 2026-01-19 café", "20 118 20.00 2026-01-20 NEW");
        assertThat(mesh.zones().resolve("shop/quarantine/orders")).doesNotExist();
    }

    @Test
    void anAppendProductIngestsEachFileOnceAndQuarantinesEachBadRecordOnce() {
        TestMesh mesh = shop("append", "", "");
        land(mesh, "good.csv");
        assertThat(run(mesh).out()).containsPattern("shop +orders +PUBLISHED +2 +2 +0 ");
        land(mesh, "day2.csv");
        assertThat(run(mesh).out()).containsPattern("shop +orders +PUBLISHED +2 +2 +0 ");
        land(mesh, "impossible-dates.csv");
        assertThat(run(mesh).out()).containsPattern("shop +orders +PUBLISHED +5 +1 +4 ");
        for (int i = 0; i < 2; i++) {
            CliHarness.Result again = run(mesh);
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).containsPattern("shop +orders +UP_TO_DATE +0 +0 +0 ");
        }
        // five source lines parse, four do not: each is where it belongs exactly once
        assertThat(products(mesh)).containsExactly("1 100 10.00 2026-01-05 NEW", "1 100 12.00 2026-01-05 PAID",
                "2 101 20.50 2026-01-06 PAID", "18 116 18.00 2026-01-18 NEW", "27 125 27.00 2026-01-27 NEW");
        assertThat(quarantine(mesh)).hasSize(4).allMatch(line -> line.startsWith("impossible-dates.csv "));
        assertThat(table(mesh, "shop/products/orders").inputFiles()).isNotEmpty();
    }

    @Test
    void aMergeProductTakesTheUpdateOfAKeyFromANewFile() {
        TestMesh mesh = shop("merge", "", "");
        land(mesh, "good.csv");
        assertThat(run(mesh).exitCode()).isZero();
        // good.csv stays in landing; day2.csv updates order 1 and adds order 27
        land(mesh, "day2.csv");
        CliHarness.Result second = run(mesh);
        assertThat(second.exitCode()).as(second.out()).isZero();
        assertThat(products(mesh)).containsExactly("1 100 12.00 2026-01-05 PAID", "2 101 20.50 2026-01-06 PAID",
                "27 125 27.00 2026-01-27 NEW");
    }

    @Test
    void duplicateKeysInOneBatchBlockAMergeProduct() {
        TestMesh mesh = shop("merge", "", "");
        land(mesh, "good.csv", "duplicate-keys.csv");
        CliHarness.Result blocked = run(mesh);
        assertThat(blocked.exitCode()).isEqualTo(3);
        assertThat(blocked.out()).containsPattern("shop +orders +GATE_FAILED +4 +0 +0 ")
                .contains("unique(order_id): value 50% (2 of 4 rows fail it)");
        assertThat(mesh.zones().resolve("shop/products/orders")).doesNotExist();
    }

    @Test
    void aRunThatFailsItsGateQuarantinesOnceAndIngestsItsFilesLater() throws IOException {
        TestMesh mesh = shop("append", "", "checks:\n  - { check: rowCount, min: 3 }\n");
        land(mesh, "impossible-dates.csv");
        for (int i = 0; i < 2; i++) {
            CliHarness.Result blocked = run(mesh);
            assertThat(blocked.exitCode()).isEqualTo(3);
        }
        assertThat(quarantine(mesh)).hasSize(4);
        land(mesh, "good.csv", "day2.csv");
        CliHarness.Result published = run(mesh);
        assertThat(published.exitCode()).as(published.out()).isZero();
        assertThat(products(mesh)).hasSize(5);
        assertThat(quarantine(mesh)).hasSize(4);
    }

    @Test
    void aRunKilledBetweenItsCommitAndItsLedgerWriteIsNotIngestedAgain() throws IOException {
        TestMesh mesh = shop("append", "", "");
        land(mesh, "good.csv");
        assertThat(run(mesh).exitCode()).isZero();
        // what a kill right after the Delta commit leaves: the commit lists its files, the ingest ledger does not
        FileUtils.deleteDirectory(mesh.zones().resolve("shop/_checkpoints/orders/ingested").toFile());
        FileUtils.deleteDirectory(mesh.zones().resolve("_platform/runs").toFile());
        CliHarness.Result rerun = run(mesh);
        assertThat(rerun.exitCode()).as(rerun.err()).isZero();
        assertThat(rerun.out()).containsPattern("shop +orders +UP_TO_DATE ");
        assertThat(products(mesh)).hasSize(2);
        assertThat(mesh.zones().resolve("shop/_checkpoints/orders/ingested")).isDirectory();
    }

    @Test
    void aFullRefreshRebuildsFromAllFilesInOneCommit() {
        TestMesh mesh = shop("append", "", "");
        land(mesh, "good.csv");
        run(mesh);
        land(mesh, "reordered-header.csv");
        run(mesh);
        CliHarness.Result refresh = run(mesh, "--full-refresh");
        assertThat(refresh.exitCode()).as(refresh.err()).isZero();
        assertThat(refresh.out()).containsPattern("shop +orders +PUBLISHED +4 +4 +0 +1/0 +2 ");
        assertThat(products(mesh)).hasSize(4);
        Row last = SharedSpark.session().sql("DESCRIBE HISTORY delta.`" + mesh.zones().resolve("shop/products/orders")
                + "`").orderBy(org.apache.spark.sql.functions.col("version").desc()).head();
        assertThat(last.<String>getAs("operation")).isEqualTo("WRITE");
        assertThat(last.getJavaMap(last.fieldIndex("operationParameters")).get("mode")).isEqualTo("Overwrite");
        assertThat(run(mesh).out()).containsPattern("shop +orders +UP_TO_DATE ");
    }

    @Test
    void emptyAndHeaderOnlyFilesAreIngestedAsNoRowsInThePlatformsWords() {
        TestMesh mesh = shop("append", "", "checks:\n  - { check: unique, column: order_id }\n");
        land(mesh, "empty.csv", "header-only.csv");
        CliHarness.Result run = run(mesh);
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).contains("unique(order_id): no rows");
        assertThat(run.out() + run.err()).doesNotContain("Empty state", "Uniqueness(", "Exception", "\tat ");
        assertThat(table(mesh, "_platform/quality_metrics").where("message LIKE '%Empty state%' OR message LIKE "
                + "'%Exception%'").count()).isZero();
        assertThat(table(mesh, "_platform/quality_metrics").where("message = 'no rows'").count()).isPositive();
    }

    @Test
    void filesWithoutRecordsChangeNothingAndAreNotReadAgain() {
        TestMesh mesh = shop("merge", "", "");
        land(mesh, "good.csv");
        assertThat(run(mesh).exitCode()).isZero();
        // a batch of no records changes nothing: the checks the merge key implies hold over no rows (declared
        // checks still judge it, see above), and its files are recorded as ingested
        land(mesh, "empty.csv", "header-only.csv");
        CliHarness.Result empty = run(mesh);
        assertThat(empty.exitCode()).as(empty.out() + empty.err()).isZero();
        assertThat(empty.out()).containsPattern("shop +orders +PUBLISHED +0 +0 +0 ");
        land(mesh, "day2.csv");
        CliHarness.Result next = run(mesh);
        assertThat(next.exitCode()).as(next.out() + next.err()).isZero();
        assertThat(next.out()).containsPattern("shop +orders +PUBLISHED +2 +2 +0 ");
        assertThat(run(mesh).out()).containsPattern("shop +orders +UP_TO_DATE +0 +0 +0 +0/0 +2 ");
        assertThat(products(mesh)).hasSize(3);
    }

    @Test
    void concurrentRunsOfOneProductPublishEachFileOnce() {
        TestMesh mesh = shop("append", "", "");
        land(mesh, "good.csv");
        assertThat(run(mesh).exitCode()).isZero();
        land(mesh, "day2.csv", "reordered-header.csv");
        CompletableFuture<CliHarness.Result> first = CompletableFuture.supplyAsync(() -> run(mesh));
        CompletableFuture<CliHarness.Result> second = CompletableFuture.supplyAsync(() -> run(mesh));
        List<CliHarness.Result> results = List.of(first.join(), second.join());
        assertThat(results).allSatisfy(result -> {
            assertThat(result.err()).doesNotContain("\tat ", "Exception", "checkpoint");
            assertThat(result.exitCode()).as(result.out() + result.err()).isIn(0, 1);
        });
        assertThat(results).anyMatch(result -> result.out().matches("(?s).*shop +orders +PUBLISHED +4 +4 .*"));
        results.stream().filter(result -> result.exitCode() == 1).forEach(loser -> assertThat(loser.out())
                .containsPattern("another run published version \\d+ first; nothing was published by this run; "
                        + "run it again"));
        assertThat(products(mesh)).containsExactly("1 100 10.00 2026-01-05 NEW", "1 100 12.00 2026-01-05 PAID",
                "2 101 20.50 2026-01-06 PAID", "3 102 30.00 2026-01-07 NEW", "4 103 40.25 2026-01-08 PAID",
                "27 125 27.00 2026-01-27 NEW");
    }

    @Test
    void aCheckThatDoesNotFitTheOutputIsNamedBeforeAnythingRuns() {
        TestMesh mesh = shop("append", "", "checks:\n  - { check: satisfies, name: positive, sql: \"amount > 0\" }\n"
                + "  - { check: satisfies, name: typo, sql: \"amout > 0\" }\n");
        land(mesh, "good.csv");
        CliHarness.Result run = run(mesh);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("quality.checks[1] 'typo': amout > 0 is not a condition on the output's columns "
                + "(order_id, customer_id, amount, ordered_on, status)");
        assertThat(run.out() + run.err()).doesNotContain("\tat ", "positive:");
        assertThat(mesh.zones().resolve("shop/products/orders")).doesNotExist();
    }

    @Test
    void twoSpecFilesForOneProductAreRefusedNamingBoth() throws IOException {
        TestMesh mesh = shop("append", "", "");
        Files.copy(mesh.dir().resolve("domains/shop/products/orders.yaml"),
                mesh.dir().resolve("domains/shop/products/orders.yml"));
        CliHarness.Result validate = ShopMesh.run(mesh, "validate");
        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.out()).contains("orders.yml: declares product shop.orders like ", "orders.yaml; a product "
                + "has one spec file");
    }

    private TestMesh shop(String mode, String fileFields, String quality) {
        return TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN)
                .product("shop", "orders", TestMesh.hostileOrders(mode, fileFields, quality));
    }

    private static void land(TestMesh mesh, String... files) {
        mesh.landFixture("shop", "orders", files);
    }

    private static CliHarness.Result run(TestMesh mesh, String... options) {
        String[] args = new String[options.length + 2];
        args[0] = "run";
        args[1] = "shop.orders";
        System.arraycopy(options, 0, args, 2, options.length);
        return ShopMesh.run(mesh, args);
    }

    /** The published rows, "order customer amount date status", ordered. */
    private static List<String> products(TestMesh mesh) {
        return table(mesh, "shop/products/orders").orderBy("order_id", "amount").collectAsList().stream()
                .map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2) + " " + r.get(3) + " " + r.get(4)).toList();
    }

    /** The quarantined records, "file [reasons]". */
    private static List<String> quarantine(TestMesh mesh) {
        if (!Files.isDirectory(mesh.zones().resolve("shop/quarantine/orders"))) {
            return List.of();
        }
        return table(mesh, "shop/quarantine/orders").collectAsList().stream()
                .map(r -> Path.of(r.<String>getAs("file")).getFileName() + " " + r.getList(r.fieldIndex("reasons")))
                .toList();
    }
}
