package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.spark.GuardedSessions;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets in the environment never reach SQL (Spark's variable substitution is refused in the text and off in every
 * session), and whatever route puts one into a message, no output the platform writes carries it: printed lines, JSON
 * lines, the run ledger, the audit trail, quality metrics, lineage events and the report.
 */
class SecretsTest {
    private static final String SALT = "salt-7c1e0f5a9b";
    private static final String LINEAGE_KEY = "lineage-key-3d9a61";
    private static final String AWS_SECRET = "aws-secret-8e2b44c0";
    private static final Map<String, String> ENVIRONMENT = Map.of("SHOP_PII_SALT", SALT, "LINEAGE_KEY", LINEAGE_KEY,
            "AWS_SECRET_ACCESS_KEY", AWS_SECRET);
    private static final String GOVERNANCE = """
            apiVersion: mesh/v1
            kind: Governance
            body:
              members: [{ domain: shop, representative: shop@example.com }]
            pii: { saltEnv: SHOP_PII_SALT }
            """;

    @TempDir
    Path dir;

    @Test
    void variableReferencesInSqlAreSpecErrorsAndNeverSubstituted() {
        TestMesh mesh = shop();
        ProductYaml.product("shop", "leak").reads("orders", "shop.orders")
                .sql("SELECT order_id, '${env:SHOP_PII_SALT}' AS salt FROM orders")
                .schema("{ name: order_id, type: bigint }", "{ name: salt, type: string }").writeTo(mesh);
        CliHarness.Result validate = run(mesh, "validate");
        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.out()).contains("transform.sql: holds '${', which Spark would replace with the value of a "
                + "variable (an environment variable, a system property, a setting); the platform never substitutes "
                + "variables in SQL");
        CliHarness.Result runs = run(mesh, "run", "shop.leak");
        assertThat(runs.exitCode()).isEqualTo(2);
        CliHarness.Result sql = run(shop(), "sql", "SELECT '${env:AWS_SECRET_ACCESS_KEY}' AS k");
        assertThat(sql.exitCode()).isEqualTo(2);
        assertThat(sql.out() + sql.err()).contains("QUERY holds '${'");
        assertNoSecretIn(validate.out() + validate.err() + runs.out() + runs.err() + sql.out() + sql.err());

        // a row rule and a check with a variable are refused the same way
        TestMesh rules = shop();
        ProductYaml.shopOrders().quality("rowRules:\n  - { check: satisfies, name: r, sql: \"status <> '${env:SHOP_PII_SALT}'\" }\n"
                + "checks:\n  - { check: satisfies, name: c, sql: \"'${system:user.home}' <> status\" }\n").writeTo(rules);
        CliHarness.Result refused = run(rules, "validate");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.out()).contains("quality.rowRules[0].sql: holds '${'", "quality.checks[0].sql: holds '${'");

        // the second line: a session the platform runs SQL in never substitutes, even where the text got through
        assertThat(GuardedSessions.of(SharedSpark.session()).sql("SELECT '${env:SHOP_PII_SALT}' AS v").head()
                .getString(0)).isEqualTo("${env:SHOP_PII_SALT}");
    }

    @Test
    void aSecretInAnErrorReachesNoOutputOrTable() throws IOException {
        TestMesh mesh = shop();
        mesh.write("platform.yaml", Files.readString(mesh.platformFile()) + """
                lineage:
                  namespace: shop-mesh
                  transports:
                    - { type: file, path: lineage/events.jsonl }
                    - { type: http, url: "http://127.0.0.1:9", apiKeyEnv: LINEAGE_KEY, timeout: PT2S }
                """);
        // a failure whose message carries the secrets, by whatever route they got there
        ProductYaml.product("shop", "failing").reads("orders", "shop.orders")
                .sql("SELECT order_id, raise_error(concat('salt ', '" + SALT + "', ' key ', '" + AWS_SECRET
                        + "', ' ', '" + LINEAGE_KEY + "')) AS x FROM orders")
                .schema("{ name: order_id, type: bigint }", "{ name: x, type: string }").writeTo(mesh);
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n");
        List<String> outputs = new ArrayList<>();
        CliHarness.Result run = run(mesh, "run", "shop.orders", "shop.failing", "--output", "json");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("\"status\":\"FAILED\"", "salt ****");
        outputs.add(run.out() + run.err());
        for (String[] command : List.of(new String[] {"runs"}, new String[] {"audit"},
                new String[] {"metrics", "shop.failing"}, new String[] {"report", "--out", dir.resolve("report")
                        .toString()})) {
            CliHarness.Result result = run(mesh, command);
            outputs.add(result.out() + result.err());
        }
        try (Stream<Path> files = Files.walk(dir.resolve("report"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                outputs.add(Files.readString(file));
            }
        }
        outputs.add(Files.readString(mesh.dir().resolve("lineage/events.jsonl")));
        for (String platformTable : List.of("runs", "audit", "quality_metrics")) {
            outputs.add(table(mesh, "_platform/" + platformTable).toJSON().collectAsList().toString());
        }
        assertThat(table(mesh, "_platform/runs").where("status = 'FAILED'").head().<String>getAs("error"))
                .contains("salt **** key ****");
        outputs.forEach(SecretsTest::assertNoSecretIn);
    }

    private TestMesh shop() {
        Path root = dir.resolve("mesh-" + System.nanoTime());
        TestMesh mesh = ShopMesh.create(root, "append", "");
        mesh.approvedGovernance(GOVERNANCE, "shop@example.com");
        return mesh;
    }

    private static CliHarness.Result run(TestMesh mesh, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--platform";
        all[1] = mesh.platformFile().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliHarness.runWith(ENVIRONMENT, all);
    }

    private static void assertNoSecretIn(String text) {
        assertThat(text).doesNotContain(SALT).doesNotContain(LINEAGE_KEY).doesNotContain(AWS_SECRET);
    }
}
