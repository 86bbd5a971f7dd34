package dev.mesh.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.LineageSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.SpecProblem;
import dev.mesh.spec.testing.SpecFixture;
import dev.mesh.spec.testing.TestMesh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad specs, one mistake each: every problem is reported with its file, line, field path and what is allowed. */
class SpecValidationTest {
    static final String SHOP = SpecFixture.SHOP;
    static final String FINANCE = SpecFixture.FINANCE;
    static final String ORDERS = SpecFixture.ORDERS;
    static final String REVENUE = SpecFixture.REVENUE;
    static final String ORDERS_FILE = SpecFixture.ORDERS_FILE;
    static final String REVENUE_FILE = SpecFixture.REVENUE_FILE;

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
    void theValidMeshHasNoProblems() {
        SpecLoad load = load();
        assertThat(load.problems()).isEmpty();
        MeshSpec spec = load.orThrow();
        assertThat(spec.domains()).extracting(DomainSpec::name).containsExactly("finance", "shop");
        ProductSpec orders = spec.product(new ProductId("shop", "orders")).orElseThrow();
        assertThat(orders.output().keys()).containsExactly("order_id");
        assertThat(orders.quality().checks()).hasSize(2);
        assertThat(orders.sla().freshness()).hasHours(24);
        assertThat(orders.hash()).hasSize(64);
        assertThat(spec.platform().storageRoot().toString()).isEqualTo("file:" + dir.resolve("zones"));
    }

    @Test
    void theHashIgnoresCommentsAndLayout() {
        String before = load().orThrow().product(new ProductId("shop", "orders")).orElseThrow().hash();
        mesh.product("shop", "orders", "# a comment\n" + ORDERS.replace("version: 1.0.0", "version:   1.0.0"));
        String after = load().orThrow().product(new ProductId("shop", "orders")).orElseThrow().hash();
        assertThat(after).isEqualTo(before);
    }

    @Test
    void unknownTopLevelFieldSuggestsTheNearest() {
        editOrders("owner: shop@example.com", "owner: shop@example.com\ndescripton: typo");
        assertProblems(at(ORDERS_FILE, "descripton:", "descripton: unknown field 'descripton'; did you mean "
                + "'description'? (allowed: apiVersion, kind, name, domain, version, owner, description, inputs, "
                + "transform, output, quality, sla, access, tags, versions)"));
    }

    @Test
    void unsupportedApiVersion() {
        editOrders("apiVersion: mesh/v1", "apiVersion: mesh/v2");
        assertProblems(at(ORDERS_FILE, "apiVersion:", "apiVersion: 'mesh/v2' is not supported; allowed: mesh/v1"));
    }

    @Test
    void wrongKind() {
        editOrders("kind: DataProduct", "kind: Domain");
        assertProblems(at(ORDERS_FILE, "kind:", "kind: 'Domain' is not allowed here; this file must be of kind "
                + "DataProduct"));
    }

    @Test
    void missingName() {
        editOrders("name: orders\n", "");
        assertProblems(ORDERS_FILE + ": name: is required");
    }

    @Test
    void nameDoesNotMatchTheFile() {
        editOrders("name: orders", "name: order");
        assertProblems(at(ORDERS_FILE, "name: order", "name: 'order' does not match the file name 'orders.yaml'; "
                + "name the file after the product (order.yaml)"));
    }

    @Test
    void invalidProductName() {
        mesh.product("shop", "Orders", ORDERS.replace("name: orders", "name: Orders"));
        editOrders("name: orders", "name: orders");
        assertThat(problems()).contains(at("domains/shop/products/Orders.yaml", "name: Orders", "name: 'Orders' is not "
                + "a valid name; use lower-case letters, digits and '_', starting with a letter (at most 63 characters)"));
    }

    @Test
    void domainDoesNotMatchTheFolder() {
        editOrders("domain: shop", "domain: finance");
        assertProblems(at(ORDERS_FILE, "domain: finance", "domain: 'finance' does not match the domain folder 'shop'; "
                + "a product lives in its own domain's products/ folder"));
    }

