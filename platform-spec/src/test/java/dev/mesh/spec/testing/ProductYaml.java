package dev.mesh.spec.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The one way tests write a product file: the shop's orders product ({@link #shopOrders()}) and its variants, or any
 * other product from its parts. Each method replaces one part; {@link #yaml()} prints the file in the layout of the
 * example mesh, so that tests can anchor edits on its lines.
 */
public final class ProductYaml {
    /** The shop's orders columns as the point-of-sale export lands them. */
    public static final List<String> ORDER_COLUMNS = List.of(
            "{ name: order_id, type: bigint, required: true }",
            "{ name: amount, type: \"decimal(10,2)\" }",
            "{ name: status, type: string }");

    private final String domain;
    private final String name;
    private String version = "1.0.0";
    private String owner;
    private final List<String> inputs = new ArrayList<>();
    private String transform = "transform: { template: ingest }";
    private String mode = "overwrite";
    private List<String> keys = List.of();
    private List<String> partitionBy = List.of();
    private List<String> schema = List.of();
    private String quality = "";
    private final List<String> sections = new ArrayList<>();

    private ProductYaml(String domain, String name) {
        this.domain = domain;
        this.name = name;
        this.owner = domain + "@example.com";
    }

    public static ProductYaml product(String domain, String name) {
        return new ProductYaml(domain, name);
    }

    /**
     * shop.orders: the POS export's CSV files (input {@code pos}, source {@code pos.orders}, with a header) ingested
     * into a merge port keyed by order_id, with {@link #ORDER_COLUMNS}.
     */
    public static ProductYaml shopOrders() {
        return product("shop", "orders").files("pos", "{ source: pos.orders, format: csv, options: { header: \"true\" } }")
                .mode("merge").keys("order_id").schema(ORDER_COLUMNS);
    }

    public ProductYaml version(String version) {
        this.version = version;
        return this;
    }

    public ProductYaml owner(String owner) {
        this.owner = owner;
        return this;
    }

    /** Adds an input of landing files; {@code files} is the flow map of its {@code files} field. */
    public ProductYaml files(String input, String files) {
        inputs.add("  - name: " + input + "\n    files: " + files);
        return this;
    }

    /** Adds an input of landing files whose {@code files} field is a block (indented under it). */
    public ProductYaml filesBlock(String input, String block) {
        inputs.add("  - name: " + input + "\n    files:\n" + block.stripTrailing().indent(6).stripTrailing());
        return this;
    }

    /** Adds an input that reads a database table; {@code jdbc} is the flow map of its {@code jdbc} field. */
    public ProductYaml jdbc(String input, String jdbc) {
        inputs.add("  - name: " + input + "\n    jdbc: " + jdbc);
        return this;
    }

    /** Adds an input that reads another product's port. */
    public ProductYaml reads(String input, String product) {
        inputs.add("  - { name: " + input + ", product: " + product + " }");
        return this;
    }

    /** Replaces the inputs. */
    public ProductYaml noInputs() {
        inputs.clear();
        return this;
    }

    /** The transform as a flow map, e.g. {@code { template: dedupe, keys: [id], orderBy: [at] }}. */
    public ProductYaml transform(String flowMap) {
        this.transform = "transform: " + flowMap;
        return this;
    }

    /** The sql template with this query. */
    public ProductYaml sql(String query) {
        this.transform = "transform:\n  template: sql\n  sql: " + query;
        return this;
    }

    /** The sql template with this query as a literal block (any text, several lines). */
    public ProductYaml sqlBlock(String query) {
        this.transform = "transform:\n  template: sql\n  sql: |\n" + query.indent(4).stripTrailing();
        return this;
    }

    public ProductYaml mode(String mode) {
        this.mode = mode;
        return this;
    }

    public ProductYaml keys(String... keys) {
        this.keys = List.of(keys);
        return this;
    }

    public ProductYaml partitionBy(String... columns) {
        this.partitionBy = List.of(columns);
        return this;
    }

    /** The output columns, each a flow map like {@code { name: id, type: bigint }}. */
    public ProductYaml schema(List<String> columns) {
        this.schema = List.copyOf(columns);
        return this;
    }

    public ProductYaml schema(String... columns) {
        return schema(List.of(columns));
    }

    /** Dataset checks, each a flow map like {@code { check: unique, column: id }}. */
    public ProductYaml checks(String... checks) {
        return quality("checks:\n" + String.join("\n", List.of(checks).stream().map(c -> "  - " + c).toList()));
    }

    /** The body of the quality section (empty: none). */
    public ProductYaml quality(String body) {
        this.quality = body.stripTrailing();
        return this;
    }

    /** Appends a top-level section as written, e.g. {@code sla: { freshness: PT24H }}. */
    public ProductYaml section(String yaml) {
        sections.add(yaml.stripTrailing());
        return this;
    }

    public String yaml() {
        StringBuilder out = new StringBuilder();
        out.append("apiVersion: mesh/v1\nkind: DataProduct\n");
        out.append("name: ").append(name).append('\n');
        out.append("domain: ").append(domain).append('\n');
        out.append("version: ").append(version).append('\n');
        out.append("owner: ").append(owner).append('\n');
        out.append("inputs:\n");
        inputs.forEach(input -> out.append(input).append('\n'));
        out.append(transform).append('\n');
        out.append("output:\n  mode: ").append(mode).append('\n');
        if (!keys.isEmpty()) {
            out.append("  keys: [").append(String.join(", ", keys)).append("]\n");
        }
        if (!partitionBy.isEmpty()) {
            out.append("  partitionBy: [").append(String.join(", ", partitionBy)).append("]\n");
        }
        out.append("  schema:\n");
        schema.forEach(column -> out.append("    - ").append(column).append('\n'));
        if (!quality.isEmpty()) {
            out.append("quality:\n").append(quality.indent(2));
        }
        sections.forEach(section -> out.append(section).append('\n'));
        return out.toString();
    }

    /** Writes the file into {@code mesh} under its domain. */
    public TestMesh writeTo(TestMesh mesh) {
        return mesh.product(domain, name, yaml());
    }
}
