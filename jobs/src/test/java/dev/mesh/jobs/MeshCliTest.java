package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line people and schedulers rely on: help, exit codes, and errors that say what to do. */
class MeshCliTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"quickstart", "validate", "provision", "plan", "run", "runs", "metrics", "sla", "usage",
        "sql", "feedback", "report", "suggest", "templates", "s3-server"})
    void everyCommandHasHelp(String command) {
        CliHarness.Result help = CliHarness.run(command, "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Usage: mesh " + command);
        assertThat(help.out()).contains("--platform=FILE");
    }

    @Test
    void topLevelHelpDocumentsTheExitCodes() {
        CliHarness.Result help = CliHarness.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Exit codes:", "0     success", "1     infrastructure or internal failure",
                "2     invalid input (usage, spec, policy)", "3     the quality gate blocked publication",
                "130   a run was cancelled");
    }

    @Test
    void validateTheExampleMesh() {
        CliHarness.Result result = CliHarness.run("--platform", CliHarness.EXAMPLES.toString(), "validate");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).matches("valid: platform example-mesh: 3 domains, 9 products, 14 files \\(\\d+ ms\\)\\n");
    }

    @Test
    void accessShowsWhoMayReadWhatAndWhoDoes() {
        CliHarness.Result result = CliHarness.run("--platform", CliHarness.EXAMPLES.toString(), "access", "finance");
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).containsPattern("customer\\.customers\\s+consumers\\s+customer, finance, sales\\s+"
                + "finance\\.customer_balances")
                .doesNotContain("customer.latest_change  domain");
        assertThat(CliHarness.run("--platform", CliHarness.EXAMPLES.toString(), "access", "financ").exitCode())
                .isEqualTo(2);
    }

    @Test
    void theExampleMeshCompliesWithItsPolicies() {
        CliHarness.Result result = CliHarness.run("--platform", CliHarness.EXAMPLES.toString(), "policies", "check");
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).containsPattern("policies: .*governance.yaml, version [0-9a-f]{12} \\(approved by 3 "
                + "of 3 representatives\\); federated body: majority approval needs 2")
                .contains("finance   output-modes      allowedModes      error     tightened by the domain  2         0",
                        "3 domains, 15 rule applications: 0 errors, 0 warnings");
    }

    @Test
    void validateReportsEveryProblemAndExits2() {
        TestMesh mesh = ShopMesh.create(dir, "merge", "- { check: uniqe, column: order_id }");
        mesh.write("domains/shop/products/orders.yaml", read(mesh, "domains/shop/products/orders.yaml")
                .replace("format: csv", "format: xml"));
        CliHarness.Result result = ShopMesh.run(mesh, "validate");
        assertThat(result.exitCode()).isEqualTo(2);
        String file = dir.resolve("domains/shop/products/orders.yaml").toString();
        assertThat(result.out()).contains(
                file + ":9: inputs[0].files.format: 'xml' is not a file format; allowed: csv, json, parquet",
                file + ":21: quality.checks[1].check: 'uniqe' is not a check; allowed: complete, completeness, "
                        + "unique, allowedValues, rowCount, min, max, mean, pattern, satisfies; did you mean "
                        + "'unique'?");
        assertThat(result.out()).containsPattern("2 problems found \\(\\d+ ms\\)");
    }

    @Test
    void validateOfANamedFileReportsOnlyThatFile() {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        CliHarness.Result result = ShopMesh.run(mesh, "validate", dir.resolve("domains/shop/domain.yaml").toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("valid: " + dir.resolve("domains/shop/domain.yaml"));

        CliHarness.Result stranger = ShopMesh.run(mesh, "validate", dir.resolve("elsewhere.yaml").toString());
        assertThat(stranger.exitCode()).isEqualTo(2);
        assertThat(stranger.err()).contains("elsewhere.yaml is not a spec of this mesh");
    }

    @Test
    void aBadProductSpecIsRefusedWithoutSparkNamingItsProblem() {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        mesh.write("domains/shop/products/orders.yaml", read(mesh, "domains/shop/products/orders.yaml")
                .replace("mode: merge", "mode: upsert"));
        CliHarness.Result result = CliHarness.runWithoutSpark("--platform", mesh.platformFile().toString(), "run",
                "--all");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.out()).contains("shop.orders: FAILED: not run: its spec has 1 problem: ",
                "output.mode: 'upsert' is not a write mode; allowed: append, overwrite, merge; fix it and check with "
                + "mesh validate", "1 product: 0 published, 0 up to date, 1 not published");
        assertThat(result.err()).doesNotContain("Exception");
    }

    @Test
    void readOnlyCommandsRefuseWhatTheyCanCheckBeforeSparkStarts() throws Exception {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        String platform = mesh.platformFile().toString();
        CliHarness.Result typo = CliHarness.runWithoutSpark("--platform", platform, "sql", "SELEC * FROM shop.orders");
        assertThat(typo.exitCode()).as(typo.err()).isEqualTo(2);
        assertThat(typo.err()).startsWith("error: QUERY is not valid Spark SQL").doesNotContain("started Spark");
        CliHarness.Result statement = CliHarness.runWithoutSpark("--platform", platform, "sql",
                "DROP TABLE shop.orders");
        assertThat(statement.exitCode()).isEqualTo(2);
        assertThat(statement.err()).contains("QUERY must be a query").contains("mesh sql only reads");
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "not a folder");
        CliHarness.Result report = CliHarness.runWithoutSpark("--platform", platform, "report", "--out",
                file.resolve("report").toString());
        assertThat(report.exitCode()).isEqualTo(2);
        assertThat(report.err()).contains("--out " + file.resolve("report") + ": cannot write the report there")
                .doesNotContain("started Spark");
    }

    @Test
    void aBadSpecRefusesOnlyItsProductAndItsConsumersTheOthersRun() {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        mesh.land("shop", "orders", "o1.csv", "order_id,amount,status\n1,10.00,NEW\n");
        ProductYaml.product("shop", "daily").reads("o", "shop.orders").sql("SELECT count(*) AS orders FROM o")
                .schema("{ name: orders, type: bigint }").writeTo(mesh);
        ProductYaml.product("shop", "broken").reads("o", "shop.orders").mode("upsert")
                .sql("SELECT order_id FROM o").schema("{ name: order_id, type: bigint }").writeTo(mesh);
        ProductYaml.product("shop", "after").reads("b", "shop.broken").sql("SELECT order_id FROM b")
                .schema("{ name: order_id, type: bigint }").writeTo(mesh);

        CliHarness.Result all = ShopMesh.run(mesh, "run", "--all");
        assertThat(all.exitCode()).as(all.out() + all.err()).isEqualTo(2);
        assertThat(all.out()).contains("shop.broken: FAILED: not run: its spec has 1 problem: ",
                "output.mode: 'upsert' is not a write mode",
                "shop.after: FAILED: not run: it reads shop.broken, whose spec is refused (its spec has 1 problem",
                "4 products: 2 published, 0 up to date, 2 not published");
        assertThat(all.out().lines().filter(line -> line.matches("shop\\s+(orders|daily)\\s+PUBLISHED.*")))
                .hasSize(2);

        // named alone, a valid product runs; a refused one is refused without Spark
        assertThat(ShopMesh.run(mesh, "run", "shop.daily").exitCode()).isZero();
        CliHarness.Result named = ShopMesh.run(mesh, "run", "shop.after");
        assertThat(named.exitCode()).isEqualTo(2);
        assertThat(named.out()).contains("shop.after: FAILED: not run: it reads shop.broken");
        assertThat(ShopMesh.run(mesh, "validate").exitCode()).as("validate still reports every problem").isEqualTo(2);

        // a problem of the platform file concerns every product: nothing runs
        mesh.write("platform.yaml", read(mesh, "platform.yaml") + "unknownField: 1\n");
        CliHarness.Result platform = ShopMesh.run(mesh, "run", "shop.daily");
        assertThat(platform.exitCode()).isEqualTo(2);
        assertThat(platform.err()).startsWith("error: 1 problem in the mesh's specs:");
    }

    @Test
    void unknownProductSuggestsTheNearest() {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        CliHarness.Result result = ShopMesh.run(mesh, "run", "shop.order");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("error: no product 'shop.order' in the mesh; did you mean 'shop.orders'? "
                + "(products: shop.orders)\n");
    }

    @Test
    void runNeedsProductsOrAll() {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        CliHarness.Result result = ShopMesh.run(mesh, "run");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("name the products to run (DOMAIN.PRODUCT ...) or pass --all, not both");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliHarness.Result result = CliHarness.run("run", "--everything");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Unknown option: '--everything'");
    }

    @Test
    void countsAreWholeNumbersOfAtLeastOneOrAUsageError() {
        for (String[] args : new String[][] {{"runs", "--limit", "0"}, {"audit", "--limit", "-1"},
                {"sql", "--limit", "x", "SELECT 1"}, {"run", "--all", "--parallel", "0"}, {"metrics", "a.b", "--runs",
                        "0"}}) {
            CliHarness.Result result = CliHarness.run(concat(new String[] {"--platform",
                    CliHarness.EXAMPLES.toString()}, args));
            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(result.err()).as(String.join(" ", args)).containsPattern("'(0|-1|x)' is not a (whole number|count "
                    + "of at least 1)").doesNotContain("\tat ");
        }
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Test
    void missingPlatformFileSaysWhatToPass() {
        CliHarness.Result result = CliHarness.run("--platform", dir.resolve("platform.yaml").toString(), "validate");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).contains("platform.yaml: no such file; pass --platform FILE (the example mesh's is "
                + "examples/platform.yaml)");
    }

    @Test
    void missingLandingFilesFailTheRunWithExit2() {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        CliHarness.Result result = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).contains("shop.orders: FAILED: input 'pos' of shop.orders: no files to ingest at ");
    }

    @Test
    void badSqlFailsTheRunWithExit2AndNamesTheProduct() {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        ProductYaml.product("shop", "daily").reads("orders", "shop.orders")
                .sql("SELECT status, sum(amout) AS total FROM orders GROUP BY status")
                .schema("{ name: status, type: string }", "{ name: total, type: \"decimal(20,2)\" }")
                .writeTo(mesh);
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n");
        CliHarness.Result result = ShopMesh.run(mesh, "run", "--all");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).containsPattern("shop +orders +PUBLISHED ");
        assertThat(result.out()).contains("shop.daily: FAILED: shop.daily (" + dir.resolve(
                "domains/shop/products/daily.yaml") + "): the transformation is not valid Spark SQL for its inputs: "
                + "A column or function parameter with name `amout` cannot be resolved. Did you mean one of the "
                + "following? [`amount`, `status`, `order_id`].");
    }

    @Test
    void consumersOfAFailedProductAreSkipped() {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        ProductYaml.product("shop", "daily").reads("orders", "shop.orders")
                .schema("{ name: order_id, type: bigint }").writeTo(mesh);
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,LOST\n");
        CliHarness.Result result = ShopMesh.run(mesh, "run", "--all");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).containsPattern("shop +orders +GATE_FAILED ");
        assertThat(result.out()).containsPattern("shop +daily +SKIPPED ");
        assertThat(result.out()).contains("shop.daily: SKIPPED: skipped: input product shop.orders did not publish in "
                + "this run");
    }

    @Test
    void provisionIsIdempotentAndSaysSo() {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        CliHarness.Result first = ShopMesh.run(mesh, "provision");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("created  " + "file:" + mesh.zones().resolve("shop/landing/orders"),
                "created  file:" + mesh.zones().resolve("_platform/runs"));
        assertThat(mesh.zones().resolve("shop/quarantine")).isDirectory();
        assertThat(mesh.zones().resolve("shop/_checkpoints")).isDirectory();

        CliHarness.Result second = ShopMesh.run(mesh, "provision");
        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).startsWith("nothing to change: all ").contains(" already exist");
    }

    private static String read(TestMesh mesh, String relative) {
        try {
            return java.nio.file.Files.readString(mesh.dir().resolve(relative));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