    @Test
    void versionIsNotSemver() {
        editOrders("version: 1.0.0", "version: \"1.0\"");
        assertProblems(at(ORDERS_FILE, "version:", "version: '1.0' is not a semantic version; use MAJOR.MINOR.PATCH, "
                + "e.g. 1.0.0"));
    }

    @Test
    void versionWrittenAsANumber() {
        editOrders("version: 1.0.0", "version: 1.0");
        assertProblems(at(ORDERS_FILE, "version:", "version: expected a string, found a number"));
    }

    @Test
    void keptMajorsAreOlderThanTheCurrentOneAndEndOnADate() {
        editOrders("version: 1.0.0", "version: 2.1.0\nversions:\n  1: { until: 2027-03-01, columns: { status: "
                + "\"'NEW'\" } }\n  2: { until: 2027-03-01 }\n  0: { until: 2027-02-30 }\n  x: {}");
        assertProblems(
                at(ORDERS_FILE, "  2: {", "versions.2: '2' is not an older major version: keep a major below the "
                        + "current one (2), e.g. 1"),
                at(ORDERS_FILE, "  0: {", "versions.0: '0' is not an older major version: keep a major below the "
                        + "current one (2), e.g. 1"),
                at(ORDERS_FILE, "  x: {", "versions.x: 'x' is not an older major version: keep a major below the "
                        + "current one (2), e.g. 1"));
        editOrders("  2: { until: 2027-03-01 }\n  0: { until: 2027-02-30 }\n  x: {}", "");
        editOrders("until: 2027-03-01", "until: 2027-02-30");
        assertThat(problems()).singleElement().asString().contains("versions.1.until: '2027-02-30' is not a date");
    }

    @Test
    void ownerIsNotAnEmailAddress() {
        editOrders("owner: shop@example.com", "owner: the shop team");
        assertProblems(at(ORDERS_FILE, "owner:", "owner: 'the shop team' is not an e-mail address; owners are "
                + "reachable people or teams"));
    }

    @Test
    void emptyInputs() {
        editOrders("""
                inputs:
                  - name: raw
                    files: { source: pos.orders, format: csv, options: { header: "true" } }
                """, "inputs: []\n");
        assertProblems(at(ORDERS_FILE, "inputs:", "inputs: must name at least one input"));
    }

    @Test
    void duplicateInputNames() {
        editRevenue("  - { name: orders, product: shop.orders }",
                "  - { name: orders, product: shop.orders }\n  - { name: orders, product: shop.orders }");
        assertProblems(REVENUE_FILE + ":9: inputs[1].name: input 'orders' is declared twice; input names must be unique");
    }

    @Test
    void inputWithFilesAndProduct() {
        editRevenue("{ name: orders, product: shop.orders }",
                "{ name: orders, product: shop.orders, files: { source: bank.statements, format: csv } }");
        assertProblems(at(REVENUE_FILE, "- { name: orders", "inputs[0]: needs exactly one of 'files' (a source's "
                + "landing files), 'product' (another product's output port) or 'jdbc' (a database table)"));
    }

    @Test
    void misspeltFormat() {
        editOrders("format: csv", "format: parqet");
        assertProblems(at(ORDERS_FILE, "files:", "inputs[0].files.format: 'parqet' is not a file format; allowed: "
                + "csv, json, parquet; did you mean 'parquet'?"));
    }

    @Test
    void undeclaredSource() {
        editOrders("source: pos.orders", "source: pos.order");
        assertProblems(at(ORDERS_FILE, "files:", "inputs[0].files.source: no source 'pos.order' in domain 'shop'; "
                + "did you mean 'pos.orders'? (sources: pos.orders)"));
    }

    @Test
    void readingAnotherDomainsLandingZone() {
        editOrders("source: pos.orders", "source: bank.statements");
        assertProblems(at(ORDERS_FILE, "files:", "inputs[0].files.source: source 'bank.statements' is owned by "
                + "domain 'finance'; a product reads only its own domain's landing zone: read a product of 'finance' "
                + "instead"));
    }

    @Test
    void pathThatLeavesTheZone() {
        editOrders("source: pos.orders,", "source: pos.orders, path: ../../finance/landing,");
        assertProblems(at(ORDERS_FILE, "files:", "inputs[0].files.path: '../../finance/landing' must not contain "
                + "'..': a path cannot leave the domain's zone"));
    }

