package dev.mesh.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.model.GovernanceSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.SpecProblem;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policies as code, without Spark: each rule kind passing and failing, warnings that do not block, a domain that
 * tightens a global rule or tries to loosen one, and the federated body's seats and approvals.
 */
class GovernanceTest {
    private static final String BODY = """
            apiVersion: mesh/v1
            kind: Governance
            body:
              members:
                - { domain: shop, representative: shop@example.com }
            approval:
              policyVersion: "%s"
              approvedBy: [shop@example.com]
            rules:
            %s""";

    @TempDir
    Path dir;

    @Test
    void aCompliantMeshPassesEveryRuleKind() {
        SpecLoad load = load(ALL_RULES, compliant());
        assertThat(load.problems()).isEmpty();
        assertThat(load.policies().findings()).isEmpty();
        assertThat(load.policies().rules()).extracting(r -> r.rule().id() + "/" + r.origin() + "/" + r.checked())
                .containsExactly("metadata/global/1", "names/global/1", "keys/global/1", "pii/global/1",
                        "modes/global/1");
        assertThat(load.mesh().orElseThrow().policies().governance()).isPresent();
    }

    @Test
    void eachRuleKindFindsWhatBreaksIt() {
        TestMesh mesh = mesh(ALL_RULES);
        ProductYaml.product("shop", "orders2").files("pos", "{ source: pos.orders, format: csv }").mode("append")
                .keys("order_id")
                .schema("{ name: order_id, type: bigint }", "{ name: EMail, type: string, classification: pii }")
                .writeTo(mesh);
        List<String> findings = messages(new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()));
        assertThat(findings).containsExactlyInAnyOrder(
                "description: [metadata] the product has no description: describe products",
                "sla: [metadata] the product is visible outside its domain (access.visibility: public) and promises "
                        + "no SLA: describe products",
                "output.schema[0].description: [metadata] column 'order_id' has no description: describe products",
                "output.schema[1].description: [metadata] column 'EMail' has no description: describe products",
                "name: [names] product name 'orders2' does not match [a-z_]+: snake case",
                "output.schema[1].name: [names] column name 'EMail' does not match [a-z_]+: snake case",
                "output.keys: [keys] keys [order_id] are not checked unique (a append output does not imply it); add "
                        + "{ check: unique, columns: [order_id] } to quality.checks: one row per key",
                "output.schema[1].protection: [pii] column 'EMail' is pii in a product visible outside its domain "
                        + "(access.visibility: public) without a protection; set protection: hash, redact or drop: "
                        + "protect personal data",
                "output.mode: [modes] output mode append is not allowed; allowed: [merge, overwrite]: no appends");
    }

    @Test
    void warningsAreReportedWithoutBlocking() {
        SpecLoad load = load("""
                  - { id: modes, kind: allowedModes, modes: [merge], severity: warning, message: prefer merge }
                """, compliant().mode("overwrite").keys());
        assertThat(load.problems()).isEmpty();
        assertThat(load.mesh()).isPresent();
        assertThat(load.policies().warnings()).singleElement().hasToString("warning domains/shop/products/orders.yaml:"
                + "12: output.mode: [modes] output mode overwrite is not allowed; allowed: [merge]: prefer merge");
    }

    @Test
    void aDomainMayTightenAGlobalRuleAndAddItsOwn() {
        TestMesh mesh = mesh("""
                  - { id: modes, kind: allowedModes, modes: [merge, overwrite], severity: warning, message: m }
                  - { id: names, kind: naming, products: "[a-z_]+", message: snake case }
                """);
        mesh.domain("shop", TestMesh.SHOP_DOMAIN + """
                policies:
                  - { id: modes, kind: allowedModes, modes: [merge], severity: error, message: shop merges }
                  - { id: names, kind: naming, products: "o.*", message: shop names start with o }
                  - { id: shop-metadata, kind: requiredMetadata, fields: [description], message: say what it is }
                """);
        compliant().mode("overwrite").keys().writeTo(mesh);
        SpecLoad load = new SpecLoader(dir).load(mesh.platformFile(), Optional.empty());
        assertThat(load.policies().rules()).extracting(r -> r.rule().id() + "/" + r.origin()).containsExactly(
                "modes/tightened by the domain", "names/global", "names/tightened by the domain",
                "shop-metadata/the domain's");
        assertThat(messages(load)).containsExactly("output.mode: [modes] output mode overwrite is not allowed; "
                + "allowed: [merge]: shop merges");
    }

    @Test
    void aDomainCannotLoosenAGlobalRule() {
        TestMesh mesh = mesh("""
                  - { id: modes, kind: allowedModes, modes: [merge], message: merge only }
                  - { id: metadata, kind: requiredMetadata, fields: [description, sla], message: describe }
                  - { id: keys, kind: keysUnique, message: unique keys }
                  - { id: keep, kind: retention, versions: P30D, quarantine: P90D, message: keep }
                """);
        mesh.domain("shop", TestMesh.SHOP_DOMAIN + """
                policies:
                  - { id: modes, kind: allowedModes, modes: [merge, append], message: appends too }
                  - { id: metadata, kind: requiredMetadata, fields: [description], message: less }
                  - { id: keys, kind: keysUnique, severity: warning, message: softer }
                  - { id: keep, kind: retention, versions: P7D, quarantine: P90D, message: shorter }
                """);
        compliant().writeTo(mesh);
        SpecLoad load = new SpecLoader(dir).load(mesh.platformFile(), Optional.empty());
        assertThat(load.mesh()).isEmpty();
        assertThat(load.problems()).extracting(SpecProblem::toString).containsExactly(
                "domains/shop/domain.yaml:8: policies[0].id: rule 'modes' of domain 'shop' loosens the global rule "
                        + "'modes' of governance.yaml: it allows modes the global rule does not: [append]; a domain "
                        + "may add rules or tighten global ones, never loosen them",
                "domains/shop/domain.yaml:9: policies[1].id: rule 'metadata' of domain 'shop' loosens the global "
                        + "rule 'metadata' of governance.yaml: it requires fewer fields than [description, sla]; a "
                        + "domain may add rules or tighten global ones, never loosen them",
                "domains/shop/domain.yaml:10: policies[2].id: rule 'keys' of domain 'shop' loosens the global rule "
                        + "'keys' of governance.yaml: its severity warning is below the global error; a domain may "
                        + "add rules or tighten global ones, never loosen them",
                "domains/shop/domain.yaml:11: policies[3].id: rule 'keep' of domain 'shop' loosens the global rule "
                        + "'keep' of governance.yaml: it keeps published versions PT168H, less than the global "
                        + "PT720H; a domain may add rules or tighten global ones, never loosen them");
        // the global rules stay in force
        assertThat(load.policies().rules()).extracting(r -> r.rule().id() + "/" + r.origin())
                .containsExactly("modes/global", "metadata/global", "keys/global", "keep/global");
    }

    @Test
    void theFederatedBodyNeedsASeatPerDomainAndApprovalOfTheVersionInForce() {
        TestMesh mesh = mesh(ALL_RULES);
        compliant().writeTo(mesh);
        String approved = new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()).policies().governance()
                .orElseThrow().version();
        mesh.domain("billing", TestMesh.SHOP_DOMAIN.replace("name: shop", "name: billing")
                .replace("pos.orders", "pos.invoices"));
        ProductYaml.product("billing", "invoices").reads("o", "shop.orders").sql("SELECT order_id FROM o")
                .schema("{ name: order_id, type: bigint, description: the order }")
                .section("description: Invoices of the orders.\nsla: { freshness: P1D }").writeTo(mesh);
        // a new domain without a seat: its own products wait, located in its own file; the rest of the mesh runs
        SpecLoad unrepresented = new SpecLoader(dir).load(mesh.platformFile(), Optional.empty());
        assertThat(unrepresented.problems()).extracting(SpecProblem::toString).containsExactly(
                "domains/billing/domain.yaml: [federated-body] domain 'billing' has no representative on the "
                        + "federated body, so its products do not run; add - { domain: billing, representative: "
                        + "EMAIL } under body.members in governance.yaml (domains join openly: the approved policy "
                        + "version stands)");
        SpecLoad.Isolated rest = unrepresented.isolated().orElseThrow();
        assertThat(rest.mesh().products()).extracting(p -> p.id().toString()).containsExactly("shop.orders");
        assertThat(rest.refused()).containsOnlyKeys(new ProductId("billing", "invoices"));

        // its seat added, the approved version stands (joining: open); the majority is counted over the body that
        // approved, once the approval says how large it was
        String seated = BODY.formatted(approved, ALL_RULES).replace("- { domain: shop,",
                "- { domain: billing, representative: bill@example.com }\n    - { domain: shop,");
        mesh.governance(seated);
        assertThat(new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()).policies().governance()
                .orElseThrow().version()).isEqualTo(approved);
        assertThat(messages(new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()))).containsExactly(
                "approval.approvedBy: [federated-body] policy version " + approved + " is approved by 1 of the "
                        + "body's 2 representatives; the majority rule needs 2 (if the body grew since it approved, "
                        + "set approval.bodySize to the number of representatives it had then)");
        mesh.governance(seated.replace("approvedBy: [shop@example.com]", "approvedBy: [shop@example.com]\n"
                + "  bodySize: 1"));
        assertThat(new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()).problems()).isEmpty();

        // a body whose rule is that joining needs approval: the seat changes the version
        mesh.governance(seated.replace("  members:", "  joining: approval\n  members:"));
        SpecLoad strict = new SpecLoader(dir).load(mesh.platformFile(), Optional.empty());
        String strictVersion = strict.policies().governance().orElseThrow().version();
        assertThat(strictVersion).isNotEqualTo(approved);
        assertThat(messages(strict)).containsExactly("approval.policyVersion: [federated-body] the policies changed "
                + "since version " + approved + " was approved (now " + strictVersion + "); once 2 of the body's 2 "
                + "representatives approve it, set approval.policyVersion: " + strictVersion + " and list them "
                + "under approval.approvedBy");
        assertThat(strict.isolated()).as("a problem of the governance file stops every product").isEmpty();

        // a changed rule needs the body's approval again, whatever the joining rule
        mesh.governance(seated.replace("message: no appends", "message: no appends at all"));
        SpecLoad changed = new SpecLoader(dir).load(mesh.platformFile(), Optional.empty());
        String version = changed.policies().governance().orElseThrow().version();
        assertThat(version).isNotEqualTo(approved);
        assertThat(messages(changed)).containsExactly("approval.policyVersion: [federated-body] the policies changed "
                + "since version " + approved + " was approved (now " + version + "); once 2 of the body's 2 "
                + "representatives approve it, set approval.policyVersion: " + version + " and list them under "
                + "approval.approvedBy");
        mesh.governance(BODY.formatted(version, ALL_RULES.replace("message: no appends", "message: no appends at all"))
                .replace("- { domain: shop,", "- { domain: billing, representative: bill@example.com }\n"
                        + "    - { domain: shop,")
                .replace("approvedBy: [shop@example.com]", "approvedBy: [shop@example.com, bill@example.com]"));
        assertThat(new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()).problems()).isEmpty();
    }

    @Test
    void theBodysOwnMistakesAreSpecProblems() {
        TestMesh mesh = mesh(ALL_RULES);
        compliant().writeTo(mesh);
        mesh.governance(BODY.formatted("0123456789ab", ALL_RULES)
                .replace("approvedBy: [shop@example.com]", "approvedBy: [shop@example.com, eve@example.com]")
                .replace("- { domain: shop, representative: shop@example.com }",
                        "- { domain: shop, representative: shop@example.com }\n    - { domain: shoq, "
                                + "representative: q@example.com }")
                .replace("kind: keysUnique", "kind: keysUnqiue"));
        assertThat(new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()).problems())
                .extracting(SpecProblem::toString).contains(
                        "governance.yaml:9: approval.approvedBy[1]: 'eve@example.com' is not a representative on "
                                + "the body; approvals come from its members: shop@example.com, q@example.com",
                        "governance.yaml:16: rules[2].kind: 'keysUnqiue' is not a kind of rule; allowed: "
                                + "allowedModes, keysUnique, naming, noDeclassification, piiDetection, piiProtected, "
                                + "requiredMetadata, retention; did you mean 'keysUnique'?");
    }

    @Test
    void thePolicyVersionDependsOnWhatTheRulesSayNotHowTheyAreWritten() {
        TestMesh flow = mesh("""
                  - { id: modes, kind: allowedModes, modes: [merge], message: m }
                """);
        compliant().writeTo(flow);
        String before = new SpecLoader(dir).load(flow.platformFile(), Optional.empty()).policies().governance()
                .orElseThrow().hash();
        flow.governance(BODY.formatted("0123456789ab", """
                  - id: modes
                    message: m
                    modes:
                      - merge
                    kind: allowedModes
                """));
        GovernanceSpec block = new SpecLoader(dir).load(flow.platformFile(), Optional.empty()).policies()
                .governance().orElseThrow();
        assertThat(block.hash()).isEqualTo(before).hasSize(64);
        flow.governance(BODY.formatted("0123456789ab", """
                  - { id: modes, kind: allowedModes, modes: [merge, append], message: m }
                """));
        assertThat(new SpecLoader(dir).load(flow.platformFile(), Optional.empty()).policies().governance()
                .orElseThrow().hash()).isNotEqualTo(before);
    }

    @Test
    void aHashedColumnNeedsTheSaltNamedInTheGovernanceFile() {
        TestMesh mesh = TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN);
        compliant().schema("{ name: order_id, type: bigint, description: id }",
                "{ name: email, type: string, classification: pii, protection: hash, description: e }").writeTo(mesh);
        assertThat(new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()).problems())
                .extracting(SpecProblem::toString).containsExactly(
                        "domains/shop/products/orders.yaml:16: output.schema[1].protection: hash needs a salt: name "
                                + "the environment variable that holds it in the governance file (pii: { saltEnv: "
                                + "NAME }), which platform.yaml names under governance");

        compliant().schema("{ name: order_id, type: bigint, description: id }",
                "{ name: phone, type: bigint, classification: pii, protection: hash, description: p }").writeTo(mesh);
        assertThat(new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()).problems())
                .extracting(SpecProblem::toString).containsExactly(
                        "domains/shop/products/orders.yaml:16: output.schema[1].protection: hash publishes a hex "
                                + "string; the column's type is bigint: declare it as string, or use redact or drop",
                        // both problems of the column in one pass
                        "domains/shop/products/orders.yaml:16: output.schema[1].protection: hash needs a salt: name "
                                + "the environment variable that holds it in the governance file (pii: { saltEnv: "
                                + "NAME }), which platform.yaml names under governance");
    }

    private static final String ALL_RULES = """
              - id: metadata
                kind: requiredMetadata
                fields: [description, sla, columnDescriptions]
                message: describe products
              - { id: names, kind: naming, products: "[a-z_]+", columns: "[a-z_]+", message: snake case }
              - { id: keys, kind: keysUnique, message: one row per key }
              - { id: pii, kind: piiProtected, message: protect personal data }
              - { id: modes, kind: allowedModes, modes: [merge, overwrite], message: no appends }
            """;

    /** A product that every rule of {@link #ALL_RULES} accepts. */
    private static ProductYaml compliant() {
        return ProductYaml.product("shop", "orders").files("pos", "{ source: pos.orders, format: csv }")
                .mode("merge").keys("order_id")
                .schema("{ name: order_id, type: bigint, description: the order }",
                        "{ name: email, type: string, classification: pii, protection: redact, description: buyer }")
                .section("description: Orders as the shop took them.\nsla: { freshness: P1D }");
    }

    private TestMesh mesh(String rules) {
        TestMesh mesh = TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN).governance(BODY.formatted("", rules));
        // approve the version these rules make
        String version = new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()).policies().governance()
                .map(GovernanceSpec::version).orElseThrow();
        return mesh.governance(BODY.formatted(version, rules));
    }

    private SpecLoad load(String rules, ProductYaml product) {
        TestMesh mesh = mesh(rules);
        product.writeTo(mesh);
        return new SpecLoader(dir).load(mesh.platformFile(), Optional.empty());
    }

    /** The findings' and problems' paths and messages, without files and lines. */
    private static List<String> messages(SpecLoad load) {
        return load.policies().findings().stream().map(f -> f.location().path() + ": " + f.location().message())
                .toList();
    }
}
