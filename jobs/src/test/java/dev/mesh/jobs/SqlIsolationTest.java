package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.error.ErrorCode;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.run.Extensions;
import dev.mesh.runtime.run.ProductRunner;
import dev.mesh.runtime.run.RunOptions;
import dev.mesh.runtime.spi.ProductTemplate;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.SpecLoader;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.spi.SqlSyntax;
import dev.mesh.spec.testing.ProductYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A product's SQL cannot leave its zone: on the example mesh, a finance product tries every way SQL can write, read
 * what it did not declare, run a program or call Java. Validation refuses each (exit 2, file and line), and so does
 * the run itself when validation is bypassed; afterwards every example product holds exactly the rows it held.
 */
class SqlIsolationTest {
    @TempDir
    static Path root;
    @TempDir
    static Path meshDir;
    @TempDir
    Path outside;

    static SparkSession spark;
    static String customers;

    @BeforeAll
    static void runTheExampleMesh() throws IOException {
        spark = SharedSpark.session();
        CliHarness.Result quickstart = CliHarness.run("--storage-root", root.toString(), "quickstart", "--scale",
                "0.001");
        assertThat(quickstart.exitCode()).as(quickstart.err()).isZero();
        FileUtils.copyDirectory(CliHarness.HOME.resolve("examples").toFile(), meshDir.toFile());
        customers = root.resolve("customer/products/customers").toString();
        // registers every product in the shared catalog, so that customer.customers resolves by name in a run
        assertThat(cli("sql", "SELECT count(*) FROM customer.customers").exitCode()).isZero();
    }

    @BeforeEach
    void noHostileProductYet() throws IOException {
        Files.deleteIfExists(hostileFile());
    }

    @Test
    void everyWriteThroughProductSqlIsRefusedAndChangesNothing() throws IOException {
        List<String> writes = List.of(
                "INSERT INTO delta.`" + customers + "` SELECT * FROM customers",
                "INSERT OVERWRITE DIRECTORY '" + outside.resolve("dir") + "' SELECT * FROM customers",
                "CREATE TABLE pwned USING delta LOCATION '" + outside.resolve("ctas") + "' AS SELECT * FROM customers",
                "DELETE FROM customer.customers WHERE custkey = 1",
                "UPDATE customer.customers SET name = 'pwned'",
                "MERGE INTO customer.customers t USING customers s ON t.custkey = s.custkey WHEN MATCHED THEN DELETE",
                "DROP TABLE customer.customers",
                "TRUNCATE TABLE customer.customers",
                "SELECT custkey FROM customers; DELETE FROM customer.customers",
                "CACHE TABLE pwned AS SELECT * FROM customers",
                "SET spark.sql.runSQLOnFiles=true");
        Map<String, String> before = snapshot();
        for (String sql : writes) {
            CliHarness.Result validate = withHostileSql(sql);
            assertThat(validate.exitCode()).as(sql + "\n" + validate.out()).isEqualTo(2);
            assertThat(validate.out()).as(sql).contains("domains/finance/products/hostile.yaml:11: transform.sql: must be");

            RunResult run = runBypassingValidation();
            assertThat(run.status()).as(sql).isEqualTo(RunStatus.FAILED);
            assertThat(run.errorCode()).as(sql).isEqualTo(ErrorCode.INVALID_INPUT);
            assertThat(run.error()).as(sql).startsWith("finance.hostile (").contains("transform.sql must be");
        }
        assertThat(snapshot()).isEqualTo(before);
        assertThat(outside).isEmptyDirectory();
        assertThat(spark.catalog().tableExists("pwned")).isFalse();
    }

    @Test
    void readsOfWhatTheProductDidNotDeclareAreRefused() {
        Map<String, String> reads = Map.of(
                "SELECT custkey FROM delta.`" + customers + "`", "reads files at '" + customers + "' by path",
                "SELECT custkey FROM parquet.`" + customers + "`", "reads files at '" + customers + "' by path",
                "SELECT custkey FROM customer.customers", "reads 'customer.customers', which is not an input",
                "SELECT custkey FROM customers WHERE custkey IN (SELECT custkey FROM sales.orders)",
                "reads 'sales.orders', which is not an input",
                "SELECT TRANSFORM(custkey) USING 'touch " + outside.resolve("ran") + "' AS (custkey) FROM customers",
                "runs a program (TRANSFORM ... USING)",
                "SELECT custkey FROM customers WHERE reflect('java.lang.System', 'getenv', 'HOME') IS NOT NULL",
                "calls reflect(), which runs Java methods by name");
        Map<String, String> before = snapshot();
        reads.forEach((sql, reason) -> {
            CliHarness.Result validate = withHostileSql(sql);
            assertThat(validate.exitCode()).as(sql + "\n" + validate.out()).isEqualTo(2);
            assertThat(validate.out()).as(sql).contains("hostile.yaml:11: transform.sql: " + reason);
            RunResult run = runBypassingValidation();
            assertThat(run.status()).as(sql).isEqualTo(RunStatus.FAILED);
            assertThat(run.error()).as(sql).contains("transform.sql " + reason);
            assertThat(run.errorCode()).as(sql).isEqualTo(reason.startsWith("reads ") ? ErrorCode.ACCESS_DENIED
                    : ErrorCode.INVALID_INPUT);
        });
        assertThat(snapshot()).isEqualTo(before);
        assertThat(outside).isEmptyDirectory();
        assertThat(root.resolve("finance/products/hostile")).doesNotExist();
    }