    @Test
    void braceGroupsThatSpanSegmentsCannotLeaveTheZone() {
        editOrders("source: pos.orders,", "source: pos.orders, path: \"{/..}/{/..}/{/..}/crm/landing/customers\",");
        assertProblems(at(ORDERS_FILE, "files:", "inputs[0].files.path: '{/..}/{/..}/{/..}/crm/landing/customers' holds "
                + "a '/' inside '{...}', which Hadoop expands into separate path segments; a brace group may only offer "
                + "names within one segment, e.g. {2025,2026}"));
        editOrders("{/..}/{/..}/{/..}/crm/landing/customers", "{/..,}/x");
        assertThat(problems()).singleElement().asString().contains("holds a '/' inside '{...}'");
        editOrders("{/..,}/x", "}{/..}/x");
        assertThat(problems()).singleElement().asString().contains("has unbalanced braces");
        editOrders("}{/..}/x", "day={2025,2026}/*.csv");
        assertThat(problems()).isEmpty();
    }

    @Test
    void aLandingFolderIsNamedExactly() {
        mesh.domain("shop", SHOP.replace("landing: orders", "landing: \"{/..}/crm/landing\""));
        assertProblems(at("domains/shop/domain.yaml", "- { name: pos.orders", "sources[0].landing: '{/..}/crm/landing' "
                + "holds a glob character; a landing folder is named exactly (letters, digits, '_', '-', '.', '=' and "
                + "'/')"));
        mesh.domain("shop", SHOP.replace("landing: orders", "landing: ../crm"));
        assertThat(problems()).singleElement().asString().contains("'../crm' must not contain '..'");
    }

    @Test
    void ignorePatternsAndChangedFiles() {
        editOrders("source: pos.orders,", "source: pos.orders, ignore: [\"*.tmp\", \"[a\"], onChangedFile: redo,");
        assertProblems(
                at(ORDERS_FILE, "files:", "inputs[0].files.ignore[1]: '[a' is not a glob pattern: Missing ']"),
                at(ORDERS_FILE, "files:", "inputs[0].files.onChangedFile: 'redo' is not a way to handle a published "
                        + "file that changed; allowed: fail, reingest, ignore"));
        editOrders("\"[a\"], onChangedFile: redo", "\"_*\"], onChangedFile: reingest");
        assertThat(problems()).isEmpty();
        editOrders("mode: merge", "mode: append");
        assertProblems(at(ORDERS_FILE, "files:", "inputs[0].files.onChangedFile: reingest would append a changed "
                + "file's rows again next to the ones its first version published (duplicates); use it with "
                + "output.mode merge, or fail (the default) or ignore"));
    }

    @Test
    void readerOptionsThatSkipFilesOrSplitRecordsAreThePlatforms() {
        editOrders("header: \"true\"", "header: \"true\", ignoreCorruptFiles: \"true\", modifiedAfter: "
                + "\"2026-01-01T00:00:00\", multiLine: \"false\"");
        assertThat(problems()).hasSize(3).anySatisfy(problem -> assertThat(problem).contains("options.ignoreCorruptFiles: "
                + "is set by the platform; a corrupt file fails the run, naming it; a file is never skipped silently"))
                .anySatisfy(problem -> assertThat(problem).contains("options.modifiedAfter: is set by the platform; the "
                        + "platform lists the landing files itself"))
                .anySatisfy(problem -> assertThat(problem).contains("options.multiLine: is set by the platform"));
    }

    @Test
    void aRequiredColumnCannotBeRedactedOrDropped() {
        editOrders("{ name: amount, type: \"decimal(10,2)\" }", "{ name: amount, type: \"decimal(10,2)\", required: true, "
                + "protection: redact }");
        assertProblems(at(ORDERS_FILE, "name: amount", "output.schema[1].protection: redact publishes no value of this "
                + "column outside its domain, and required: true promises one in every row; drop required, or protect "
                + "it with hash"));
    }

    @Test
    void absolutePath() {
        editOrders("source: pos.orders,", "source: pos.orders, path: /etc,");
        assertProblems(at(ORDERS_FILE, "files:", "inputs[0].files.path: '/etc' must be a relative path inside the "
                + "domain's zone, without a scheme, drive or leading '/'"));
    }

