package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Personal data in a port visible outside its domain: hashed with the salt from the environment (the same value gives
 * the same hash), redacted, or dropped, while the gate judges the real values; the salt never shows; a product of its
 * own domain only publishes the values as they are.
 */
class PiiProtectionTest {
    private static final String SALT = "s3cr3t-salt-4711";
    private static final String GOVERNANCE = """
            apiVersion: mesh/v1
            kind: Governance
            body:
              members: [{ domain: shop, representative: shop@example.com }]
            pii: { saltEnv: SHOP_PII_SALT }
            rules:
              - { id: pii, kind: piiProtected, message: protect personal data }
            """;

    @TempDir
    Path dir;

    @Test
    void aPublicPortPublishesPersonalDataHashedRedactedOrDropped() throws Exception {
        TestMesh mesh = customers("public");
        CliHarness.Result missing = CliHarness.runWith(Map.of(), "--platform", mesh.platformFile().toString(), "run",
                "shop.customers");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.out() + missing.err()).contains("shop.customers: hashing its personal data needs a salt in "
                + "the environment variable SHOP_PII_SALT, which is not set");
        assertThat(mesh.zones().resolve("shop/products/customers")).doesNotExist();

        CliHarness.Result run = CliHarness.runWith(Map.of("SHOP_PII_SALT", SALT), "--platform",
                mesh.platformFile().toString(), "run", "shop.customers");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out() + run.err()).doesNotContain(SALT);
        List<Row> rows = table(mesh, "shop/products/customers").orderBy("id").collectAsList();
        assertThat(table(mesh, "shop/products/customers").columns()).containsExactly("id", "email", "phone");
        assertThat(rows).extracting(row -> row.getString(1)).containsExactly(sha256(SALT + "ana@example.com"),
                sha256(SALT + "bo@example.com"), sha256(SALT + "ana@example.com"));
        assertThat(rows).extracting(row -> row.get(2)).containsOnlyNulls();
        // the gate judged the real addresses: its pattern check passed on them, not on their hashes
        assertThat(run.out()).contains("PUBLISHED");
    }

    @Test
    void aPortOfTheDomainAlonePublishesTheValuesAsTheyAre() {
        TestMesh mesh = customers("domain");
        CliHarness.Result run = CliHarness.runWith(Map.of(), "--platform", mesh.platformFile().toString(), "run",
                "shop.customers");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(table(mesh, "shop/products/customers").orderBy("id").collectAsList()).extracting(Row::toString)
                .containsExactly("[1,ana@example.com,555-0101,123-45-6789]", "[2,bo@example.com,555-0102,987-65-4321]",
                        "[3,ana@example.com,555-0103,111-22-3333]");
    }

    @Test
    void unclassifiedColumnsOfPersonalDataAreFoundWithoutTheirValues() {
        TestMesh mesh = TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN);
        ProductYaml.product("shop", "leads").files("pos", "{ source: pos.orders, format: csv }")
                .schema("{ name: id, type: bigint }", "{ name: contact, type: string }",
                        "{ name: card, type: string }", "{ name: note, type: string }")
                .writeTo(mesh);
        mesh.land("shop", "orders", "l.csv", """
                id,contact,card,note
                1,ana@example.com,4111 1111 1111 1111,called twice
                2,bo@example.org,5500-0000-0000-0004,no answer
                3,cy@example.net,1234567812345678,wants a quote
                """);
        mesh.approvedGovernance(GOVERNANCE + """
                  - { id: pii-scan, kind: piiDetection, minShare: 0.5, message: classify personal data }
                """, "shop@example.com");
        CliHarness.Result blocked = ShopMesh.run(mesh, "run", "shop.leads");
        assertThat(blocked.exitCode()).isEqualTo(2);
        String text = blocked.out() + blocked.err();
        assertThat(text).contains("shop.leads: [pii-scan] column 'contact': 100% of its 3 values look like e-mail "
                + "addresses; column 'card': 67% of its 3 values look like card numbers, but not classified pii: "
                + "classify personal data; classify the column (classification: pii, with a protection) or stop "
                + "publishing it; nothing was published");
        assertThat(text).doesNotContain("ana@example.com", "4111", "5500");
        assertThat(mesh.zones().resolve("shop/products/leads")).doesNotExist();
        Row finding = table(mesh, "_platform/audit").where("action = 'policy_check' AND target = 'shop.leads'")
                .head();
        assertThat(finding.<String>getAs("outcome")).isEqualTo("error");
        assertThat(finding.<String>getAs("detail")).startsWith("[pii-scan] column 'contact': 100%")
                .doesNotContain("example.com");

        // as a warning it publishes, and the finding is recorded all the same
        mesh.approvedGovernance(GOVERNANCE + """
                  - { id: pii-scan, kind: piiDetection, minShare: 0.5, severity: warning, message: classify it }
                """, "shop@example.com");
        CliHarness.Result warned = ShopMesh.run(mesh, "run", "shop.leads");
        assertThat(warned.exitCode()).as(warned.out() + warned.err()).isZero();
        assertThat(table(mesh, "_platform/audit").where("action = 'policy_check' AND outcome = 'warning'").count())
                .isEqualTo(1);
    }

    @Test
    void aReplayedRecordIsPublishedProtectedAndItsReasonsWithholdPersonalValues() throws Exception {
        TestMesh mesh = TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN)
                .approvedGovernance(GOVERNANCE, "shop@example.com");
        replayable(mesh, "gold");
        mesh.land("shop", "orders", "c.csv", """
                id,email,phone,born,tier
                1,ana@example.com,555-0101,1990-01-01,gold
                2,bo@example.com,555-0102,1991-02-02,silver
                3,cy@example.com,555-0103,someday,gold
                """);
        Map<String, String> env = Map.of("SHOP_PII_SALT", SALT);
        String platform = mesh.platformFile().toString();
        CliHarness.Result run = CliHarness.runWith(env, "--platform", platform, "run", "shop.customers");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();

        replayable(mesh, "gold, silver");
        CliHarness.Result replay = CliHarness.runWith(env, "--platform", platform, "quarantine", "replay",
                "shop.customers");
        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("replayed 1 of 2 quarantined records");
        List<Row> rows = table(mesh, "shop/products/customers").orderBy("id").collectAsList();
        assertThat(rows).extracting(row -> row.getString(1)).containsExactly(sha256(SALT + "ana@example.com"),
                sha256(SALT + "bo@example.com"));
        assertThat(rows).extracting(row -> row.get(2)).containsOnlyNulls();

        CliHarness.Result again = CliHarness.runWith(env, "--platform", platform, "quarantine", "replay",
                "shop.customers");
        assertThat(again.out()).contains("born: the value (withheld) is not a date").doesNotContain("someday");
        assertThat(table(mesh, "_platform/runs").where("error LIKE '%someday%'").count()).isZero();
    }

    @Test
    void aCheckOfAPublicTableLeavesOutTheChecksOverColumnsItPublishesProtected() throws Exception {
        TestMesh mesh = customers("public");
        Map<String, String> env = Map.of("SHOP_PII_SALT", SALT);
        String platform = mesh.platformFile().toString();
        assertThat(CliHarness.runWith(env, "--platform", platform, "run", "shop.customers").exitCode()).isZero();
        // the table holds hashes: the e-mail pattern, which the run's gate judged on the real values, is not judged
        CliHarness.Result check = CliHarness.runWith(env, "--platform", platform, "check", "shop.customers");
        assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).containsPattern("shop +customers +CHECKED ").doesNotContain("pattern(email)");
        assertThat(table(mesh, "_platform/quality_metrics").where("constraint = 'pattern(email)'").count())
                .as("judged once, by the run's gate").isEqualTo(1);
    }

    private void replayable(TestMesh mesh, String tiers) {
        ProductYaml.product("shop", "customers").files("pos", "{ source: pos.orders, format: csv }").mode("append")
                .schema("{ name: id, type: bigint }",
                        "{ name: email, type: string, classification: pii, protection: hash }",
                        "{ name: phone, type: string, classification: pii, protection: redact }",
                        "{ name: born, type: date, classification: pii, protection: redact }",
                        "{ name: tier, type: string }")
                .quality("rowRules:\n  - { check: allowedValues, column: tier, values: [" + tiers + "] }\n")
                .section("access: { visibility: public }")
                .writeTo(mesh);
    }

    private TestMesh customers(String visibility) {
        TestMesh mesh = TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN)
                .approvedGovernance(GOVERNANCE, "shop@example.com");
        ProductYaml.product("shop", "customers").files("pos", "{ source: pos.orders, format: csv }")
                .schema("{ name: id, type: bigint }",
                        "{ name: email, type: string, classification: pii, protection: hash }",
                        "{ name: phone, type: string, classification: pii, protection: redact }",
                        "{ name: ssn, type: string, classification: pii, protection: drop }")
                .checks("{ check: pattern, column: email, regex: \"^[a-z]+@example[.]com$\" }")
                .section("access: { visibility: " + visibility + " }")
                .writeTo(mesh);
        mesh.land("shop", "orders", "c.csv", """
                id,email,phone,ssn
                1,ana@example.com,555-0101,123-45-6789
                2,bo@example.com,555-0102,987-65-4321
                3,ana@example.com,555-0103,111-22-3333
                """);
        return mesh;
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
