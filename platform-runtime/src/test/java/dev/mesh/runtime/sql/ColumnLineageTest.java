package dev.mesh.runtime.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.ColumnSource;
import dev.mesh.spec.model.ColumnSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Column lineage of SQL shapes, derived by hand, found twice: on the plan a run analyses (temporary views over real
 * DataFrames, a Spark session) and on the plan validation analyses (the declared columns, no session). Both must be
 * the same, and what is written here.
 */
class ColumnLineageTest {
    static final Map<String, List<ColumnSpec>> INPUTS = new LinkedHashMap<>();

    static {
        INPUTS.put("customers", List.of(column("customer_id", "bigint"), column("name", "string"),
                column("email", "string"), column("tags", "array<string>"),
                column("address", "struct<city:string,zip:string>")));
        INPUTS.put("orders", List.of(column("order_id", "bigint"), column("customer_id", "bigint"),
                column("amount", "double"), column("status", "string")));
    }

    @Test
    void copiedAndRenamedColumnsAreIdentities() {
        assertLineage("SELECT customer_id, email AS contact FROM customers", Map.of(
                "customer_id", List.of("customers.customer_id identity"),
                "contact", List.of("customers.email identity")), List.of());
    }

    /** The platform conforms every output column with a cast to its declared type: to the same type it copies. */
    @Test
    void aCastToTheTypeAValueHasIsACopy() {
        assertLineage("SELECT CAST(name AS string) AS name, CAST(customer_id AS string) AS id FROM customers", Map.of(
                "name", List.of("customers.name identity"),
                "id", List.of("customers.customer_id transformation")), List.of());
    }

    @Test
    void expressionsTransform() {
        assertLineage("SELECT upper(name) AS n, concat(name, ' ', email) AS ne, address.city AS city FROM customers",
                Map.of("n", List.of("customers.name transformation"),
                        "ne", List.of("customers.email transformation", "customers.name transformation"),
                        "city", List.of("customers.address transformation")), List.of());
    }

    @Test
    void joinsCarryBothSidesAndTheirKeysDecideRows() {
        assertLineage("SELECT o.order_id, c.email FROM orders o JOIN customers c ON o.customer_id = c.customer_id "
                + "WHERE o.status = 'paid'", Map.of(
                "order_id", List.of("orders.order_id identity"),
                "email", List.of("customers.email identity")),
                List.of("customers.customer_id join", "orders.customer_id join", "orders.status filter"));
    }

    @Test
    void aggregatesAggregate() {
        assertLineage("SELECT customer_id, collect_list(email) AS emails, concat_ws(',', collect_list(name)) AS names, "
                + "count(*) AS n FROM customers GROUP BY customer_id", Map.of(
                "customer_id", List.of("customers.customer_id identity"),
                "emails", List.of("customers.email aggregation"),
                "names", List.of("customers.name aggregation"),
                "n", List.of()), List.of("customers.customer_id group by"));
    }

    @Test
    void caseTakesItsConditionsAndBranches() {
        assertLineage("SELECT CASE WHEN amount > 10 THEN status ELSE 'low' END AS s FROM orders", Map.of(
                "s", List.of("orders.amount transformation", "orders.status transformation")), List.of());
    }

    @Test
    void structsAndArraysBuiltOfColumnsCarryThem() {
        assertLineage("SELECT named_struct('e', email) AS s, array(name, email) AS a FROM customers", Map.of(
                "s", List.of("customers.email transformation"),
                "a", List.of("customers.email transformation", "customers.name transformation")), List.of());
        // a field of a struct built in the query: the whole struct's sources (wider than the data flow, never narrower)
        assertLineage("SELECT s.e AS x FROM (SELECT named_struct('e', email, 'n', name) AS s FROM customers)", Map.of(
                "x", List.of("customers.email transformation", "customers.name transformation")), List.of());
    }

    @Test
    void unionTakesEveryBranch() {
        assertLineage("SELECT email AS v FROM customers UNION ALL SELECT status FROM orders", Map.of(
                "v", List.of("customers.email identity", "orders.status identity")), List.of());
    }

    @Test
    void windowsAggregateAndTheirPartitionsDecideRows() {
        assertLineage("SELECT order_id, sum(amount) OVER (PARTITION BY customer_id ORDER BY order_id) AS running, "
                + "lag(status) OVER (PARTITION BY customer_id ORDER BY order_id) AS previous FROM orders", Map.of(
                "order_id", List.of("orders.order_id identity"),
                "running", List.of("orders.amount aggregation"),
                "previous", List.of("orders.status transformation")),
                List.of("orders.customer_id window", "orders.order_id window"));
    }

