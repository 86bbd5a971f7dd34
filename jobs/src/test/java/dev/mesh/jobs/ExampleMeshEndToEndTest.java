package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.SpecLoad;
import dev.mesh.spec.SpecLoader;
import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.ColumnSource;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.spi.SqlSyntax;
import dev.mesh.spec.validation.ColumnFlow;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example mesh end to end on local Spark: the quickstart provisions its zones, lands TPC-H files and runs all nine
 * products; the products and platform tables are then read back and checked against the source data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExampleMeshEndToEndTest {
    /** TPC-H at SF 0.002: 300 customers, 3,000 orders. */
    static final String SCALE = "0.002";

    @TempDir
    static Path root;
    static CliHarness.Result quickstart;
    static SparkSession spark;

    @BeforeAll
    static void runTheQuickstart() {
        spark = SharedSpark.session();
        quickstart = CliHarness.run("--storage-root", root.toString(), "quickstart", "--scale", SCALE);
    }

    @Test
    @Order(1)
    void quickstartPublishesEveryProductAndPrintsOneLinePerProduct() {
        assertThat(quickstart.exitCode()).as(quickstart.err()).isZero();
        List<String> lines = quickstart.out().lines().toList();
        assertThat(lines).anyMatch(l -> l.matches("DOMAIN +PRODUCT +STATUS +READ +PUBLISHED +QUARANTINED +CHECKS "
                + "PASSED/FAILED +VERSION +DURATION"));
        assertThat(lines).anyMatch(l -> l.matches("customer +customers +PUBLISHED +300 +300 +0 +9/0 +0 +\\d+\\.\\ds"));
        assertThat(lines).anyMatch(l -> l.matches("sales +orders +PUBLISHED +3003 +3000 +3 +9/0 +0 +\\d+\\.\\ds"));
        assertThat(lines).anyMatch(l -> l.matches("customer +nations +PUBLISHED +30 +25 +0 +7/0 +0 +.*"));
        assertThat(lines).anyMatch(l -> l.matches("finance +customer_balances +PUBLISHED +\\d+ +300 +0 +3/2 +0 +.*"));
        assertThat(lines).contains("9 products: 9 published, 0 up to date, 0 not published");
        assertThat(lines).anyMatch(l -> l.startsWith("finance.customer_balances: warning: min(acctbal): value -"));
    }

    @Test
    @Order(2)
    void productsHoldTheSourceData() {
        assertThat(product("customer/products/customers").count()).isEqualTo(300);
        assertThat(product("sales/products/orders").count()).isEqualTo(3000);
        assertThat(product("customer/products/nations").count()).isEqualTo(25);
        long lineItems = spark.read().json(root.resolve("sales/landing/lineitems").toString()).count();
        assertThat(product("sales/products/lineitems").count()).isEqualTo(lineItems);
        assertThat(product("sales/products/lineitems").inputFiles()).allMatch(f -> f.contains("returnflag="));

        // the cross-domain product equals the same computation done by hand on the published inputs
        product("sales/products/orders").createOrReplaceTempView("o");
        product("sales/products/lineitems").createOrReplaceTempView("l");
        product("customer/products/customers").createOrReplaceTempView("c");
        Row byHand = spark.sql("SELECT sum(l.extendedprice * (1 - l.discount)), count(DISTINCT c.nationkey) "
                + "FROM o JOIN l USING (orderkey) JOIN c USING (custkey)").head();
        double expected = byHand.getDecimal(0).doubleValue();
        Row revenue = product("finance/products/revenue_by_nation")
                .selectExpr("sum(revenue)", "count(*)", "count(DISTINCT nation)").head();
        // each nation and year's revenue is rounded to cents
        assertThat(revenue.getDecimal(0).doubleValue()).isCloseTo(expected, within(0.005 * revenue.getLong(1)));
        assertThat(revenue.getLong(2)).isEqualTo(byHand.getLong(1));
    }

    @Test
    @Order(2)
    void theChangeLogProductsAgreeWithTheLogsRules() {
        // the seeder's log: an update of every fifth customer's segment, a delete of every eleventh
        Dataset<Row> accounts = product("customer/products/customer_accounts");
        assertThat(accounts.count()).isEqualTo(300 - 300 / 11);
        assertThat(accounts.where("custkey % 11 = 0").count()).isZero();
        Dataset<Row> customers = product("customer/products/customers");
        assertThat(accounts.as("a").join(customers.as("c"), "custkey")
                .where("(custkey % 5 = 0) = (a.mktsegment = c.mktsegment)").count())
                .as("updated customers, and only they, have another segment").isZero();
        Dataset<Row> history = product("customer/products/segment_history");
        assertThat(history.where("is_current").count()).isEqualTo(accounts.count());
        assertThat(history.where("valid_to IS NOT NULL").count()).isZero();
        Dataset<Row> latest = product("customer/products/latest_change");
        assertThat(latest.count()).isEqualTo(300);
        assertThat(latest.where("op = 'D'").count()).isEqualTo(300 / 11);
        assertThat(latest.where("op = 'U'").count()).isEqualTo(300 / 5 - 300 / 55);
    }

    @Test
    @Order(3)
    void malformedSourceLinesAreQuarantinedWithTheirReason() {
        List<Row> rows = product("sales/quarantine/orders").orderBy("record").collectAsList();
        assertThat(rows).extracting(r -> r.getList(r.fieldIndex("reasons")).toString())
                .containsExactly(
                        "[column 'totalprice': 'lots' is not a decimal(12,2)]",
                        "[column 'orderdate': 'yesterday' is not a date (yyyy-MM-dd)]",
                        "[column 'orderkey': 'not-a-number' is not a bigint]");
        assertThat(rows).extracting(r -> r.<String>getAs("record")).containsExactly(
                "{\"orderkey\":\"7000001\",\"custkey\":\"370\",\"orderstatus\":\"O\",\"totalprice\":\"lots\","
                        + "\"orderdate\":\"1996-01-02\",\"orderpriority\":\"5-LOW\",\"clerk\":\"Clerk#000000951\","
                        + "\"shippriority\":\"0\",\"comment\":\"broken price\"}",
                "{\"orderkey\":\"7000002\",\"custkey\":\"370\",\"orderstatus\":\"O\",\"totalprice\":\"1000.00\","
                        + "\"orderdate\":\"yesterday\",\"orderpriority\":\"5-LOW\",\"clerk\":\"Clerk#000000951\","
                        + "\"shippriority\":\"0\",\"comment\":\"broken date\"}",
                "{\"orderkey\":\"not-a-number\",\"custkey\":\"370\",\"orderstatus\":\"O\",\"totalprice\":"
                        + "\"172799.49\",\"orderdate\":\"1996-01-02\",\"orderpriority\":\"5-LOW\",\"clerk\":"
                        + "\"Clerk#000000951\",\"shippriority\":\"0\",\"comment\":\"broken key\"}");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.<String>getAs("input")).isEqualTo("erp_orders");
            assertThat(r.<String>getAs("file")).endsWith("sales/landing/orders/orders.csv");
        });
    }

    @Test
    @Order(4)
    void theLedgerRecordsEveryRun() {
        Map<String, Row> runs = product("_platform/runs").collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("domain") + "." + r.getAs("product"), r -> r));
        assertThat(runs).hasSize(9);
        assertThat(runs.values()).allSatisfy(r -> {
            assertThat(r.<String>getAs("status")).isEqualTo("PUBLISHED");
            assertThat(r.<Long>getAs("output_version")).isZero();
            assertThat(r.<String>getAs("spec_version")).isEqualTo("1.0.0");
            assertThat(r.<String>getAs("spec_hash")).hasSize(64);
            assertThat(r.<String>getAs("error")).isNull();
        });
        Row orders = runs.get("sales.orders");
        assertThat(orders.<Long>getAs("rows_in")).isEqualTo(3003);
        assertThat(orders.<Long>getAs("rows_out")).isEqualTo(3000);
        assertThat(orders.<Long>getAs("rows_quarantined")).isEqualTo(3);
        assertThat(orders.getJavaMap(orders.fieldIndex("stage_ms")))
                .containsKeys("resolve", "write", "checks", "commit");
        Row revenue = runs.get("finance.revenue_by_nation");
        assertThat(revenue.<String>getAs("inputs")).contains("\"reference\":\"sales.orders\"", "\"version\":0");
    }

    @Test
    @Order(5)
    void qualityMetricsAreTypedRowsPerConstraintAndMetric() {
        List<Row> balances = product("_platform/quality_metrics")
                .where("product = 'customer_balances' AND row_type = 'constraint'").collectAsList();
        Map<String, Row> byConstraint = balances.stream()
                .collect(Collectors.toMap(r -> r.getAs("constraint"), r -> r));
        assertThat(byConstraint).containsOnlyKeys("unique(custkey)", "min(acctbal)",
                "satisfies(every_customer_ordered)", "rowCount", "complete(custkey)");

        double minBalance = product("customer/products/customers").selectExpr("min(acctbal)").head()
                .getDecimal(0).doubleValue();
        Row min = byConstraint.get("min(acctbal)");
        assertThat(min.<String>getAs("level")).isEqualTo("WARNING");
        assertThat(min.<String>getAs("status")).isEqualTo("failed");
        assertThat(min.<String>getAs("metric_name")).isEqualTo("Minimum");
        assertThat(min.<Double>getAs("value")).isCloseTo(minBalance, within(1e-9));

        double ordered = product("finance/products/customer_balances")
                .selectExpr("avg(CASE WHEN orders > 0 THEN 1 ELSE 0 END)").head().getDouble(0);
        Row satisfies = byConstraint.get("satisfies(every_customer_ordered)");
        assertThat(satisfies.<Double>getAs("value")).isCloseTo(ordered, within(1e-9));
        assertThat(satisfies.<String>getAs("status")).isEqualTo("failed");

        assertThat(byConstraint.get("rowCount").<Double>getAs("value")).isEqualTo(300.0);
        assertThat(byConstraint.get("unique(custkey)").<String>getAs("status")).isEqualTo("passed");
        assertThat(byConstraint.get("unique(custkey)").<Double>getAs("value")).isEqualTo(1.0);

        // Deequ's five metrics, and the quarantine rate
        List<String> metrics = product("_platform/quality_metrics")
                .where("product = 'customer_balances' AND row_type = 'metric'").collectAsList().stream()
                .map(r -> r.<String>getAs("metric_name") + "(" + r.<String>getAs("instance") + ")").sorted().toList();
        assertThat(metrics).containsExactly("Completeness(custkey)", "Compliance(satisfies(every_customer_ordered))",
                "Minimum(acctbal)", "QuarantineRate(*)", "Size(*)", "Uniqueness(custkey)");
    }

    @Test
    @Order(6)
    void runningTheMeshAgainPublishesNothingNewAndLosesNothing() {
        CliHarness.Result again = CliHarness.run("--platform", CliHarness.EXAMPLES.toString(), "--storage-root",
                root.toString(), "run", "--all");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("9 products: 0 published, 9 up to date, 0 not published");
        assertThat(product("sales/products/orders").count()).isEqualTo(3000);
        assertThat(product("customer/products/customers").count()).isEqualTo(300);
        assertThat(product("_platform/runs").where("status = 'UP_TO_DATE'").count()).isEqualTo(9);
    }

    /** The lineage a run finds on the plan it executes is the one validation derives from the specs alone. */
    @Test
    @Order(6)
    void aRunsColumnLineageIsTheOneValidationDerives() throws Exception {
        CliHarness.Result run = CliHarness.run("--platform", CliHarness.EXAMPLES.toString(), "--storage-root",
                root.toString(), "run", "finance.revenue_by_nation", "--full-refresh", "--output", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(run.out().strip().lines().reduce((a, b) -> b).orElseThrow());
        Map<String, List<String>> found = new java.util.LinkedHashMap<>();
        result.get("columns").fields()
                .forEachRemaining(column -> found.put(column.getKey(), described(column.getValue())));
        found.put("rows", described(result.get("rows_decided_by")));

        SpecLoad load = new SpecLoader(CliHarness.HOME).load(CliHarness.EXAMPLES, java.util.Optional.empty());
        MeshSpec mesh = load.mesh().orElseThrow(() -> new AssertionError(load.problems().toString()));
        ColumnLineage declared = new ColumnFlow(mesh.products(), SqlSyntax.load())
                .lineage(ProductId.parse("finance.revenue_by_nation")).orElseThrow();
        Map<String, List<String>> expected = new java.util.LinkedHashMap<>();
        declared.columns().forEach((column, sources) -> expected.put(column, described(sources)));
        expected.put("rows", described(declared.rows()));
        assertThat(found).isEqualTo(expected);
        assertThat(found.get("nation")).containsExactly("nations.nation identity");
    }

    private static List<String> described(JsonNode sources) {
        List<String> out = new java.util.ArrayList<>();
        sources.forEach(s -> out.add(s.get("input").asText() + "." + s.get("column").asText() + " "
                + s.get("how").asText().replace('_', ' ')));
        return out.stream().sorted().toList();
    }

    private static List<String> described(List<ColumnSource> sources) {
        return sources.stream().map(s -> s.input() + "." + s.column() + " " + s.how().specName()).sorted().toList();
    }

    @Test
    @Order(7)
    void aFullRefreshOfAMergeProductRebuildsItFromAllItsFiles() {
        CliHarness.Result refreshed = CliHarness.run("--platform", CliHarness.EXAMPLES.toString(), "--storage-root",
                root.toString(), "run", "sales.orders", "--full-refresh");
        assertThat(refreshed.exitCode()).as(refreshed.err()).isZero();
        assertThat(refreshed.out()).containsPattern("sales +orders +PUBLISHED +3003 +3000 +3 +9/0 +1 ");
        assertThat(product("sales/products/orders").count()).isEqualTo(3000);
        // the three broken lines were quarantined by the first run: a rebuild does not add them again
        assertThat(product("sales/quarantine/orders").count()).isEqualTo(3);
    }

    @Test
    @Order(8)
    void runsAndMetricsCommandsShowTheLedger() {
        CliHarness.Result runs = CliHarness.run("--platform", CliHarness.EXAMPLES.toString(), "--storage-root",
                root.toString(), "runs", "--limit", "3");
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        List<String> lines = runs.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).contains("sales.orders", "PUBLISHED", "3003", "3000");

        CliHarness.Result metrics = CliHarness.run("--platform", CliHarness.EXAMPLES.toString(), "--storage-root",
                root.toString(), "metrics", "finance.customer_balances");
        assertThat(metrics.exitCode()).as(metrics.err()).isZero();
        assertThat(metrics.out()).containsPattern("min\\(acctbal\\) +WARNING +failed +Minimum +-\\d+\\.\\d+ +value -\\d+");
        assertThat(metrics.out()).containsPattern("(?m)^unique\\(custkey\\) +ERROR +passed +Uniqueness +1$");
    }

    @Test
    @Order(9)
    void theCatalogShowsWhatAConsumerMayReadAndHowItFares() throws Exception {
        CliHarness.Result text = CliHarness.run("--platform", CliHarness.EXAMPLES.toString(), "--storage-root",
                root.toString(), "catalog", "--as", "sales", "--search", "customer");
        assertThat(text.exitCode()).as(text.out() + text.err()).isZero();
        assertThat(text.out()).contains("customer.customers 1.0.0  owner customer-data@example.com  for sales, finance",
                "  One row per customer, as the CRM knows them.",
                "phone string (pii, redacted outside the domain)", "  read: customer.customers (mesh sql), ")
                .containsPattern("SLA (met|at risk|breached); last published \\d{4}-\\d\\d-\\d\\d .* UTC; quality "
                        + "score \\d\\.\\d\\d")
                // visible to its own domain only, so not to sales
                .doesNotContain("finance.customer_balances");

        CliHarness.Result json = CliHarness.run("--platform", CliHarness.EXAMPLES.toString(), "--storage-root",
                root.toString(), "catalog", "--domain", "sales", "--output", "json");
        assertThat(json.exitCode()).as(json.out() + json.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode entries = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json.out());
        assertThat(entries).extracting(e -> e.get("product").asText()).containsExactly("sales.lineitems",
                "sales.orders");
        assertThat(entries.get(1).get("keys").get(0).asText()).isEqualTo("orderkey");
        assertThat(entries.get(1).get("lastPublished").asText()).isNotEmpty();
        assertThat(entries.get(1).get("path").asText()).endsWith("sales/products/orders");
    }

    private static org.apache.spark.sql.Dataset<Row> product(String relative) {
        return spark.read().format("delta").load(root.resolve(relative).toString());
    }
}
