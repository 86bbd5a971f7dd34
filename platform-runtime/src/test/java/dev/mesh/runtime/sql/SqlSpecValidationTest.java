package dev.mesh.runtime.sql;

import static dev.mesh.spec.testing.SpecFixture.ORDERS_FILE;
import static dev.mesh.spec.testing.SpecFixture.REVENUE;
import static dev.mesh.spec.testing.SpecFixture.REVENUE_FILE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.SpecFixture;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQL in specs, as {@code mesh validate} checks it with Spark's parser (no session): a sql transform is exactly one
 * query over its inputs; rule expressions see only their row.
 */
class SqlSpecValidationTest {
    @TempDir
    Path dir;
    TestMesh mesh;
    SpecFixture fixture;

    @BeforeEach
    void validMesh() {
        fixture = SpecFixture.in(dir);
        mesh = fixture.mesh();
    }

    @Test
    void sqlThatWritesIsNotAQuery() {
        editRevenue("sql: SELECT status, sum(amount) AS revenue FROM orders GROUP BY status",
                "sql: INSERT INTO delta.`/tmp/zones/shop/products/orders` SELECT 666, 1, 'pwned'");
        assertProblems(at(REVENUE_FILE, "sql:", "transform.sql: must be a query (SELECT, WITH ... SELECT, VALUES or "
                + "TABLE); INSERT statements are not allowed: a product's query reads only its declared inputs"));
    }

    @Test
    void sqlStatementsThatAreNotQueries() {
        for (String statement : List.of("INSERT OVERWRITE DIRECTORY '/tmp/out' SELECT * FROM orders",
                "CREATE TABLE t USING delta LOCATION '/tmp/out' AS SELECT * FROM orders", "DROP TABLE shop.orders",
                "DELETE FROM shop.orders WHERE order_id = 1", "UPDATE shop.orders SET amount = 0",
                "MERGE INTO shop.orders t USING orders s ON t.order_id = s.order_id WHEN MATCHED THEN DELETE",
                "SET spark.sql.runSQLOnFiles=true", "RESET", "ADD JAR /tmp/evil.jar",
                "CREATE FUNCTION f AS 'Evil' USING JAR '/tmp/evil.jar'", "CACHE TABLE c AS SELECT * FROM orders",
                "USE shop", "ALTER TABLE shop.orders SET TBLPROPERTIES ('a' = 'b')", "REFRESH TABLE shop.orders",
                "WITH o AS (SELECT * FROM orders) INSERT INTO shop.orders SELECT * FROM o")) {
            mesh.product("finance", "revenue", REVENUE.replace(
                    "SELECT status, sum(amount) AS revenue FROM orders GROUP BY status", "\"" + statement + "\""));
            assertThat(problems()).as(statement).singleElement().asString()
                    .startsWith(REVENUE_FILE + ":11: transform.sql: must be a query (SELECT, WITH ... SELECT, VALUES "
                            + "or TABLE); ")
                    .endsWith(" statements are not allowed: a product's query reads only its declared inputs");
        }
    }

    @Test
    void identifierClausesAreCheckedAsTheNamesTheyStandFor() {
        for (String[] query : new String[][] {
                {"SELECT * FROM IDENTIFIER('crm.customers')", "reads 'crm.customers', which is not an input"},
                {"SELECT IDENTIFIER('java_method')('java.lang.System', 'exit', 1) FROM orders",
                        "calls java_method(), which runs Java methods by name"},
                {"SELECT * FROM IDENTIFIER(concat('crm.', 'customers'))",
                        "IDENTIFIER(concat('crm.', 'customers')) does not name a constant"}}) {
            mesh.product("finance", "revenue", REVENUE.replace(
                    "SELECT status, sum(amount) AS revenue FROM orders GROUP BY status", "\"" + query[0] + "\""));
            assertThat(problems()).as(query[0]).singleElement().asString().contains("transform.sql: " + query[1]);
        }
        mesh.product("finance", "revenue", REVENUE.replace("FROM orders", "FROM IDENTIFIER('orders')"));
        assertThat(problems()).isEmpty();
    }

    @Test
    void aWithNameIsKnownOnlyInsideItsWith() {
        mesh.product("finance", "revenue", REVENUE.replace(
                "SELECT status, sum(amount) AS revenue FROM orders GROUP BY status",
                "\"SELECT x.status, sum(x.amount) AS revenue FROM (WITH o AS (SELECT * FROM orders) SELECT * FROM o) x "
                        + "JOIN o ON x.status = o.status GROUP BY x.status\""));
        assertThat(problems()).singleElement().asString().contains("transform.sql: reads 'o', which is not an input "
                + "of this product");
        mesh.product("finance", "revenue", REVENUE.replace(
                "SELECT status, sum(amount) AS revenue FROM orders GROUP BY status",
                "\"WITH a AS (SELECT * FROM b), b AS (SELECT * FROM orders) SELECT status, sum(amount) AS revenue "
                        + "FROM a GROUP BY status\""));
        assertThat(problems()).singleElement().asString().contains("transform.sql: reads 'b', which is not an input");
        mesh.product("finance", "revenue", REVENUE.replace(
                "SELECT status, sum(amount) AS revenue FROM orders GROUP BY status",
                "\"WITH b AS (SELECT * FROM orders), a AS (SELECT * FROM b) SELECT status, sum(amount) AS revenue "
                        + "FROM a GROUP BY status\""));
        assertThat(problems()).isEmpty();
    }

