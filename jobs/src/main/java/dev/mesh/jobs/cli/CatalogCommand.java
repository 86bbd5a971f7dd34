package dev.mesh.jobs.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.error.MeshException;
import dev.mesh.quality.sla.SlaStatusTable;
import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.spec.ColumnSpec;
import dev.mesh.spec.DomainSpec;
import dev.mesh.spec.MeshSpec;
import dev.mesh.spec.ProductSpec;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mesh catalog}: the products a domain may consume, with what a consumer needs to choose and read one: owner,
 * description, version, schema, visibility, freshness, SLA status, latest quality score, and where to read it.
 */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "The product catalog: each product with owner, description, version, schema, visibility, "
                + "freshness, SLA status, latest quality score, and where to read it.")
final class CatalogCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    MeshCli cli;

    @Option(names = "--search", paramLabel = "TERM", description = "Only products whose name, description or "
            + "columns mention TERM (ignoring case).")
    String search;

    @Option(names = "--domain", paramLabel = "DOMAIN", description = "Only this domain's products.")
    String domain;

    @Option(names = "--as", paramLabel = "DOMAIN", description = "Only products this consuming domain may read.")
    String consumer;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    String output;

    /** What the SLA monitor last said of a product. */
    private record State(String status, Timestamp lastSuccess, Double qualityScore) {}

    @Override
    public Integer call() {
        if (!output.equals("text") && !output.equals("json")) {
            throw MeshException.invalidInput("--output %s is not a format; allowed: text, json", output);
        }
        try (MeshContext context = cli.context()) {
            MeshSpec mesh = context.mesh();
            List<String> domains = mesh.domains().stream().map(DomainSpec::name).toList();
            for (String name : new String[] {domain, consumer}) {
                if (name != null && !domains.contains(name)) {
                    throw MeshException.invalidInput("no domain '%s' in the mesh; domains: %s", name,
                            String.join(", ", domains));
                }
            }
            List<ProductSpec> products = mesh.products().stream()
                    .filter(p -> domain == null || p.domain().equals(domain))
                    .filter(p -> consumer == null || p.access().allows(p.domain(), consumer))
                    .filter(this::matches)
                    .toList();
            Map<String, State> states = states(context);
            if (output.equals("json")) {
                printJson(cli.environment.out(), products, states, context);
            } else {
                printText(cli.environment.out(), products, states, context);
            }
        }
        return 0;
    }

    private boolean matches(ProductSpec product) {
        if (search == null) {
            return true;
        }
        String term = search.toLowerCase(Locale.ROOT);
        return product.id().toString().toLowerCase(Locale.ROOT).contains(term)
                || product.description().toLowerCase(Locale.ROOT).contains(term)
                || product.output().schema().stream().anyMatch(c -> c.name().toLowerCase(Locale.ROOT).contains(term)
                        || c.description().toLowerCase(Locale.ROOT).contains(term));
    }

    /** The latest SLA evaluation of every product, read in one query. */
    private static Map<String, State> states(MeshContext context) {
        PlatformTables tables = new PlatformTables(context.verifiedSpark(), context.zones());
        Map<String, State> states = new HashMap<>();
        if (!tables.exists(SlaStatusTable.TABLE)) {
            return states;
        }
        List<Row> rows = tables.read(SlaStatusTable.TABLE).groupBy("domain", "product")
                .agg(max_by(struct(col("status"), col("last_success_at"), col("quality_score")),
                        col("evaluated_at")).as("latest"))
                .select("domain", "product", "latest.status", "latest.last_success_at", "latest.quality_score")
                .collectAsList();
        for (Row row : rows) {
            states.put(row.getString(0) + "." + row.getString(1), new State(row.getString(2),
                    row.isNullAt(3) ? null : row.getTimestamp(3), row.isNullAt(4) ? null : row.getDouble(4)));
        }
        return states;
    }

    private static void printText(PrintStream out, List<ProductSpec> products, Map<String, State> states,
            MeshContext context) {
        if (products.isEmpty()) {
            out.println("no product matches");
            return;
        }
        for (ProductSpec product : products) {
            State state = states.get(product.id().toString());
            out.printf(Locale.ROOT, "%s %s  owner %s  %s%n", product.id(), product.version(), product.owner(),
                    visibility(product));
            if (!product.description().isBlank()) {
                out.println("  " + product.description());
            }
            String unevaluated = product.sla().declared() ? "SLA not evaluated yet (run it, then mesh sla)"
                    : "no SLA declared";
            out.println("  " + (state == null ? unevaluated : String.format(
                    Locale.ROOT, "SLA %s; last published %s; quality score %s", state.status().toLowerCase(Locale.ROOT),
                    state.lastSuccess() == null ? "never" : RunsCommand.TIME.format(state.lastSuccess().toInstant())
                            + " UTC", state.qualityScore() == null ? "-" : String.format(Locale.ROOT, "%.2f",
                            state.qualityScore()))));
            out.println("  read: " + product.id() + " (mesh sql), " + context.zones().product(product.id()));
            out.println("  columns: " + String.join(", ", product.output().schema().stream()
                    .map(CatalogCommand::column).toList()));
        }
    }

    private static void printJson(PrintStream out, List<ProductSpec> products, Map<String, State> states,
            MeshContext context) {
        ArrayNode all = JSON.createArrayNode();
        for (ProductSpec product : products) {
            State state = states.get(product.id().toString());
            ObjectNode entry = all.addObject().put("product", product.id().toString())
                    .put("domain", product.domain()).put("owner", product.owner())
                    .put("description", product.description()).put("version", product.version())
                    .put("visibility", product.access().visibility().name().toLowerCase(Locale.ROOT));
            product.access().consumers().forEach(entry.putArray("consumers")::add);
            entry.put("table", product.id().toString()).put("path", context.zones().product(product.id()));
            entry.put("slaStatus", state == null ? null : state.status().toLowerCase(Locale.ROOT));
            entry.put("lastPublished", state == null || state.lastSuccess() == null ? null
                    : state.lastSuccess().toInstant().toString());
            if (state != null && state.qualityScore() != null) {
                entry.put("qualityScore", state.qualityScore());
            }
            ArrayNode columns = entry.putArray("columns");
            for (ColumnSpec column : product.output().schema()) {
                ObjectNode node = columns.addObject().put("name", column.name()).put("type", column.type())
                        .put("required", column.required());
                if (!column.description().isBlank()) {
                    node.put("description", column.description());
                }
                if (!column.classification().isBlank()) {
                    node.put("classification", column.classification());
                }
            }
            product.output().keys().forEach(entry.putArray("keys")::add);
        }
        try {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String visibility(ProductSpec product) {
        return switch (product.access().visibility()) {
            case PUBLIC -> "public";
            case DOMAIN -> "its domain only";
            case CONSUMERS -> "for " + String.join(", ", product.access().consumers());
        };
    }

    private static String column(ColumnSpec column) {
        List<String> notes = new java.util.ArrayList<>();
        if (column.required()) {
            notes.add("required");
        }
        if (column.isPii()) {
            notes.add("pii" + switch (column.protection()) {
                case HASH -> ", hashed outside the domain";
                case REDACT -> ", redacted outside the domain";
                case DROP -> ", not published outside the domain";
                default -> "";
            });
        }
        return column.name() + " " + column.type() + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")");
    }
}