    @Test
    void thePlanOfAnyTemplateIsCheckedBeforeItRuns() {
        // a template that ignores its inputs and reads another domain's table by path, as a buggy plugin might
        ProductTemplate sneaky = new ProductTemplate() {
            @Override
            public String name() {
                return "sql";
            }

            @Override
            public Dataset<Row> transform(SparkSession session, ProductSpec product, Map<String, Dataset<Row>> in) {
                return session.read().format("delta").load(customers);
            }
        };
        Extensions loaded = Extensions.load();
        List<ProductTemplate> templates = new ArrayList<>(List.of(sneaky));
        templates.addAll(loaded.templates());
        withHostileSql("SELECT custkey FROM customers");
        RunResult run = runWith(new Extensions(loaded.readers(), templates, loaded.gate()), hostileSpec());
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).contains("the sql template's result reads files by path (file:" + customers + ")",
                "a product's query reads only its declared inputs");
        assertThat(root.resolve("finance/products/hostile")).doesNotExist();
    }

    @Test
    void aRuleWithASubqueryCannotReadAnotherDomainAtRunTime() throws IOException {
        withHostileSql("SELECT custkey FROM customers");
        Files.writeString(hostileFile(), Files.readString(hostileFile()) + """
                quality:
                  rowRules:
                    - { check: satisfies, name: snoop, sql: "custkey > (SELECT min(custkey) FROM customer.customers)" }
                """);
        assertThat(cli("validate").out()).contains("quality.rowRules[0].sql: holds a subquery");
        RunResult run = runBypassingValidation();
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).contains("reads the table spark_catalog.customer.customers, which is not one of its "
                + "inputs");
    }

    @Test
    void meshSqlOnlyReads() {
        Map<String, String> before = snapshot();
        for (String sql : List.of("DELETE FROM customer.customers WHERE custkey = 1",
                "INSERT INTO customer.customers SELECT * FROM customer.customers",
                "UPDATE customer.customers SET name = 'pwned'", "DROP TABLE customer.customers",
                "CREATE TABLE pwned USING delta LOCATION '" + outside.resolve("ctas") + "' AS SELECT 1 AS x",
                "SELECT 1; DELETE FROM customer.customers")) {
            CliHarness.Result result = cli("sql", sql);
            assertThat(result.exitCode()).as(sql + "\n" + result.err()).isEqualTo(2);
            assertThat(result.err()).as(sql).startsWith("error: QUERY must be");
        }
        CliHarness.Result byPath = cli("sql", "SELECT count(*) FROM delta.`" + customers + "`");
        assertThat(byPath.exitCode()).isEqualTo(2);
        assertThat(byPath.err()).contains("cannot be found");
        CliHarness.Result java = cli("sql", "SELECT java_method('java.lang.System', 'getenv', 'HOME')");
        assertThat(java.err()).contains("error: QUERY calls java_method(), which runs Java methods by name");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(outside).isEmptyDirectory();

        CliHarness.Result read = cli("sql", "SELECT count(*) AS n FROM customer.customers");
        assertThat(read.exitCode()).as(read.err()).isZero();
        assertThat(read.out()).contains("150");
    }

    /** Per product: its Delta version, row count and a checksum over every column of every row. */
    private static Map<String, String> snapshot() {
        Map<String, String> state = new TreeMap<>();
        for (String product : List.of("customer/products/customers", "customer/products/nations",
                "sales/products/orders", "sales/products/lineitems", "finance/products/customer_balances",
                "finance/products/revenue_by_nation")) {
            String path = root.resolve(product).toString();
            long version = spark.sql("DESCRIBE HISTORY delta.`" + path + "`").selectExpr("max(version)").head()
                    .getLong(0);
            Row sums = spark.read().format("delta").load(path).selectExpr("count(*)", "sum(xxhash64(*))").head();
            state.put(product, "v" + version + " rows=" + sums.get(0) + " checksum=" + sums.get(1));
        }
        return state;
    }

    private static CliHarness.Result withHostileSql(String sql) {
        try {
            Files.writeString(hostileFile(), ProductYaml.product("finance", "hostile").owner("finance-data@example.com")
                    .reads("customers", "customer.customers").sqlBlock(sql).schema("{ name: custkey, type: bigint }")
                    // complies with the example mesh's policies, so that only its SQL is refused
                    .section("description: What a hostile domain team would try.\naccess: { visibility: domain }")
                    .yaml());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return cli("validate");
    }

    private static RunResult runBypassingValidation() {
        return runWith(Extensions.load(), hostileSpec());
    }

    private static ProductSpec hostileSpec() {
        return mesh().product(new ProductId("finance", "hostile")).orElseThrow();
    }

    private static MeshSpec mesh() {
        return new SpecLoader(meshDir, SqlSyntax.UNCHECKED)
                .load(meshDir.resolve("platform.yaml"), Optional.of(root.toUri())).orThrow();
    }

    private static RunResult runWith(Extensions extensions, ProductSpec product) {
        return new ProductRunner(spark, mesh(), extensions, Clock.systemUTC()).run(product, RunOptions.DEFAULT);
    }

    private static Path hostileFile() {
        return meshDir.resolve("domains/finance/products/hostile.yaml");
    }

    private static CliHarness.Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of("--platform", meshDir.resolve("platform.yaml").toString(),
                "--storage-root", root.toString()));
        all.addAll(List.of(args));
        return CliHarness.run(all.toArray(String[]::new));
    }
}
