package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classification follows the data: shop.customers (visible to its domain only) holds raw e-mails and names declared
 * pii; a public product that derives a column from them, in any form SQL has, under a column declared as something
 * else, is refused at validate (exit 2, naming the derivation) and so never runs. Declared declassified, the same
 * query publishes: the raw values the refusal kept in.
 */
class ClassificationFlowTest {
    private static final String RAW = "ana@example.com";

    @TempDir
    Path dir;

    @Test
    void everyFormOfDerivationCarriesTheClassification() {
        TestMesh mesh = customers();
        List<String[]> forms = List.of(
                new String[] {"SELECT id, email AS contact FROM c", "email"},
                new String[] {"SELECT id, upper(name) AS contact FROM c", "name"},
                new String[] {"SELECT min(id) AS id, concat_ws(',', collect_list(email)) AS contact FROM c", "email"},
                new String[] {"SELECT id, CASE WHEN id > 1 THEN email ELSE 'none' END AS contact FROM c", "email"},
                new String[] {"SELECT id, to_json(named_struct('e', email)) AS contact FROM c", "email"},
                new String[] {"SELECT id, cast(array(email)[0] AS string) AS contact FROM c", "email"},
                new String[] {"SELECT id, contact FROM (SELECT id, 'x' AS contact FROM c UNION ALL "
                        + "SELECT id, email FROM c)", "email"},
                new String[] {"SELECT id, first_value(email) OVER (PARTITION BY id ORDER BY id) AS contact FROM c",
                        "email"},
                new String[] {"SELECT id, part AS contact FROM c LATERAL VIEW explode(split(email, '@')) t AS part",
                        "email"},
                new String[] {"WITH x AS (SELECT id, lower(email) AS e FROM c) SELECT id, e AS contact FROM x",
                        "email"},
                new String[] {"SELECT c.id, (SELECT max(d.email) FROM c d WHERE d.id = c.id) AS contact FROM c",
                        "email"});
        for (String[] form : forms) {
            mailing(mesh, form[0], "");
            CliHarness.Result validate = ShopMesh.run(mesh, "validate");
            assertThat(validate.exitCode()).as(form[0] + "\n" + validate.out() + validate.err()).isEqualTo(2);
            assertThat(validate.out() + validate.err()).as(form[0]).contains("column 'contact' derives from personal "
                    + "data (shop.customers." + form[1] + " -> shop.mailing.contact) and the product is visible "
                    + "outside its domain (access.visibility: public); declare it classification: pii with "
                    + "protection: hash, redact or drop, or classification: none with declassified:");
        }
        // a join key or a filter decides rows but publishes no value: not personal data by itself
        mailing(mesh, "SELECT id, 'x' AS contact FROM c WHERE email LIKE '%@example.com'", "");
        CliHarness.Result filtered = ShopMesh.run(mesh, "validate");
        assertThat(filtered.exitCode()).as(filtered.out() + filtered.err()).isZero();
    }

    @Test
    void declassifiedItPublishesWhatTheRefusalKeptIn() {
        TestMesh mesh = customers();
        // the same people again: values that repeat are what a rule suggester lists
        mesh.land("shop", "orders", "c2.csv", """
                id,name,email
                3,Ana Lima,ana@example.com
                4,Bo Berg,bo@example.com
                """);
        CliHarness.Result upstream = ShopMesh.run(mesh, "run", "shop.customers");
        assertThat(upstream.exitCode()).as(upstream.out() + upstream.err()).isZero();

        // suggested rules would print values: those on personal data are left out
        CliHarness.Result suggested = ShopMesh.run(mesh, "suggest", "shop.customers");
        assertThat(suggested.exitCode()).as(suggested.err()).isZero();
        assertThat(suggested.out()).contains("2 rules on values of personal data or protected columns (email, name) "
                + "are left out").doesNotContain(RAW, "Ana Lima");

        // mesh sql reads as the platform team: it shows the stored values, says so, and audits the read
        CliHarness.Result platform = ShopMesh.run(mesh, "sql", "SELECT upper(email) AS e FROM shop.customers "
                + "WHERE name LIKE 'A%'");
        assertThat(platform.exitCode()).as(platform.err()).isZero();
        assertThat(platform.out()).contains(RAW.toUpperCase(java.util.Locale.ROOT));
        assertThat(platform.err()).contains("note: reading as the platform team, which sees stored values: personal "
                + "data of shop.customers (email, name) is shown as it is and the read is audited");
        Row read = table(mesh, "_platform/audit").where("action = 'read_personal_data'").head();
        assertThat(read.<String>getAs("target")).isEqualTo("shop.customers");
        assertThat(read.<String>getAs("detail")).isEqualTo("columns: email, name; by mesh sql");
        // as another domain, a product it is not granted is not there to read
        mesh.domain("fin", TestMesh.SHOP_DOMAIN.replace("shop", "fin").replace("pos.orders", "fin.ledger"));
        CliHarness.Result fin = ShopMesh.run(mesh, "sql", "--as-domain", "fin", "SELECT email FROM shop.customers");
        assertThat(fin.exitCode()).isEqualTo(2);
        assertThat(fin.out() + fin.err()).contains("QUERY reads shop.customers, which domain 'fin' may not read (its "
                + "access is domain)").doesNotContain(RAW);
        CliHarness.Result own = ShopMesh.run(mesh, "sql", "--as-domain", "shop", "SELECT email FROM shop.customers");
        assertThat(own.exitCode()).as(own.err()).isZero();
        assertThat(own.out()).contains(RAW);

        mailing(mesh, "SELECT id, email AS contact FROM c", "");
        CliHarness.Result refused = ShopMesh.run(mesh, "run", "shop.mailing");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(mesh.zones().resolve("shop/products/mailing")).doesNotExist();

        mailing(mesh, "SELECT id, email AS contact FROM c", ", classification: none, "
                + "declassified: \"test: shows what the refusal keeps in\"");
        CliHarness.Result published = ShopMesh.run(mesh, "run", "shop.mailing");
        assertThat(published.exitCode()).as(published.out() + published.err()).isZero();
        assertThat(table(mesh, "shop/products/mailing").collectAsList()).extracting(Row::toString)
                .contains("[1," + RAW + "]");

        // protected in the product (a new major: the values its consumers read change), no raw value is published
        mailing(mesh, "SELECT id, email AS contact FROM c", ", classification: pii, protection: redact", "2.0.0");
        CliHarness.Result protectedRun = ShopMesh.run(mesh, "run", "shop.mailing", "--full-refresh");
        assertThat(protectedRun.exitCode()).as(protectedRun.out() + protectedRun.err()).isZero();
        assertThat(table(mesh, "shop/products/mailing").collectAsList()).extracting(row -> row.get(1))
                .containsOnlyNulls();
    }

