package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.SpecLoad;
import dev.mesh.spec.SpecLoader;
import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.ColumnSource;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.spi.SqlSyntax;
import dev.mesh.spec.validation.ColumnFlow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The column lineage of the example mesh's nine products, as validation finds it from the specs (no Spark session),
 * against what reading each spec by hand gives: one line per output column with its direct sources, then the
 * columns that decide the rows.
 */
class ExampleMeshColumnLineageTest {
    @Test
    void everyProductsColumnsComeFromWhereItsSpecSays() {
        SpecLoad load = new SpecLoader(CliHarness.HOME).load(CliHarness.EXAMPLES, Optional.empty());
        MeshSpec mesh = load.mesh().orElseThrow(() -> new AssertionError(load.problems().toString()));
        ColumnFlow flow = new ColumnFlow(mesh.products(), SqlSyntax.load());
        Map<String, List<String>> expected = Map.of(
                "customer.customers", identities("crm_customers", "custkey", "name", "address", "nationkey",
                        "phone", "acctbal", "mktsegment", "comment"),
                "customer.customer_accounts", identities("changes", "custkey", "name", "nationkey", "acctbal",
                        "mktsegment", "changed_at"),
                "customer.latest_change", identities("changes", "custkey", "op", "changed_at"),
                "customer.nations", List.of(
                        "nationkey <- nation.nationkey identity",
                        "nation <- nation.name identity",
                        "region <- region.name identity",
                        "rows <- nation.regionkey join, region.regionkey join"),
                "customer.segment_history", List.of(
                        "custkey <- accounts.custkey identity",
                        "mktsegment <- accounts.mktsegment identity",
                        "valid_from <- accounts.changed_at transformation",
                        "valid_to <- accounts.changed_at transformation",
                        "is_current <- accounts.changed_at transformation"),
                "finance.customer_balances", List.of(
                        "custkey <- customers.custkey identity",
                        "name <- customers.name identity",
                        "nation <- nations.nation identity",
                        "acctbal <- customers.acctbal identity",
                        "orders <- orders.orderkey aggregation",
                        "ordered_value <- orders.totalprice aggregation",
                        "rows <- customers.acctbal group by, customers.custkey group by, customers.custkey join, "
                                + "customers.name group by, customers.nationkey join, nations.nation group by, "
                                + "nations.nationkey join, orders.custkey join"),
                "finance.revenue_by_nation", List.of(
                        "region <- nations.region identity",
                        "nation <- nations.nation identity",
                        "order_year <- orders.orderdate transformation",
                        "orders <- orders.orderkey aggregation",
                        "revenue <- lineitems.discount aggregation, lineitems.extendedprice aggregation",
                        "rows <- customers.custkey join, customers.nationkey join, lineitems.orderkey join, "
                                + "nations.nation group by, nations.nationkey join, nations.region group by, "
                                + "orders.custkey join, orders.orderdate group by, orders.orderkey join"),
                "sales.lineitems", identities("erp_lineitems", "orderkey", "partkey", "suppkey", "linenumber",
                        "quantity", "extendedprice", "discount", "tax", "returnflag", "linestatus", "shipdate",
                        "commitdate", "receiptdate", "shipmode"),
                "sales.orders", identities("erp_orders", "orderkey", "custkey", "orderstatus", "totalprice",
                        "orderdate", "orderpriority", "clerk", "shippriority", "comment"));
        assertThat(mesh.products()).hasSize(9);
        expected.forEach((product, lines) -> {
            ColumnLineage lineage = flow.lineage(ProductId.parse(product)).orElseThrow(
                    () -> new AssertionError("no lineage for " + product));
            assertThat(describe(lineage)).as(product).containsExactlyElementsOf(lines);
        });
    }

    private static List<String> identities(String input, String... columns) {
        List<String> lines = new ArrayList<>();
        for (String column : columns) {
            lines.add(column + " <- " + input + "." + column + " identity");
        }
        return lines;
    }

    private static List<String> describe(ColumnLineage lineage) {
        List<String> lines = new ArrayList<>();
        lineage.columns().forEach((column, sources) -> lines.add(column + " <- " + sources(sources)));
        if (!lineage.rows().isEmpty()) {
            lines.add("rows <- " + sources(lineage.rows()));
        }
        return lines;
    }

    private static String sources(List<ColumnSource> sources) {
        return String.join(", ", sources.stream().map(s -> s.input() + "." + s.column() + " " + s.how().specName())
                .sorted().toList());
    }
}