    @Test
    void everyProblemOfEveryFileInOnePass() {
        // a product with an unknown field is still read, so its consumer's typo is found in the same pass
        editRevenue("product: shop.orders", "product: shop.order");
        editRevenue("version: 2.1.0", "version: 2.1.0\ndescripton: typo");
        editOrders("owner: shop@example.com", "owner: shop@example.com\nlabels: [x]");
        List<String> found = problems();
        assertThat(found).anyMatch(p -> p.startsWith(REVENUE_FILE) && p.contains("descripton: unknown field"))
                .anyMatch(p -> p.startsWith(REVENUE_FILE) && p.contains("no product 'shop.order' in the mesh"))
                .anyMatch(p -> p.startsWith(ORDERS_FILE) && p.contains("labels: unknown field"));
    }

    @Test
    void unknownUpstreamProduct() {
        editRevenue("product: shop.orders", "product: shop.order");
        assertProblems(at(REVENUE_FILE, "- { name: orders", "inputs[0].product: no product 'shop.order' in the mesh; "
                + "did you mean 'shop.orders'?"));
    }

    @Test
    void aPinnedMajorVersionMustExist() {
        editRevenue("product: shop.orders", "product: shop.orders@2");
        assertProblems(at(REVENUE_FILE, "- { name: orders", "inputs[0].product: relies on major version 2 of "
                + "'shop.orders', which declares version 1.0.0; read @1 or no major"));
        editRevenue("product: shop.orders@2", "product: shop.orders@x");
        assertProblems(at(REVENUE_FILE, "- { name: orders", "inputs[0].product: 'shop.orders@x' is not a product "
                + "reference; use DOMAIN.PRODUCT, or DOMAIN.PRODUCT@MAJOR to rely on one major version of its schema"));
    }

    @Test
    void productReferenceWithoutDomain() {
        editRevenue("product: shop.orders", "product: orders");
        assertProblems(at(REVENUE_FILE, "- { name: orders", "inputs[0].product: 'orders' is not a product reference; "
                + "use DOMAIN.PRODUCT, or DOMAIN.PRODUCT@MAJOR to rely on one major version of its schema"));
    }

    @Test
    void upstreamNotVisibleToTheDomain() {
        editOrders("sla: { freshness: PT24H }", "sla: { freshness: PT24H }\naccess: { visibility: domain }");
        assertProblems(at(REVENUE_FILE, "- { name: orders", "inputs[0].product: product 'shop.orders' is not visible "
                + "to domain 'finance' (its access is domain); ask domain 'shop' to list 'finance' in "
                + "access.consumers, or to approve an access request for it"));
    }

    @Test
    void consumerThatIsNoDomain() {
        editOrders("sla: { freshness: PT24H }",
                "sla: { freshness: PT24H }\naccess: { visibility: consumers, consumers: [finanse] }");
        assertProblems(at(REVENUE_FILE, "- { name: orders", "inputs[0].product: product 'shop.orders' is "
                + "not visible to domain 'finance' (its access is consumers); ask domain 'shop' to list 'finance' in "
                + "access.consumers, or to approve an access request for it"), at(ORDERS_FILE, "access:", "access.consumers[0]: no domain 'finanse' in the "
                + "mesh; did you mean 'finance'?"));
    }

    @Test
    void misspeltTemplate() {
        editRevenue("template: sql", "template: sqll");
        assertProblems(at(REVENUE_FILE, "template:", "transform.template: 'sqll' is not a template; allowed: ingest, "
                + "sql; did you mean 'sql'?"));
    }

    @Test
    void sqlTemplateWithoutSql() {
        editRevenue("  sql: SELECT status, sum(amount) AS revenue FROM orders GROUP BY status\n", "");
        assertProblems(at(REVENUE_FILE, "transform:", "transform.sql: is required by the sql template: a SELECT over "
                + "the inputs by name"));
    }

    @Test
    void ingestOfTwoInputs() {
        editOrders("transform: { template: ingest }", """
                  - { name: more, files: { source: pos.orders, format: csv } }
                transform: { template: ingest }""");
        assertProblems(at(ORDERS_FILE, "transform:", "transform.template: ingest reads exactly one input, but the "
                + "product declares 2; use template: sql to combine inputs"));
    }