    @Test
    void templatesCarryTheClassificationByName() {
        TestMesh mesh = customers();
        ProductYaml.product("shop", "latest").noInputs().reads("c", "shop.customers")
                .transform("{ template: dedupe, keys: [id], orderBy: [name] }").mode("merge").keys("id")
                .schema("{ name: id, type: bigint, required: true }",
                        "{ name: name, type: string, classification: pii, protection: redact }",
                        "{ name: email, type: string }")
                .section("access: { visibility: public }").writeTo(mesh);
        CliHarness.Result validate = ShopMesh.run(mesh, "validate");
        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.out() + validate.err()).contains("column 'email' derives from personal data "
                + "(shop.customers.email -> shop.latest.email)");
    }

    @Test
    void protectionHoldsForEveryRowWhenAProductIsMadeVisible() {
        TestMesh mesh = TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN);
        people(mesh, "1.0.0", "domain");
        mesh.land("shop", "orders", "p1.csv", "id,email\n1,ana@example.com\n2,bo@example.com\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.people").exitCode()).isZero();
        mesh.land("shop", "orders", "p2.csv", "id,email\n3,cy@example.com\n");

        // made public under the same major: the rows published raw would stay raw beside redacted new ones
        people(mesh, "1.1.0", "public");
        CliHarness.Result minor = ShopMesh.run(mesh, "run", "shop.people");
        assertThat(minor.exitCode()).isEqualTo(2);
        assertThat(minor.out() + minor.err()).contains("column 'email' published redacted instead of as it is");
        people(mesh, "2.0.0", "public");
        assertThat(ShopMesh.run(mesh, "run", "shop.people").exitCode()).isEqualTo(2);
        CliHarness.Result rebuilt = ShopMesh.run(mesh, "run", "shop.people", "--full-refresh");
        assertThat(rebuilt.exitCode()).as(rebuilt.out() + rebuilt.err()).isZero();
        assertThat(table(mesh, "shop/products/people").collectAsList()).hasSize(3)
                .allSatisfy(row -> assertThat(row.get(1)).isNull());
    }

    private static void people(TestMesh mesh, String version, String visibility) {
        ProductYaml.product("shop", "people").version(version).files("pos", "{ source: pos.orders, format: csv }")
                .mode("append")
                .schema("{ name: id, type: bigint }", "{ name: email, type: string, classification: pii, "
                        + "protection: redact }")
                .section("access: { visibility: " + visibility + " }").writeTo(mesh);
    }

    @Test
    void declassificationNeedsAReasonAndClassificationNone() {
        TestMesh mesh = customers();
        mailing(mesh, "SELECT id, email AS contact FROM c", ", classification: pii, declassified: \"because\"");
        CliHarness.Result wrong = ShopMesh.run(mesh, "validate");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.out() + wrong.err()).contains("declassifies a column, so its classification must be none");

        // a governance rule can forbid the producer's call, or (as a warning) report each one for review
        mailing(mesh, "SELECT id, email AS contact FROM c", ", classification: none, declassified: \"a test\"");
        assertThat(ShopMesh.run(mesh, "validate").exitCode()).isZero();
        mesh.approvedGovernance("""
                apiVersion: mesh/v1
                kind: Governance
                body:
                  members: [{ domain: shop, representative: shop@example.com }]
                rules:
                  - { id: no-declassification, kind: noDeclassification, message: ask the body first }
                """, "shop@example.com");
        CliHarness.Result forbidden = ShopMesh.run(mesh, "policies", "check");
        assertThat(forbidden.exitCode()).isEqualTo(2);
        assertThat(forbidden.out() + forbidden.err()).contains("[no-declassification] column 'contact' is declared "
                + "declassified (\"a test\"): ask the body first");
    }

    @Test
    void aConsumerCannotWidenWhatItWasGranted() {
        TestMesh mesh = TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN).domain("crm", """
                apiVersion: mesh/v1
                kind: Domain
                name: crm
                owners: [crm@example.com]
                sources:
                  - { name: crm.people, landing: people }
                """);
        String access = "access: { visibility: consumers, consumers: [shop] }";
        ProductYaml.product("crm", "people").files("raw", "{ source: crm.people, format: csv }")
                .schema("{ name: id, type: bigint }", "{ name: segment, type: string }").section(access)
                .writeTo(mesh);
        resold(mesh, "access: { visibility: public }");
        CliHarness.Result widened = ShopMesh.run(mesh, "validate");
        assertThat(widened.exitCode()).isEqualTo(2);
        assertThat(widened.out() + widened.err()).contains("access.visibility: shows what it derives from "
                + "'crm.people' to every domain, while domain 'crm' shares it only with [crm, shop]; a consumer "
                + "cannot widen what it was granted: narrow access to those domains, or ask domain 'crm' to list "
                + "'shop' under access.republish");
        resold(mesh, "access: { visibility: consumers, consumers: [crm, fin] }");
        mesh.domain("fin", TestMesh.SHOP_DOMAIN.replace("shop", "fin").replace("pos.orders", "fin.ledger"));
        CliHarness.Result listed = ShopMesh.run(mesh, "validate");
        assertThat(listed.exitCode()).isEqualTo(2);
        assertThat(listed.out() + listed.err()).contains("shows what it derives from 'crm.people' to [fin], while "
                + "domain 'crm' shares it only with [crm, shop]");

        // an input that only decides rows (here: how many) puts none of its values in the output
        ProductYaml.product("shop", "resold").noInputs().reads("p", "crm.people")
                .sqlBlock("SELECT count(*) AS n FROM p WHERE segment = 'gold'")
                .schema("{ name: n, type: bigint }").section("access: { visibility: public }").writeTo(mesh);
        CliHarness.Result counted = ShopMesh.run(mesh, "validate");
        assertThat(counted.exitCode()).as(counted.out() + counted.err()).isZero();

        // kept within the grant, or granted re-publication by the producer, it validates
        resold(mesh, "access: { visibility: domain }");
        assertThat(ShopMesh.run(mesh, "validate").exitCode()).isZero();
        resold(mesh, "access: { visibility: public }");
        ProductYaml.product("crm", "people").files("raw", "{ source: crm.people, format: csv }")
                .schema("{ name: id, type: bigint }", "{ name: segment, type: string }")
                .section("access: { visibility: consumers, consumers: [shop], republish: [shop] }").writeTo(mesh);
        CliHarness.Result granted = ShopMesh.run(mesh, "validate");
        assertThat(granted.exitCode()).as(granted.out() + granted.err()).isZero();
    }

    private static void resold(TestMesh mesh, String access) {
        ProductYaml.product("shop", "resold").noInputs().reads("p", "crm.people")
                .sqlBlock("SELECT id, segment FROM p")
                .schema("{ name: id, type: bigint }", "{ name: segment, type: string }").section(access)
                .writeTo(mesh);
    }

    private TestMesh customers() {
        TestMesh mesh = TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN);
        ProductYaml.product("shop", "customers").files("pos", "{ source: pos.orders, format: csv }")
                .schema("{ name: id, type: bigint }",
                        "{ name: name, type: string, classification: pii, protection: redact }",
                        "{ name: email, type: string, classification: pii, protection: redact }")
                .section("access: { visibility: domain }")
                .writeTo(mesh);
        mesh.land("shop", "orders", "c.csv", """
                id,name,email
                1,Ana Lima,ana@example.com
                2,Bo Berg,bo@example.com
                """);
        return mesh;
    }

    private static void mailing(TestMesh mesh, String sql, String contactFields) {
        mailing(mesh, sql, contactFields, "1.0.0");
    }

    private static void mailing(TestMesh mesh, String sql, String contactFields, String version) {
        ProductYaml.product("shop", "mailing").version(version).noInputs().reads("c", "shop.customers").sqlBlock(sql)
                .schema("{ name: id, type: bigint }", "{ name: contact, type: string" + contactFields + " }")
                .section("access: { visibility: public }")
                .writeTo(mesh);
    }
}
