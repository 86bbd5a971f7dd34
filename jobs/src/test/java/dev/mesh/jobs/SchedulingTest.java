package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What schedulers and operators rely on: the plan, parallel runs in input order, JSON lines, usage. */
class SchedulingTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void planShowsTheExampleMeshInWaves() {
        CliHarness.Result plan = CliHarness.run("--platform", CliHarness.EXAMPLES.toString(), "plan");
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.out()).isEqualTo("""
                wave 1:
                  customer.customer_accounts  <- files of crm.customer_changes (csv)
                  customer.customers          <- files of crm.customers (csv)
                  customer.latest_change      <- files of crm.customer_changes (csv)
                  customer.nations            <- files of reference.nations (parquet), files of reference.regions (json)
                  sales.lineitems             <- files of erp.lineitems (json)
                  sales.orders                <- files of erp.orders (csv)
                wave 2:
                  customer.segment_history    <- customer.customer_accounts
                  finance.customer_balances   <- customer.customers, customer.nations, sales.orders
                  finance.revenue_by_nation   <- sales.orders, sales.lineitems, customer.customers, customer.nations
                9 products in 2 waves; at most 6 can run at once (mesh run --all --parallel 6)
                """);
    }

    @Test
    void parallelRunsInInputOrderWithJsonLines() throws Exception {
        TestMesh mesh = threeProducts();
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        mesh.land("shop", "returns", "day1.csv", "order_id,amount\n2,20.00\n");
        CliHarness.Result result = ShopMesh.run(mesh, "run", "--all", "--parallel", "2", "--output", "json");
        assertThat(result.exitCode()).as(result.err()).isZero();

        List<JsonNode> lines = lines(result.out());
        Map<String, JsonNode> byProduct = lines.stream().collect(Collectors.toMap(
                l -> l.get("domain").asText() + "." + l.get("product").asText(), l -> l));
        assertThat(byProduct).containsOnlyKeys("shop.orders", "shop.returns", "shop.net");
        assertThat(byProduct.values()).allSatisfy(l -> {
            assertThat(l.get("status").asText()).isEqualTo("PUBLISHED");
            assertThat(l.get("exit_code").asInt()).isZero();
            assertThat(l.get("run_id").asText()).isNotEmpty();
        });
        assertThat(byProduct.get("shop.net").get("rows_out").asLong()).isEqualTo(1);
        // the consumer starts after both of its inputs finished; the two inputs ran at the same time
        JsonNode orders = byProduct.get("shop.orders");
        JsonNode returns = byProduct.get("shop.returns");
        Instant netStart = Instant.parse(byProduct.get("shop.net").get("started_at").asText());
        assertThat(netStart).isAfterOrEqualTo(Instant.parse(orders.get("finished_at").asText()))
                .isAfterOrEqualTo(Instant.parse(returns.get("finished_at").asText()));
        assertThat(Instant.parse(orders.get("started_at").asText()))
                .isBefore(Instant.parse(returns.get("finished_at").asText()));
        assertThat(Instant.parse(returns.get("started_at").asText()))
                .isBefore(Instant.parse(orders.get("finished_at").asText()));
    }

    @Test
    void aGateFailureSkipsItsConsumersAndRunsTheRest() throws Exception {
        TestMesh mesh = threeProducts();
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,LOST\n");
        mesh.land("shop", "returns", "day1.csv", "order_id,amount\n2,20.00\n");
        CliHarness.Result result = ShopMesh.run(mesh, "run", "--all", "--parallel", "2", "--output", "json");
        assertThat(result.exitCode()).isEqualTo(3);
        Map<String, String> statuses = lines(result.out()).stream().collect(Collectors.toMap(
                l -> l.get("product").asText(), l -> l.get("status").asText() + "/" + l.get("exit_code").asInt()));
        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(
                "orders", "GATE_FAILED/3", "returns", "PUBLISHED/0", "net", "SKIPPED/1"));
    }

    @Test
    void usageRecordsWhatRunsCostAndWhatZonesHold() {
        TestMesh mesh = threeProducts();
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        mesh.land("shop", "returns", "day1.csv", "order_id,amount\n2,20.00\n");
        assertThat(ShopMesh.run(mesh, "run", "--all").exitCode()).isZero();
        QualityGateTest.table(mesh, "_platform/usage").where("kind = 'run' AND product = 'orders'").collectAsList()
                .forEach(row -> {
                    // everything Spark read for the run: the two landing rows and the Delta logs it consulted
                    assertThat(row.<Long>getAs("records_read")).isGreaterThanOrEqualTo(2);
                    assertThat(row.<Long>getAs("bytes_read")).isPositive();
                    assertThat(row.<Long>getAs("cpu_ms")).isPositive();
                    assertThat(row.<Long>getAs("files_written")).isPositive();
                    assertThat(row.<Long>getAs("records_written")).isGreaterThanOrEqualTo(2);
                });
        CliHarness.Result usage = ShopMesh.run(mesh, "usage", "shop");
        assertThat(usage.exitCode()).as(usage.err()).isZero();
        assertThat(usage.out()).containsPattern("(?m)^shop +landing +2 +\\d+ B$");
        assertThat(usage.out()).containsPattern("(?m)^shop +products +\\d+ +\\d+\\.\\d KiB$");
        assertThat(usage.out()).containsPattern("shop\\.orders +\\d+\\.\\ds +\\d+\\.\\ds +\\d+(\\.\\d KiB| B) +\\d+ ");
    }

    /** shop.orders and shop.returns from two sources, and shop.net reading both. */
    private TestMesh threeProducts() {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        mesh.domain("shop", ShopMesh.DOMAIN + "  - { name: pos.returns, landing: returns }\n");
        ProductYaml.product("shop", "returns")
                .files("pos", "{ source: pos.returns, format: csv, options: { header: \"true\" } }")
                .schema(ProductYaml.ORDER_COLUMNS.subList(0, 2)).writeTo(mesh);
        ProductYaml.product("shop", "net").reads("orders", "shop.orders").reads("returns", "shop.returns")
                .sql("SELECT o.order_id, o.amount FROM orders o LEFT ANTI JOIN returns r USING (order_id)")
                .schema("{ name: order_id, type: bigint }", "{ name: amount, type: \"decimal(10,2)\" }")
                .writeTo(mesh);
        return mesh;
    }

    private static List<JsonNode> lines(String out) throws Exception {
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : out.lines().toList()) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }
}