    @Test
    void unknownWriteMode() {
        editOrders("mode: merge", "mode: upsert");
        assertProblems(at(ORDERS_FILE, "mode:", "output.mode: 'upsert' is not a write mode; allowed: append, "
                + "overwrite, merge"));
    }

    @Test
    void mergeWithoutKeys() {
        editOrders("  keys: [order_id]\n", "");
        assertProblems(at(ORDERS_FILE, "output:", "output.keys: is required by mode merge: the columns that identify "
                + "a row"));
    }

    @Test
    void misspeltKeyColumn() {
        editOrders("keys: [order_id]", "keys: [order_idd]");
        assertProblems(at(ORDERS_FILE, "keys:", "output.keys[0]: no column 'order_idd' in output.schema; did you mean "
                + "'order_id'?"));
    }

    @Test
    void partitionColumnThatIsNotInTheSchema() {
        editOrders("keys: [order_id]", "keys: [order_id]\n  partitionBy: [day]");
        assertProblems(at(ORDERS_FILE, "partitionBy:", "output.partitionBy[0]: no column 'day' in output.schema "
                + "(columns: order_id, amount, status)"));
    }

    @Test
    void misspeltType() {
        editOrders("type: bigint", "type: bigin");
        assertProblems(at(ORDERS_FILE, "type: bigin", "output.schema[0].type: 'bigin' is not a type; allowed: string, "
                + "boolean, tinyint, smallint, int, bigint, float, double, date, timestamp, binary, decimal(p,s); did "
                + "you mean 'bigint'?"));
    }

    @Test
    void decimalWithScaleAbovePrecision() {
        editOrders("decimal(10,2)", "decimal(2,10)");
        assertProblems(at(ORDERS_FILE, "name: amount", "output.schema[1].type: 'decimal(2,10)' is not a valid decimal; "
                + "precision is 1 to 38 and scale at most the precision"));
    }

    @Test
    void columnDeclaredTwice() {
        editOrders("    - { name: status, type: string }", "    - { name: status, type: string }\n"
                + "    - { name: status, type: int }");
        assertProblems(at(ORDERS_FILE, "name: status, type: int", "output.schema[3].name: column 'status' is declared "
                + "twice"));
    }

    @Test
    void misspeltCheck() {
        editOrders("check: allowedValues", "check: allowedValue");
        assertProblems(at(ORDERS_FILE, "check: allowedValue", "quality.checks[0].check: 'allowedValue' is not a check; "
                + "allowed: complete, completeness, unique, allowedValues, rowCount, min, max, mean, pattern, "
                + "satisfies; did you mean 'allowedValues'?"));
    }

    @Test
    void checkOnAMisspeltColumn() {
        editOrders("column: status", "column: statsu");
        assertProblems(at(ORDERS_FILE, "check: allowedValues", "quality.checks[0].column: no column 'statsu' in "
                + "output.schema; did you mean 'status'?"));
    }

    @Test
    void allowedValuesWithoutValues() {
        editOrders(", values: [NEW, PAID]", "");
        assertProblems(at(ORDERS_FILE, "check: allowedValues", "quality.checks[0].values: is required"));
    }

    @Test
    void fieldThatTheCheckDoesNotTake() {
        editOrders("{ check: min, column: amount, atLeast: 0 }", "{ check: complete, column: amount, min: 0.9 }");
        assertProblems(at(ORDERS_FILE, "check: complete", "quality.checks[1].min: unknown field 'min' (allowed: check, "
                + "level, name, column)"));
    }

    @Test
    void rowCountMinAboveMax() {
        editOrders("{ check: min, column: amount, atLeast: 0 }", "{ check: rowCount, min: 10, max: 5 }");
        assertProblems(at(ORDERS_FILE, "check: rowCount", "quality.checks[1].min: min 10 is greater than max 5"));
    }

    @Test
    void completenessAboveOne() {
        editOrders("{ check: min, column: amount, atLeast: 0 }", "{ check: completeness, column: amount, min: 1.5 }");
        assertProblems(at(ORDERS_FILE, "check: completeness", "quality.checks[1].min: 1.5 is not a fraction; use a "
                + "number between 0 and 1"));
    }

