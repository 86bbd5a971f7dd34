package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mesh init} writes commented starting specs that {@code mesh validate} accepts as written, for every template. */
class ScaffoldingTest {
    @TempDir
    Path dir;

    @Test
    void aNewDomainAndAProductPerTemplateValidateAsWritten() throws Exception {
        TestMesh mesh = TestMesh.in(dir);
        Files.createDirectories(dir.resolve("domains"));

        CliHarness.Result domain = ShopMesh.run(mesh, "init", "domain", "billing");
        assertThat(domain.exitCode()).as(domain.out() + domain.err()).isZero();
        assertThat(domain.out()).contains("domains/billing/domain.yaml (valid)",
                "mesh init product billing.PRODUCT --template ingest");
        assertThat(Files.readString(dir.resolve("domains/billing/domain.yaml")))
                .contains("# Domain billing: who owns it", "- name: billing.exports");

        for (String template : new String[] {"ingest", "sql", "dedupe", "cdc", "scd2"}) {
            CliHarness.Result product = ShopMesh.run(mesh, "init", "product", "billing." + template + "_invoices",
                    "--template", template);
            assertThat(product.exitCode()).as(template + ": " + product.out() + product.err()).isZero();
            assertThat(product.out()).contains("(valid)");
        }
        CliHarness.Result fromDatabase = ShopMesh.run(mesh, "init", "product", "billing.accounts", "--template",
                "dedupe", "--input", "jdbc");
        assertThat(fromDatabase.exitCode()).as(fromDatabase.out() + fromDatabase.err()).isZero();
        assertThat(Files.readString(dir.resolve("domains/billing/products/accounts.yaml")))
                .contains("urlEnv: BILLING_JDBC_URL", "watermark: updated_at");

        CliHarness.Result all = ShopMesh.run(mesh, "validate");
        assertThat(all.exitCode()).as(all.out()).isZero();
        assertThat(all.out()).contains("1 domains, 6 products");
    }

    @Test
    void initNeverOverwritesAndNamesWhatItNeeds() {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        CliHarness.Result again = ShopMesh.run(mesh, "init", "product", "shop.orders");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("product 'shop.orders' exists already");

        CliHarness.Result noDomain = ShopMesh.run(mesh, "init", "product", "crm.customers");
        assertThat(noDomain.exitCode()).isEqualTo(2);
        assertThat(noDomain.err()).contains("no domain 'crm' in the mesh; create it first: mesh init domain crm");

        CliHarness.Result plugin = ShopMesh.run(mesh, "init", "product", "shop.totals", "--template", "pivot");
        assertThat(plugin.exitCode()).isEqualTo(2);
        assertThat(plugin.err()).contains("no starting spec for template 'pivot'; mesh init writes one for: ingest, "
                + "sql, dedupe, cdc, scd2");

        CliHarness.Result badName = ShopMesh.run(mesh, "init", "domain", "Billing-EU");
        assertThat(badName.exitCode()).isEqualTo(2);
        assertThat(badName.err()).contains("'Billing-EU' is not a domain name");
    }

    @Test
    void aDomainWithoutSourcesStartsAProductOverAnotherDomainsProductAndRunsIt() throws Exception {
        TestMesh mesh = ShopMesh.create(dir, "merge", "").domain("finance", """
                apiVersion: mesh/v1
                kind: Domain
                name: finance
                owners: [finance@example.com]
                """);
        CliHarness.Result noSource = ShopMesh.run(mesh, "init", "product", "finance.order_totals", "--template",
                "sql");
        assertThat(noSource.exitCode()).isEqualTo(2);
        assertThat(noSource.err()).contains("domain 'finance' declares no source to read files from",
                "--input product:DOMAIN.NAME");
        CliHarness.Result notAProduct = ShopMesh.run(mesh, "init", "product", "finance.order_totals", "--template",
                "sql", "--input", "product:shop.refunds");
        assertThat(notAProduct.exitCode()).isEqualTo(2);
        assertThat(notAProduct.err()).contains("--input product:shop.refunds: no such product in the mesh");
        CliHarness.Result wrongTemplate = ShopMesh.run(mesh, "init", "product", "finance.order_totals",
                "--template", "dedupe", "--input", "product:shop.orders");
        assertThat(wrongTemplate.exitCode()).isEqualTo(2);
        assertThat(wrongTemplate.err()).contains("works with --template sql");

        CliHarness.Result written = ShopMesh.run(mesh, "init", "product", "finance.order_totals", "--template", "sql",
                "--input", "product:shop.orders");
        assertThat(written.exitCode()).as(written.out() + written.err()).isZero();
        assertThat(written.out()).contains("(valid)");
        assertThat(Files.readString(dir.resolve("domains/finance/products/order_totals.yaml")))
                .contains("- { name: orders, product: shop.orders@1 }", "SELECT order_id, amount, status",
                        "- { name: order_id, type: \"bigint\", required: true }");

        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        CliHarness.Result run = ShopMesh.run(mesh, "run", "shop.orders", "finance.order_totals");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(QualityGateTest.table(mesh, "finance/products/order_totals").count()).isEqualTo(2);
    }

