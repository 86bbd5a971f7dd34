package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jdbc input against a real PostgreSQL server on loopback (the server's own binaries, started by the test):
 * PostgreSQL's types arrive as declared (numeric, timestamptz, non-ASCII text, NULLs); a product that merges or
 * appends reads only the rows above the high-water mark it published, which travels in the same Delta commit as the
 * rows, so a blocked run re-reads its rows next time and nothing is read twice; connection details never show.
 */
class JdbcIngestTest {
    private static final String PASSWORD = "pg-Secret-4711";
    private static final String CRM_DOMAIN = """
            apiVersion: mesh/v1
            kind: Domain
            name: crm
            owners: [crm@example.com]
            """;
    private static final List<String> COLUMNS = List.of(
            "{ name: id, type: bigint, required: true }",
            "{ name: name, type: string }",
            "{ name: balance, type: \"decimal(12,2)\" }",
            "{ name: updated_at, type: timestamp }");

    private static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void freshTable() {
        sql("DROP TABLE IF EXISTS customers",
                "CREATE TABLE customers (id bigint PRIMARY KEY, name text, balance numeric(12,2), "
                        + "updated_at timestamptz)",
                "INSERT INTO customers VALUES "
                        + "(1, 'Zoë Müller', 10.50, '2026-11-01 10:00:00+00'), "
                        + "(2, '東京 商事', NULL, '2026-11-01 11:00:00+01'), "
                        + "(3, NULL, 0.01, '2026-11-01 12:00:00.123456+00'), "
                        + "(4, 'no watermark yet', 4.00, NULL)");
    }

    @Test
    void aMergeProductReadsOnlyRowsAboveItsPublishedMarkWithPostgresTypesIntact() {
        TestMesh mesh = customers("merge", "watermark: updated_at, partitionColumn: id, numPartitions: 3", "");

        CliHarness.Result first = run(mesh, "run", "crm.customers");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(rows(mesh)).containsExactly(
                "[1,Zoë Müller,10.50,2026-11-01 10:00:00.0]",
                "[2,東京 商事,null,2026-11-01 10:00:00.0]",
                "[3,null,0.01,2026-11-01 12:00:00.123456]",
                "[4,no watermark yet,4.00,null]");

        CliHarness.Result unchanged = run(mesh, "run", "crm.customers");
        assertThat(unchanged.exitCode()).as(unchanged.out() + unchanged.err()).isZero();
        assertThat(unchanged.out()).contains("UP_TO_DATE");

        sql("UPDATE customers SET balance = 5.00, updated_at = '2026-11-02 09:00:00+00' WHERE id = 2",
                "INSERT INTO customers VALUES (5, 'Ørsted', 7.25, '2026-11-02 10:00:00+00')",
                // written with an old watermark: below the published mark, so never read by an incremental run
                "INSERT INTO customers VALUES (6, 'late writer', 1.00, '2026-10-01 00:00:00+00')");
        CliHarness.Result second = run(mesh, "run", "crm.customers");
        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(rows(mesh)).containsExactly(
                "[1,Zoë Müller,10.50,2026-11-01 10:00:00.0]",
                "[2,東京 商事,5.00,2026-11-02 09:00:00.0]",
                "[3,null,0.01,2026-11-01 12:00:00.123456]",
                "[4,no watermark yet,4.00,null]",
                "[5,Ørsted,7.25,2026-11-02 10:00:00.0]");
        assertThat(readByLastRun(mesh)).isEqualTo(2);

        // a full refresh reads everything again, the late writer included, and publishes the new mark with it
        CliHarness.Result full = run(mesh, "run", "crm.customers", "--full-refresh");
        assertThat(full.exitCode()).as(full.out() + full.err()).isZero();
        assertThat(rows(mesh)).hasSize(6);
        assertThat(run(mesh, "run", "crm.customers").out()).contains("UP_TO_DATE");
    }

    @Test
    void aBlockedRunPublishesNoMarkSoTheNextRunReadsItsRowsAgainAndNothingTwice() {
        TestMesh mesh = customers("append", "watermark: updated_at",
                "checks:\n  - { check: min, column: balance, atLeast: 0 }");
        assertThat(run(mesh, "run", "crm.customers").exitCode()).isZero();
        assertThat(rows(mesh)).hasSize(4);

        sql("INSERT INTO customers VALUES (7, 'overdrawn', -3.00, '2026-11-03 10:00:00+00'), "
                + "(8, 'fine', 3.00, '2026-11-03 11:00:00+00')");
        CliHarness.Result blocked = run(mesh, "run", "crm.customers");
        assertThat(blocked.exitCode()).as(blocked.out() + blocked.err()).isEqualTo(3);
        assertThat(rows(mesh)).hasSize(4);

        sql("UPDATE customers SET balance = 0.00, updated_at = '2026-11-03 12:00:00+00' WHERE id = 7");
        CliHarness.Result fixed = run(mesh, "run", "crm.customers");
        assertThat(fixed.exitCode()).as(fixed.out() + fixed.err()).isZero();
        assertThat(rows(mesh)).hasSize(6).contains("[7,overdrawn,0.00,2026-11-03 12:00:00.0]",
                "[8,fine,3.00,2026-11-03 11:00:00.0]");
        assertThat(run(mesh, "run", "crm.customers").out()).contains("UP_TO_DATE");
        assertThat(rows(mesh)).hasSize(6);
    }

    @Test
    void connectionDetailsComeFromTheEnvironmentAndNeverShow() {
        TestMesh mesh = ProductYaml.product("crm", "balances")
                .jdbc("crm", "{ urlEnv: CRM_URL, query: \"SELECT id, balance FROM no_such_table\" }")
                .schema("{ name: id, type: bigint }", "{ name: balance, type: \"decimal(12,2)\" }")
                .writeTo(TestMesh.in(dir).domain("crm", CRM_DOMAIN));

        CliHarness.Result unset = CliHarness.runWith(Map.of(), "--platform", mesh.platformFile().toString(),
                "run", "crm.balances");
        assertThat(unset.exitCode()).isEqualTo(2);
        assertThat(unset.out() + unset.err()).contains("input 'crm' of crm.balances: the environment variable CRM_URL "
                + "(jdbc.urlEnv) is not set; export it before the run");

        CliHarness.Result refused = run(mesh, "run", "crm.balances");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out() + refused.err()).contains("the database named by CRM_URL failed while reading its "
                + "columns: ERROR: relation \"no_such_table\" does not exist");
        assertThat(refused.out() + refused.err()).doesNotContain(PASSWORD).doesNotContain(url());
        CliHarness.Result runs = run(mesh, "runs", "crm.balances");
        assertThat(runs.out() + runs.err()).doesNotContain(PASSWORD);
    }

    @Test
    void specsNeverHoldConnectionDetails() {
        TestMesh mesh = ProductYaml.product("crm", "balances")
                .jdbc("crm", "{ url: \"jdbc:postgresql://db/crm\", password: hunter2, table: \"x; drop\", "
                        + "numPartitions: 4 }")
                .schema("{ name: id, type: bigint }")
                .writeTo(TestMesh.in(dir).domain("crm", CRM_DOMAIN));
        CliHarness.Result result = run(mesh, "validate");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out() + result.err()).contains(
                "inputs[0].jdbc.url: connection details are never written in specs; put the value in an environment "
                        + "variable and name it with urlEnv",
                "inputs[0].jdbc.password: connection details are never written in specs",
                "inputs[0].jdbc.urlEnv: is required",
                "inputs[0].jdbc.table: 'x; drop' is not a table name",
                "inputs[0].jdbc.numPartitions: needs a partitionColumn (an integer column) to split the read by");
    }

    private TestMesh customers(String mode, String readFields, String quality) {
        ProductYaml product = ProductYaml.product("crm", "customers")
                .jdbc("crm", "{ urlEnv: CRM_URL, passwordEnv: CRM_PASSWORD, table: public.customers, "
                        + readFields + " }")
                .mode(mode).schema(COLUMNS).quality(quality);
        if (mode.equals("merge")) {
            product.keys("id");
        }
        return product.writeTo(TestMesh.in(dir).domain("crm", CRM_DOMAIN));
    }

    private static CliHarness.Result run(TestMesh mesh, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--platform";
        all[1] = mesh.platformFile().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliHarness.runWith(Map.of("CRM_URL", url(), "CRM_PASSWORD", PASSWORD), all);
    }

    /** The server's URL with the password in it, as some teams write it: it must be scrubbed like a password. */
    private static String url() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?user=postgres&password=" + PASSWORD;
    }

    private static List<String> rows(TestMesh mesh) {
        return table(mesh, "crm/products/customers").orderBy("id").collectAsList().stream().map(Row::toString)
                .toList();
    }

    /** The records the newest published run read, from the platform's runs table. */
    private static long readByLastRun(TestMesh mesh) {
        Row last = SharedSpark.session().read().format("delta").load(mesh.zones().resolve("_platform/runs").toString())
                .where("domain = 'crm' AND product = 'customers' AND status = 'PUBLISHED'").orderBy(
                        org.apache.spark.sql.functions.col("started_at").desc()).select("rows_in").head();
        return last.getLong(0);
    }

    private static void sql(String... statements) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