    @Test
    void unknownLevel() {
        editOrders("atLeast: 0 }", "atLeast: 0, level: fatal }");
        assertProblems(at(ORDERS_FILE, "check: min", "quality.checks[1].level: 'fatal' is not a level; allowed: error, "
                + "warning"));
    }

    @Test
    void minOfAStringColumn() {
        editOrders("{ check: min, column: amount, atLeast: 0 }", "{ check: min, column: status, atLeast: 0 }");
        assertProblems(at(ORDERS_FILE, "check: min", "quality.checks[1].column: 'status' is string; this check needs a "
                + "numeric column"));
    }

    @Test
    void meanOfAStringColumnAndMeanWithoutBounds() {
        editOrders("{ check: allowedValues, column: status, values: [NEW, PAID] }", "{ check: mean, column: amount }");
        editOrders("{ check: min, column: amount, atLeast: 0 }", "{ check: mean, column: status, atLeast: 0 }");
        assertProblems(
                at(ORDERS_FILE, "check: mean, column: amount", "quality.checks[0]: needs 'atLeast', 'atMost' or both"),
                at(ORDERS_FILE, "check: mean, column: status", "quality.checks[1].column: 'status' is string; this "
                        + "check needs a numeric column"));
    }

    @Test
    void invalidRegex() {
        editOrders("{ check: min, column: amount, atLeast: 0 }", "{ check: pattern, column: status, regex: \"[A-Z\" }");
        assertProblems(at(ORDERS_FILE, "check: pattern", "quality.checks[1].regex: '[A-Z' is not a valid regular "
                + "expression: Unclosed character class"));
    }

    @Test
    void satisfiesWithoutName() {
        editOrders("{ check: min, column: amount, atLeast: 0 }", "{ check: satisfies, sql: \"amount > 0\" }");
        assertProblems(at(ORDERS_FILE, "check: satisfies", "quality.checks[1].name: is required by satisfies: it names "
                + "the rule in metrics and reports"));
    }

    @Test
    void freshnessThatIsNotADuration() {
        editOrders("freshness: PT24H", "freshness: 24 hours");
        assertProblems(at(ORDERS_FILE, "sla:", "sla.freshness: '24 hours' is not an ISO-8601 duration; use e.g. PT24H, "
                + "PT30M or P1D"));
    }

    @Test
    void misspeltRowRule() {
        editOrders("quality:\n  checks:", "quality:\n  rowRules:\n    - { check: notNul, column: amount }\n  checks:");
        assertProblems(at(ORDERS_FILE, "check: notNul", "quality.rowRules[0].check: 'notNul' is not a row rule; "
                + "allowed: notNull, allowedValues, pattern, range, satisfies; did you mean 'notNull'?"));
    }

    @Test
    void rowRuleOnAMissingColumn() {
        editOrders("quality:\n  checks:", "quality:\n  rowRules:\n    - { check: range, column: amont, min: 0 }\n"
                + "  checks:");
        assertProblems(at(ORDERS_FILE, "check: range", "quality.rowRules[0].column: no column 'amont' in "
                + "output.schema; did you mean 'amount'?"));
    }

    @Test
    void anomalyRuleNeedsOneKindOfBound() {
        editOrders("quality:\n  checks:", "quality:\n  anomalies:\n    - { metric: rowCount, maxDecrease: 0.3, "
                + "stdDevs: 3 }\n  checks:");
        assertProblems(at(ORDERS_FILE, "metric: rowCount", "quality.anomalies[0]: needs exactly one kind of bound: "
                + "maxDecrease and/or maxIncrease (relative change), maxChange (absolute change) or stdDevs (distance "
                + "from the history's mean)"));
    }

    @Test
    void anomalyOnAMetricThatNeedsAColumn() {
        editOrders("quality:\n  checks:", "quality:\n  anomalies:\n    - { metric: mean, stdDevs: 3 }\n  checks:");
        assertProblems(at(ORDERS_FILE, "metric: mean", "quality.anomalies[0].column: is required"));
    }

