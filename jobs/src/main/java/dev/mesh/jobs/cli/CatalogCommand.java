package dev.mesh.jobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.error.MeshException;
import dev.mesh.quality.sla.SlaStatusTable;
import dev.mesh.quality.sla.SlaStatusTable.Latest;
import dev.mesh.runtime.Mesh;
import dev.mesh.runtime.catalog.CatalogSearch;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.KeptMajor;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
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

    @Override
    public Integer call() {
        if (!output.equals("text") && !output.equals("json")) {
            throw MeshException.invalidInput("--output %s is not a format; allowed: text, json", output);
        }
        try (MeshContext context = cli.context()) {
            Mesh mesh = context.runtime();
            List<ProductSpec> products = mesh.catalog(new CatalogSearch(Optional.ofNullable(domain),
                    Optional.ofNullable(consumer), Optional.ofNullable(search)));
            Map<ProductId, Latest> states = SlaStatusTable.latest(mesh.ledger());
            if (output.equals("json")) {
                printJson(cli.environment.out(), products, states, mesh.zones(), mesh.spec());
            } else {
                printText(cli.environment.out(), products, states, mesh.zones(), mesh.spec());
            }
        }
        return 0;
    }

    private static void printText(PrintStream out, List<ProductSpec> products, Map<ProductId, Latest> states,
            ZoneLayout zones, MeshSpec spec) {
        if (products.isEmpty()) {
            out.println("no product matches");
            return;
        }
        for (ProductSpec product : products) {
            Latest state = states.get(product.id());
            out.printf(Locale.ROOT, "%s %s  owner %s  %s%n", product.id(), product.version(), product.owner(),
                    visibility(product));
            if (!product.description().isBlank()) {
                out.println("  " + product.description());
            }
            String unevaluated = product.sla().declared() ? "SLA not evaluated yet (run it, then mesh sla)"
                    : "no SLA declared";
            out.println("  " + (state == null ? unevaluated : String.format(
                    Locale.ROOT, "SLA %s; last published %s; quality score %s", state.level().name().toLowerCase(Locale.ROOT),
                    state.lastSuccess() == null ? "never" : RunsCommand.TIME.format(state.lastSuccess())
                            + " UTC", state.qualityScore() == null ? "-" : String.format(Locale.ROOT, "%.2f",
                            state.qualityScore()))));
            out.println("  read: " + product.id() + " (mesh sql), " + zones.product(product.id()));
            out.println("  columns: " + String.join(", ", product.output().schema().stream()
                    .map(CatalogCommand::column).toList()));
            for (KeptMajor kept : product.keptMajors()) {
                List<ProductId> pinning = spec.pinning(product.id(), kept.major());
                out.println("  major " + kept.major() + " kept beside it until " + kept.until() + " ("
                        + zones.keptMajor(product.id(), kept.major()) + "); still read by: " + (pinning.isEmpty()
                                ? "no product" : String.join(", ", pinning.stream().map(Object::toString).toList())));
            }
        }
    }

    private static void printJson(PrintStream out, List<ProductSpec> products, Map<ProductId, Latest> states,
            ZoneLayout zones, MeshSpec spec) {
        ArrayNode all = JSON.createArrayNode();
        for (ProductSpec product : products) {
            Latest state = states.get(product.id());
            ObjectNode entry = all.addObject().put("product", product.id().toString())
                    .put("domain", product.domain()).put("owner", product.owner())
                    .put("description", product.description()).put("version", product.version())
                    .put("visibility", product.access().visibility().name().toLowerCase(Locale.ROOT));
            product.access().consumers().forEach(entry.putArray("consumers")::add);
            entry.put("table", product.id().toString()).put("path", zones.product(product.id()));
            entry.put("slaStatus", state == null ? null : state.level().name().toLowerCase(Locale.ROOT));
            entry.put("lastPublished", state == null || state.lastSuccess() == null ? null
                    : state.lastSuccess().toString());
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
            ArrayNode kept = entry.putArray("keptMajors");
            for (KeptMajor major : product.keptMajors()) {
                ObjectNode node = kept.addObject().put("major", major.major()).put("until", major.until().toString())
                        .put("path", zones.keptMajor(product.id(), major.major()));
                ArrayNode readBy = node.putArray("readBy");
                spec.pinning(product.id(), major.major()).forEach(id -> readBy.add(id.toString()));
            }
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
