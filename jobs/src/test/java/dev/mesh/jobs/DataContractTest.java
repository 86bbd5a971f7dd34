package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mesh.jobs.standards.StandardSchemas;
import dev.mesh.spec.SpecLoad;
import dev.mesh.spec.SpecLoader;
import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.testing.TestMesh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ODCS v3.1.0 contracts: every example product's export validates against the standard's JSON schema and imports
 * back to the same product; a contract written by hand imports to a spec mesh validate accepts, with every part
 * that has no meaning here listed. No Spark.
 */
class DataContractTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    @Test
    void everyExampleProductExportsAValidContractAndImportsBackToAnEquivalentSpec() throws Exception {
        Path mesh = copy(CliHarness.EXAMPLES.getParent(), dir.resolve("examples"));
        Path platform = mesh.resolve("platform.yaml");
        // a declassified column travels too
        Path balances = mesh.resolve("domains/finance/products/customer_balances.yaml");
        Files.writeString(balances, Files.readString(balances).replace("    - { name: orders, type: bigint }",
                "    - { name: orders, type: bigint, classification: none, declassified: \"a count of orders\" }"));
        // and a mean check, the kind added by following docs/extending.md: exported as SELECT AVG, imported back
        Path orders = mesh.resolve("domains/sales/products/orders.yaml");
        Files.writeString(orders, Files.readString(orders).replace("    - { check: rowCount, min: 1 }",
                "    - { check: rowCount, min: 1 }\n    - { check: mean, column: totalprice, atLeast: 1000, "
                        + "atMost: 1000000, level: warning }"));
        MeshSpec before = load(platform).orThrow();
        assertThat(before.product(new dev.mesh.spec.model.ProductId("sales", "orders")).orElseThrow().quality()
                .checks()).extracting(CheckSpec::describe).contains("mean(totalprice)");
        assertThat(before.product(new dev.mesh.spec.model.ProductId("finance", "customer_balances")).orElseThrow()
                .output().column("orders").orElseThrow().declassified()).isTrue();
        StandardSchemas odcs = StandardSchemas.odcs();
        assertThat(before.products()).hasSizeGreaterThanOrEqualTo(9);
        for (ProductSpec product : before.products()) {
            Path contract = dir.resolve("contracts/" + product.id() + ".odcs.yaml");
            CliHarness.Result exported = CliHarness.run("--platform", platform.toString(), "contract", "export",
                    product.id().toString(), "--out", contract.toString());
            assertThat(exported.exitCode()).as(exported.err()).isZero();
            JsonNode json = YAML.readTree(contract.toFile());
            assertThat(odcs.problems(json)).as(product.id() + "\n" + Files.readString(contract)).isEmpty();
            assertThat(json.get("apiVersion").asText()).isEqualTo("v3.1.0");
            assertThat(json.get("schema").get(0).get("properties")).hasSize(product.output().schema().size());

            CliHarness.Result imported = CliHarness.run("--platform", platform.toString(), "contract", "import",
                    contract.toString(), "--out", product.file().toString());
            assertThat(imported.exitCode()).as(imported.err()).isZero();
            // the storage location is the platform's to decide; it is the only part an export carries that an
            // import does not take
            assertThat(imported.out()).contains("1 part of the contract not mapped:\n  servers: not mapped");
        }
        SpecLoad after = load(platform);
        assertThat(after.problems()).isEmpty();
        for (ProductSpec original : before.products()) {
            ProductSpec back = after.mesh().orElseThrow().product(original.id()).orElseThrow();
            assertThat(back.version()).isEqualTo(original.version());
            assertThat(back.owner()).isEqualTo(original.owner());
            assertThat(back.description()).isEqualTo(original.description());
            assertThat(back.inputs()).isEqualTo(original.inputs());
            assertThat(back.transform()).isEqualTo(original.transform());
            assertThat(back.output()).isEqualTo(original.output());
            assertThat(back.quality().checks()).as(original.id().toString())
                    .containsExactlyInAnyOrderElementsOf(original.quality().checks());
            assertThat(back.quality().rowRules()).isEqualTo(original.quality().rowRules());
            assertThat(back.quality().anomalies()).isEqualTo(original.quality().anomalies());
            assertThat(back.quality().maxQuarantineRate()).isEqualTo(original.quality().maxQuarantineRate());
            assertThat(back.sla()).isEqualTo(original.sla());
            assertThat(back.access()).isEqualTo(original.access());
        }
        CliHarness.Result validate = CliHarness.run("--platform", platform.toString(), "validate");
        assertThat(validate.exitCode()).as(validate.out() + validate.err()).isZero();
    }

    @Test
    void aHandWrittenContractImportsToAValidSpecListingWhatItCannotMap() throws Exception {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        Path contract = dir.resolve("payments.odcs.yaml");
        try (var in = getClass().getClassLoader().getResourceAsStream("contracts/shop-payments.odcs.yaml")) {
            Files.write(contract, in.readAllBytes());
        }
        assertThat(StandardSchemas.odcs().problems(YAML.readTree(contract.toFile()))).isEmpty();

        CliHarness.Result imported = ShopMesh.run(mesh, "contract", "import", contract.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        Path written = mesh.dir().resolve("domains/shop/products/payments.yaml");
        assertThat(imported.out()).contains("wrote product shop.payments to " + written);
        List<String> notMapped = imported.out().lines().filter(line -> line.startsWith("  ")).map(String::strip)
                .toList();
        assertThat(notMapped).extracting(line -> line.substring(0, line.indexOf(": "))).containsExactly(
                "team.members[2]",
                "schema[0].properties[0].physicalType",
                "schema[0].properties[4].examples",
                "schema[0].properties[5].quality[1]",
                "schema[0].quality[1].dimension",
                "schema[0].quality[3]",
                "schema[0].quality[4]",
                "schema[0].businessName",
                "inputs",
                "slaProperties[2]",
                "tenant",
                "tags",
                "servers",
                "price",
                "id");
        assertThat(notMapped).contains("schema[0].properties[0].physicalType: 'varchar(36)' is stored as string",
                "schema[0].properties[5].quality[1]: a text rule is read by people, not run: 'References are "
                        + "printed on the receipt.'",
                "schema[0].quality[4]: a custom rule for engine 'soda' is not run here");
        // an average is a mean check, but only with bounds it can hold: a strict one is not
        assertThat(notMapped).contains("schema[0].quality[3]: not mapped: a MIN, MAX or AVG query is run here with "
                + "mustBeGreaterOrEqualTo, mustBeLessOrEqualTo or mustBeBetween");
        assertThat(Files.readString(written)).startsWith("# Imported by mesh contract import from "
                + "payments.odcs.yaml (ODCS v3.1.0).\n# Not mapped (15):\n");

        CliHarness.Result validate = ShopMesh.run(mesh, "validate");
        assertThat(validate.exitCode()).as(validate.out() + validate.err()).isZero();
        ProductSpec payments = load(mesh.platformFile()).orThrow().product(new ProductId("shop", "payments"))
                .orElseThrow();
        assertThat(payments.version()).isEqualTo("2.1.0");
        assertThat(payments.owner()).isEqualTo("payments@example.com");
        assertThat(payments.description()).isEqualTo("Card and cash payments of the shop's orders. Usage: "
                + "Reconcile payments with orders. Limitations: No refunds.");
        assertThat(payments.output().schema()).extracting(c -> c.name() + " " + c.type() + (c.required() ? "!" : ""))
                .containsExactly("payment_id string!", "order_id bigint!", "amount decimal(12,2)", "method string",
                        "card_holder string", "reference string", "paid_at timestamp");
        ColumnSpec holder = payments.output().schema().get(4);
        assertThat(holder.classification()).isEqualTo("pii");
        assertThat(holder.description()).isEqualTo("The name printed on the card.");
        assertThat(payments.output().keys()).containsExactly("payment_id");
        assertThat(payments.output().partitionBy()).containsExactly("method");
        assertThat(payments.output().mode().name()).isEqualTo("MERGE");
        assertThat(payments.quality().checks()).extracting(CheckSpec::describe).containsExactlyInAnyOrder(
                "unique(payment_id)", "complete(order_id)", "min(amount)", "max(amount)",
                "allowedValues(method)", "completeness(card_holder)", "pattern(reference)", "rowCount",
                "unique(order_id,paid_at)", "satisfies(paid_after_2020)");
        CheckSpec after2020 = payments.quality().checks().stream().filter(c -> c.kind()
                == CheckSpec.CheckKind.SATISFIES).findFirst().orElseThrow();
        assertThat(after2020.sql()).isEqualTo("NOT (paid_at < TIMESTAMP '2020-01-01 00:00:00')");
        CheckSpec completeness = payments.quality().checks().stream().filter(c -> c.kind()
                == CheckSpec.CheckKind.COMPLETENESS).findFirst().orElseThrow();
        assertThat(completeness.min()).isEqualTo(0.95);
        assertThat(completeness.level()).isEqualTo(CheckSpec.Level.WARNING);
        CheckSpec pattern = payments.quality().checks().stream().filter(c -> c.kind()
                == CheckSpec.CheckKind.PATTERN).findFirst().orElseThrow();
        assertThat(pattern.min()).isEqualTo(0.99);
        assertThat(pattern.regex()).isEqualTo("^[A-Z]{3}-[0-9]+$");
        CheckSpec rows = payments.quality().checks().stream().filter(c -> c.kind()
                == CheckSpec.CheckKind.ROW_COUNT).findFirst().orElseThrow();
        assertThat(rows.min()).isEqualTo(1.0);
        CheckSpec max = payments.quality().checks().stream().filter(c -> c.kind()
                == CheckSpec.CheckKind.MAX).findFirst().orElseThrow();
        assertThat(max.max()).isEqualTo(100000.0);
        assertThat(max.level()).isEqualTo(CheckSpec.Level.WARNING);
        assertThat(payments.sla().freshnessLimit()).contains(Duration.ofDays(1));
        assertThat(payments.sla().durationLimit()).contains(Duration.ofMinutes(30));
        // how it is built is not in the contract: the spec ingests the domain's source, and says so above
        FileInputSpec input = (FileInputSpec) payments.inputs().get(0);
        assertThat(input.source()).isEqualTo("pos.orders");
        assertThat(input.schema()).hasSize(7);

        // importing over a product that exists is refused; --out - prints the spec instead
        CliHarness.Result again = ShopMesh.run(mesh, "contract", "import", contract.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("exists already: product shop.payments is in the mesh");
        CliHarness.Result printed = ShopMesh.run(mesh, "contract", "import", contract.toString(), "--domain",
                "shop", "--out", "-");
        assertThat(printed.out()).contains("kind: DataProduct").contains("name: payments");
    }

    @Test
    void whatIsNotAContractIsRefusedNamingTheFile() throws Exception {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        Path notContract = mesh.write("not-a-contract.yaml", "apiVersion: mesh/v1\nkind: DataProduct\n");
        CliHarness.Result result = ShopMesh.run(mesh, "contract", "import", notContract.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("not-a-contract.yaml: kind is 'DataProduct', not DataContract");
        Path otherDomain = mesh.write("c.yaml", "apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: 1.0.0\n"
                + "status: active\ndomain: marketing\nschema:\n  - name: leads\n    properties:\n"
                + "      - { name: id, logicalType: integer }\n");
        CliHarness.Result unknown = ShopMesh.run(mesh, "contract", "import", otherDomain.toString());
        assertThat(unknown.err()).contains("domain 'marketing' is not in the mesh; give one with --domain");
        CliHarness.Result noProduct = ShopMesh.run(mesh, "contract", "export", "shop.nothing");
        assertThat(noProduct.exitCode()).isEqualTo(2);
    }

    private static SpecLoad load(Path platform) {
        return new SpecLoader(platform.getParent()).load(platform, Optional.empty());
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return to;
    }
}