    @Test
    void quarantineRateAboveOne() {
        editOrders("quality:\n  checks:", "quality:\n  maxQuarantineRate: 5\n  checks:");
        assertProblems(at(ORDERS_FILE, "maxQuarantineRate", "quality.maxQuarantineRate: 5.0 is not a fraction; use a "
                + "number between 0 and 1"));
    }

    @Test
    void webhookWithoutUrl() {
        mesh.write("platform.yaml", Files_read(mesh.platformFile()) + "alerts:\n  - { type: webhook, retries: 3 }\n");
        assertProblems(at("platform.yaml", "type: webhook", "alerts[0]: a webhook needs exactly one of 'url' or 'urlEnv' "
                + "(the environment variable holding a URL that carries a token)"));
    }

    @Test
    void lineageTransportsAreReadAndTheirMistakesNamed() {
        mesh.write("platform.yaml", Files_read(mesh.platformFile()) + """
                lineage:
                  transports:
                    - { type: console }
                    - { type: file, path: lineage/events.jsonl }
                    - { type: http, url: "http://127.0.0.1:5000", apiKeyEnv: MARQUEZ_KEY, timeout: PT2S }
                """);
        LineageSpec lineage = load().orThrow().platform().lineage().orElseThrow();
        assertThat(lineage.namespace()).isEqualTo(load().orThrow().platform().name());
        assertThat(lineage.transports()).extracting(LineageSpec.Transport::type).containsExactly(
                LineageSpec.TransportType.CONSOLE, LineageSpec.TransportType.FILE, LineageSpec.TransportType.HTTP);
        assertThat(lineage.transports().get(1).file()).contains(mesh.dir().resolve("lineage/events.jsonl"));
        assertThat(lineage.transports().get(2).endpoint()).isEqualTo("/api/v1/lineage");

        mesh.write("platform.yaml", Files_read(mesh.platformFile()).replaceAll("(?s)lineage:.*", "") + """
                lineage:
                  transports:
                    - { type: kafka }
                    - { type: file }
                    - { type: http, url: "http://user:pw@marquez:5000" }
                    - { type: http, url: "http://marquez:5000", apiKeyEnv: "the key" }
                """);
        assertThat(problems()).anyMatch(p -> p.contains("transports[0].type: 'kafka' is not a lineage transport"))
                .anyMatch(p -> p.contains("transports[1]: a file transport needs 'path'"))
                .anyMatch(p -> p.contains("transports[2].url: must not carry credentials"))
                .anyMatch(p -> p.contains("transports[3].apiKeyEnv: 'the key' is not an environment variable name"));
    }

    @Test
    void productsThatReadEachOther() {
        mesh.product("shop", "returns", REVENUE.replace("name: revenue", "name: returns")
                .replace("domain: finance", "domain: shop").replace("owner: finance@", "owner: shop@")
                .replace("product: shop.orders", "product: finance.revenue"));
        editRevenue("{ name: orders, product: shop.orders }", "{ name: orders, product: shop.returns }");
        assertProblems(at(REVENUE_FILE, "inputs:", "inputs: products form a cycle: finance.revenue -> shop.returns -> "
                + "finance.revenue; a product cannot depend on itself, directly or through others"));
    }

    @Test
    void sourceOwnedByTwoDomains() {
        mesh.domain("finance", FINANCE.replace("bank.statements", "pos.orders"));
        assertProblems(at("domains/shop/domain.yaml", "- { name: pos.orders", "sources[0].name: source 'pos.orders' is "
                + "already owned by domain 'finance'; a source has exactly one owning domain"));
    }

    @Test
    void domainWithoutOwners() {
        mesh.domain("shop", SHOP.replace("owners: [shop@example.com]\n", ""));
        assertProblems("domains/shop/domain.yaml: owners: is required");
    }

    @Test
    void domainNameThatDoesNotMatchItsFolder() {
        mesh.domain("shop", SHOP.replace("name: shop", "name: store"));
        assertThat(problems()).first().isEqualTo(at("domains/shop/domain.yaml", "name: store", "name: 'store' does not "
                + "match its folder 'shop'; a domain's folder is named after the domain"));
    }