    @Test
    void aNewDomainTakesItsSeatOnTheFederatedBodyAndTheMeshStaysValid() throws Exception {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        String governance = """
                apiVersion: mesh/v1
                kind: Governance
                body:
                  # one seat per domain
                  members:
                    - { domain: shop, representative: shop@example.com }
                  approval: majority%s
                approval:
                  policyVersion: "%s"
                  approvedBy: [shop@example.com]
                rules:
                  - { id: modes, kind: allowedModes, modes: [merge, overwrite, append], message: any mode }
                """;
        mesh.governance(governance.formatted("", "000000000000"));
        String version = new dev.mesh.spec.SpecLoader(dir).load(mesh.platformFile(), java.util.Optional.empty())
                .policies().governance().orElseThrow().version();
        mesh.governance(governance.formatted("", version));
        CliHarness.Result before = ShopMesh.run(mesh, "validate");
        assertThat(before.exitCode()).as(before.out() + before.err()).isZero();

        CliHarness.Result joined = ShopMesh.run(mesh, "init", "domain", "billing");
        assertThat(joined.exitCode()).as(joined.out() + joined.err()).isZero();
        assertThat(joined.out()).contains("domains/billing/domain.yaml (valid)", "gave billing its seat on the "
                + "federated body: - { domain: billing, representative: billing-data@example.com } in governance.yaml",
                "domains join openly, so the approved policy version stands; the approval was given by a body of 1 "
                + "seats, which approval.bodySize now records, so it stands").doesNotContain("elsewhere");
        assertThat(Files.readString(dir.resolve("governance.yaml"))).contains("""
                  # one seat per domain
                  members:
                    - { domain: shop, representative: shop@example.com }
                    - { domain: billing, representative: billing-data@example.com }
                """, "  bodySize: 1");
        CliHarness.Result valid = ShopMesh.run(mesh, "validate");
        assertThat(valid.exitCode()).as(valid.out()).isZero();
        assertThat(valid.out()).contains("2 domains");

        // a body whose rule is that joining needs its approval: the seat is added and the step named
        java.util.function.Function<String, String> twoSeats = approved -> governance
                .formatted("\n  joining: approval", approved)
                .replace("- { domain: shop, representative: shop@example.com }", "- { domain: shop, representative: "
                        + "shop@example.com }\n    - { domain: billing, representative: billing-data@example.com }")
                .replace("approvedBy: [shop@example.com]", "approvedBy: [shop@example.com, billing-data@example.com]");
        mesh.governance(twoSeats.apply("000000000000"));
        version = new dev.mesh.spec.SpecLoader(dir).load(mesh.platformFile(), java.util.Optional.empty())
                .policies().governance().orElseThrow().version();
        mesh.governance(twoSeats.apply(version));
        assertThat(ShopMesh.run(mesh, "validate").exitCode()).isZero();
        CliHarness.Result strict = ShopMesh.run(mesh, "init", "domain", "crm");
        assertThat(strict.exitCode()).as(strict.out() + strict.err()).isZero();
        assertThat(strict.out()).contains("gave crm its seat on the federated body", "the body's rule (joining: "
                + "approval) makes this a new policy version, which its representatives approve before the mesh "
                + "runs again", "governance.yaml:12: approval.policyVersion: [federated-body] the policies changed");
    }
}