    @Test
    void scalarSubqueriesCarryWhatTheySelect() {
        assertLineage("SELECT order_id, (SELECT max(email) FROM customers c WHERE c.customer_id = o.customer_id) AS e "
                + "FROM orders o", Map.of(
                "order_id", List.of("orders.order_id identity"),
                "e", List.of("customers.email aggregation")), List.of("customers.customer_id filter"));
    }

    @Test
    void commonTableExpressionsUsedTwice() {
        assertLineage("WITH c AS (SELECT customer_id, lower(email) AS e FROM customers) "
                + "SELECT a.e AS mail, b.customer_id FROM c a JOIN c b ON a.customer_id = b.customer_id", Map.of(
                "mail", List.of("customers.email transformation"),
                "customer_id", List.of("customers.customer_id identity")), List.of("customers.customer_id join"));
    }

    @Test
    void lateralViewExplodes() {
        assertLineage("SELECT customer_id, tag FROM customers LATERAL VIEW explode(tags) t AS tag", Map.of(
                "customer_id", List.of("customers.customer_id identity"),
                "tag", List.of("customers.tags transformation")), List.of());
    }

    @Test
    void selfJoinsKeepTheirSidesApart() {
        assertLineage("SELECT a.email AS e1, b.name AS n2 FROM customers a JOIN customers b "
                + "ON a.customer_id = b.customer_id", Map.of(
                "e1", List.of("customers.email identity"),
                "n2", List.of("customers.name identity")), List.of("customers.customer_id join"));
    }

    @Test
    void starAndLiterals() {
        assertLineage("SELECT *, 1 AS one, current_date() AS today FROM orders", Map.of(
                "order_id", List.of("orders.order_id identity"),
                "customer_id", List.of("orders.customer_id identity"),
                "amount", List.of("orders.amount identity"),
                "status", List.of("orders.status identity"),
                "one", List.of(),
                "today", List.of()), List.of());
    }

    @Test
    void groupingSetsCarryTheirColumns() {
        assertLineage("SELECT status, customer_id, sum(amount) AS total FROM orders GROUP BY ROLLUP(status, customer_id)",
                Map.of("status", List.of("orders.status identity"),
                        "customer_id", List.of("orders.customer_id identity"),
                        "total", List.of("orders.amount aggregation")),
                List.of("orders.customer_id group by", "orders.status group by"));
    }

    /** Both ways of finding the lineage give {@code columns} and {@code rows}. */
    static void assertLineage(String sql, Map<String, List<String>> columns, List<String> rows) {
        ColumnLineage declared = new CatalystSqlSyntax().queryLineage(sql, INPUTS).orElseThrow(
                () -> new AssertionError("no lineage at validation for " + sql));
        ColumnLineage analysed = PlanColumnLineage.of(runPlan(sql), INPUTS.keySet());
        for (ColumnLineage lineage : List.of(declared, analysed)) {
            assertThat(lineage.columns().keySet()).as(sql).containsExactlyInAnyOrderElementsOf(columns.keySet());
            columns.forEach((name, expected) -> assertThat(described(lineage.columns().get(name)))
                    .as(sql + ": " + name).isEqualTo(expected));
            assertThat(described(lineage.rows())).as(sql + ": rows").isEqualTo(rows);
        }
    }

    static org.apache.spark.sql.catalyst.plans.logical.LogicalPlan runPlan(String sql) {
        SparkSession spark = SharedSpark.session();
        INPUTS.forEach((name, declared) -> {
            List<StructField> fields = new ArrayList<>();
            declared.forEach(c -> fields.add(new StructField(c.name(), DataType.fromDDL(c.type()), true,
                    org.apache.spark.sql.types.Metadata.empty())));
            spark.createDataFrame(List.<Row>of(), new StructType(fields.toArray(StructField[]::new)))
                    .createOrReplaceTempView(name);
        });
        return spark.sql(sql).queryExecution().analyzed();
    }

    static List<String> described(List<ColumnSource> sources) {
        return sources.stream().map(s -> s.input() + "." + s.column() + " " + s.how().specName()).sorted()
                .collect(Collectors.toList());
    }

    static ColumnSpec column(String name, String type) {
        return new ColumnSpec(name, type, false, "", "");
    }
}