    @Test
    void unsupportedStorageScheme() {
        mesh.write("platform.yaml", Files_read(mesh.platformFile()).replace("root: zones", "root: hdfs://nn/mesh"));
        assertProblems(at("platform.yaml", "root:", "storage.root: scheme 'hdfs' is not supported; allowed: file, s3a, or a "
                + "local path"));
    }

    @Test
    void sparkSettingWithoutPrefix() {
        mesh.write("platform.yaml", Files_read(mesh.platformFile()).replace("master: local[2]",
                "master: local[2]\n  conf: { sql.shuffle.partitions: 4 }"));
        assertProblems(at("platform.yaml", "conf:", "spark.conf.sql.shuffle.partitions: 'sql.shuffle.partitions' is not "
                + "a Spark setting; Spark settings start with 'spark.'"));
    }

    @Test
    void yamlSyntaxError() {
        editOrders("mode: merge", "mode: [merge");
        assertThat(problems()).singleElement().asString()
                .startsWith(ORDERS_FILE + ":").contains(": not valid YAML: ");
    }

    @Test
    void duplicateKey() {
        editOrders("version: 1.0.0", "version: 1.0.0\nversion: 1.0.1");
        assertThat(problems()).singleElement().asString()
                .startsWith(ORDERS_FILE + ":6: not valid YAML: Duplicate field 'version'");
    }

    @Test
    void readerOptionsThePlatformSets() {
        editOrders("options: { header: \"true\" }", "options: { header: \"true\", mode: DROPMALFORMED, charset: latin1 }");
        assertProblems(at(ORDERS_FILE, "mode: DROPMALFORMED", "inputs[0].files.options.mode: is set by the platform; "
                        + "records that do not parse always go to quarantine"),
                at(ORDERS_FILE, "mode: DROPMALFORMED", "inputs[0].files.options.charset: is set by the platform; use "
                        + "the input's encoding field"));
    }

    @Test
    void unknownEncodingAndSchemaMismatchHandling() {
        editOrders("format: csv,", "format: csv, encoding: latin-9000, onSchemaMismatch: drop,");
        assertProblems(at(ORDERS_FILE, "latin-9000", "inputs[0].files.encoding: 'latin-9000' is not a character set "
                        + "Java knows; e.g. UTF-8, ISO-8859-1, windows-1252, UTF-16"),
                at(ORDERS_FILE, "latin-9000", "inputs[0].files.onSchemaMismatch: 'drop' is not a way to handle a schema "
                        + "mismatch; allowed: fail, quarantine, ignoreExtra, evolve"));
    }

    @Test
    void twoFilesDeclaringOneProduct() {
        mesh.write("domains/shop/products/orders.yml", ORDERS.replace("type: string", "type: int"));
        assertProblems("domains/shop/products/orders.yml: declares product shop.orders like "
                + "domains/shop/products/orders.yaml; a product has one spec file: remove one of the two");
    }

    @Test
    void fileThatIsNotUtf8() throws IOException {
        byte[] text = ORDERS.replace("version: 1.0.0", "version: 1.0.0\ndescription: caf\u00e9")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(dir.resolve(ORDERS_FILE), text);
        assertProblems(ORDERS_FILE + ":6: not UTF-8 text: byte 0xE9 at line 6 is not valid UTF-8; save the file as "
                + "UTF-8");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        editOrders("format: csv", "format: parqet");
        editOrders("type: bigint", "type: bigin");
        editRevenue("template: sql", "template: sqll");
        assertThat(problems()).hasSize(3);
        SpecLoad load = load();
        assertThat(load.mesh()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(load::orThrow)
                .hasMessageStartingWith("3 problems in the mesh's specs:")
                .hasMessageContaining("did you mean 'parquet'?")
                .hasMessageContaining("did you mean 'bigint'?")
                .hasMessageContaining("did you mean 'sql'?");
    }

    @Test
    void missingPlatformFile() {
        SpecLoad load = new SpecLoader(dir).load(dir.resolve("nope.yaml"), Optional.empty());
        assertThat(load.problems()).extracting(SpecProblem::toString).containsExactly("nope.yaml: no such file; pass "
                + "--platform FILE (the example mesh's is examples/platform.yaml)");
    }

    private SpecLoad load() {
        return fixture.load();
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

    private static String Files_read(Path file) {
        return SpecFixture.read(file);
    }
}
