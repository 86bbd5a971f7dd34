package dev.mesh.spec.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.SpecLoad;
import dev.mesh.spec.SpecLoader;
import dev.mesh.spec.model.SpecProblem;
import dev.mesh.spec.spi.SqlSyntax;
import dev.mesh.spec.spi.TemplateCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The valid two-domain mesh that spec tests break one mistake at a time: a shop whose orders product ingests a POS
 * export, and a finance domain whose revenue product reads it with SQL. Edits, loads and names problems by line.
 */
public final class SpecFixture {
    public static final String SHOP = """
            apiVersion: mesh/v1
            kind: Domain
            name: shop
            description: The web shop.
            owners: [shop@example.com]
            businessFunctions: [sales]
            sources:
              - { name: pos.orders, landing: orders }
            """;
    public static final String FINANCE = """
            apiVersion: mesh/v1
            kind: Domain
            name: finance
            owners: [finance@example.com]
            sources:
              - { name: bank.statements, landing: statements }
            """;
    public static final String ORDERS = ProductYaml.shopOrders().noInputs()
            .files("raw", "{ source: pos.orders, format: csv, options: { header: \"true\" } }")
            .checks("{ check: allowedValues, column: status, values: [NEW, PAID] }",
                    "{ check: min, column: amount, atLeast: 0 }")
            .section("sla: { freshness: PT24H }")
            .yaml();
    public static final String REVENUE = ProductYaml.product("finance", "revenue").version("2.1.0")
            .reads("orders", "shop.orders")
            .sql("SELECT status, sum(amount) AS revenue FROM orders GROUP BY status")
            .schema("{ name: status, type: string }", "{ name: revenue, type: \"decimal(20,2)\" }")
            .yaml();
    public static final String ORDERS_FILE = "domains/shop/products/orders.yaml";
    public static final String REVENUE_FILE = "domains/finance/products/revenue.yaml";

    private final Path dir;
    private final TestMesh mesh;

    private SpecFixture(Path dir, TestMesh mesh) {
        this.dir = dir;
        this.mesh = mesh;
    }

    /** Writes the valid mesh into {@code dir}. */
    public static SpecFixture in(Path dir) {
        return new SpecFixture(dir, TestMesh.in(dir)
                .domain("shop", SHOP)
                .domain("finance", FINANCE)
                .product("shop", "orders", ORDERS)
                .product("finance", "revenue", REVENUE));
    }

    public TestMesh mesh() {
        return mesh;
    }

    public SpecLoad load() {
        return new SpecLoader(dir).load(mesh.platformFile(), Optional.empty());
    }

    /** Loads with these templates instead of the ones on the classpath (and SQL unchecked). */
    public SpecLoad load(TemplateCatalog templates) {
        return new SpecLoader(dir, SqlSyntax.UNCHECKED, templates).load(mesh.platformFile(), Optional.empty());
    }

    public List<String> problems() {
        return load().problems().stream().map(SpecProblem::toString).toList();
    }

    public List<String> problems(TemplateCatalog templates) {
        return load(templates).problems().stream().map(SpecProblem::toString).toList();
    }

    /** Replaces {@code from} (which must be there) by {@code to} in one of the mesh's files. */
    public void edit(String file, String from, String to) {
        String content = read(dir.resolve(file));
        assertThat(content).as("the edit's anchor in " + file).contains(from);
        mesh.write(file, content.replace(from, to));
    }

    /** "file:LINE: message", LINE being the first line of the file that contains {@code anchor}. */
    public String at(String file, String anchor, String message) {
        List<String> lines = read(dir.resolve(file)).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(anchor)) {
                return file + ":" + (i + 1) + ": " + message;
            }
        }
        throw new AssertionError("no line with '" + anchor + "' in " + file);
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
