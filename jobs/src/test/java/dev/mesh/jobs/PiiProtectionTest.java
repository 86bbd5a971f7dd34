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
            approval: { policyVersion: "9b8e9430df72", approvedBy: [shop@example.com] }
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

    private TestMesh customers(String visibility) {
        TestMesh mesh = TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN).governance(GOVERNANCE);
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