    @Test
    void sqlWithSeveralStatements() {
        editRevenue("GROUP BY status", "GROUP BY status; DROP TABLE shop.orders");
        assertProblems(at(REVENUE_FILE, "sql:", "transform.sql: must be exactly one query, with nothing after it: "
                + "Syntax error at or near 'DROP': extra input 'DROP'. (line 1, pos 67)"));
    }

    @Test
    void sqlThatIsNotValid() {
        editRevenue("GROUP BY status", "GROUP BY");
        assertProblems(at(REVENUE_FILE, "sql:", "transform.sql: is not valid Spark SQL: Syntax error at or near "
                + "end of input. (line 1, pos 58)"));
    }

    @Test
    void sqlThatReadsFilesByPath() {
        editRevenue("FROM orders", "FROM delta.`/tmp/zones/shop/products/orders`");
        assertProblems(at(REVENUE_FILE, "sql:", "transform.sql: reads files at '/tmp/zones/shop/products/orders' by "
                + "path (delta.`...`); a product's query reads only its declared inputs: read them through an input"));
    }

    @Test
    void sqlThatReadsATableThatIsNotAnInput() {
        editRevenue("FROM orders GROUP BY status", "FROM orders WHERE status IN (SELECT status FROM shop.order) "
                + "GROUP BY status");
        assertProblems(at(REVENUE_FILE, "sql:", "transform.sql: reads 'shop.order', which is not an input of this "
                + "product; did you mean 'orders'?; a product's query reads only its declared inputs: declare it under "
                + "inputs (another product: - { name: NAME, product: DOMAIN.PRODUCT }) and read it by its input name"));
    }

    @Test
    void sqlMayNameWhatItsWithClauseDefines() {
        editRevenue("sql: SELECT status, sum(amount) AS revenue FROM orders GROUP BY status",
                "sql: WITH paid AS (SELECT * FROM orders WHERE status = 'PAID') SELECT status, sum(amount) AS revenue "
                        + "FROM paid JOIN range(3) r ON r.id >= 0 GROUP BY status");
        assertThat(problems()).isEmpty();
    }

    @Test
    void sqlThatRunsProgramsOrJavaMethods() {
        editRevenue("sql: SELECT status, sum(amount) AS revenue FROM orders GROUP BY status",
                "sql: SELECT TRANSFORM(status, reflect('java.lang.System', 'getenv', 'HOME')) USING 'sh -c id' "
                        + "AS (status, revenue) FROM orders");
        assertProblems(at(REVENUE_FILE, "sql:", "transform.sql: runs a program (TRANSFORM ... USING); it is not "
                        + "allowed in SQL of a spec"),
                at(REVENUE_FILE, "sql:", "transform.sql: calls reflect(), which runs Java methods by name; it is not "
                        + "allowed in SQL of a spec"));
    }

    @Test
    void sqlThatCallsATableFunctionThatReads() {
        editRevenue("FROM orders", "FROM orders, read_files('/tmp/zones')");
        assertProblems(at(REVENUE_FILE, "sql:", "transform.sql: calls the table function read_files(), which is not "
                + "allowed in a product's query; allowed: range, explode, explode_outer, inline, inline_outer, "
                + "json_tuple, posexplode, posexplode_outer, stack"));
    }

    @Test
    void ruleExpressionsSeeOnlyTheirRow() {
        editOrders("- { check: min, column: amount, atLeast: 0 }", "- { check: satisfies, name: known, sql: "
                + "\"order_id IN (SELECT order_id FROM shop.orders)\" }\n"
                + "    - { check: satisfies, name: env, sql: \"java_method('java.lang.System', 'getenv', 'HOME') IS NULL\" }");
        assertProblems(at(ORDERS_FILE, "name: known", "quality.checks[1].sql: holds a subquery; a rule sees only the "
                        + "columns of its own row"),
                at(ORDERS_FILE, "name: env", "quality.checks[2].sql: calls java_method(), which runs Java methods by "
                        + "name; it is not allowed in SQL of a spec"));
    }

    @Test
    void theExpressionsThatMakeAKeptMajorsColumnsSeeOnlyTheirRow() {
        editOrders("version: 1.0.0", "version: 2.0.0\nversions:\n  1: { until: 2027-03-01, columns: { status: "
                + "\"java_method('java.lang.System', 'exit', 0)\", amount: \"(SELECT max(amount) FROM orders)\" } }");
        assertThat(problems()).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("versions.1.columns.status: calls java_method()"))
                .anySatisfy(p -> assertThat(p).contains("versions.1.columns.amount: holds a subquery"));
    }

    private List<String> problems() {
        return fixture.problems();
    }

    private void assertProblems(String... expected) {
        assertThat(problems()).containsExactly(expected);
    }

    private void editOrders(String from, String to) {
        fixture.edit(ORDERS_FILE, from, to);
    }

    private void editRevenue(String from, String to) {
        fixture.edit(REVENUE_FILE, from, to);
    }

    private String at(String file, String anchor, String message) {
        return fixture.at(file, anchor, message);
    }
}
