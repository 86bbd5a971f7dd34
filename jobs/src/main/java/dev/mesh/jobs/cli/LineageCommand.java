package dev.mesh.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.runtime.ledger.RunsTable.LastPublished;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.ColumnSource;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.JdbcInputSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductInputSpec;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.spi.SqlSyntax;
import dev.mesh.spec.validation.ColumnFlow;
import dev.mesh.spec.validation.ProductGraph;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mesh lineage}: a product's upstream (products and sources, transitively) and downstream (the products that
 * read it, transitively), from the specs, with what the last published runs actually read: the version of each
 * product input and the records of each source. With {@code --columns}, the same for each output column, from the
 * specs alone (no Spark session).
 */
@Command(name = "lineage", mixinStandardHelpOptions = true,
        description = "Show a product's upstream products and sources and its downstream products, from the specs "
                + "and the recorded runs (the version of each input the last published run read).")
final class LineageCommand implements Callable<Integer> {

    @ParentCommand
    MeshCli cli;

    @Parameters(paramLabel = "SELECTOR", arity = "1..*", description = "The product, e.g. sales.orders, or "
            + "selectors as mesh run takes them (tag:NAME, domain:NAME, state:modified[:GIT_REF], +P, P+): the "
            + "lineage of each product they select.")
    List<String> products;

    @Option(names = "--columns", description = "Show each output column with the columns it derives from, "
            + "transitively across products down to the sources, and which hold personal data (from the specs).")
    boolean columns;

    @Override
    public Integer call() {
        try (MeshContext context = cli.context()) {
            MeshSpec mesh = context.mesh();
            List<ProductId> selected = new ProductGraph(mesh).select(products,
                    ref -> ModifiedSpecs.since(mesh, ref));
            Map<ProductId, LastPublished> runs = columns ? Map.of() : context.runtime().lastPublished();
            for (int i = 0; i < selected.size(); i++) {
                if (i > 0) {
                    cli.environment.out().println();
                }
                print(context, mesh, selected.get(i), runs);
            }
        }
        return 0;
    }

    /** One product's lineage: up to its sources and down to its readers, with what the last runs read. */
    private void print(MeshContext context, MeshSpec mesh, ProductId id, Map<ProductId, LastPublished> runs) {
        ProductSpec spec = mesh.product(id).orElseThrow();
        if (columns) {
            printColumns(cli.environment.out(), mesh, spec);
            return;
        }
        PrintStream out = cli.environment.out();
        LastPublished own = runs.get(id);
        out.printf(Locale.ROOT, "%s %s  owner %s  %s%n", id, spec.version(), spec.owner(), own == null
                ? "never published" : "last published version " + own.outputVersion() + " at "
                        + RunsCommand.TIME.format(own.finishedAt()) + " UTC");
        out.println("upstream:");
        if (spec.inputs().isEmpty()) {
            out.println("  (none)");
        }
        upstream(out, mesh, context.zones(), spec, runs, 1, new HashSet<>());
        out.println("downstream:");
        if (mesh.readersOf(id).isEmpty()) {
            out.println("  (none)");
        }
        downstream(out, mesh, id, runs, 1, new HashSet<>());
    }

    private static void upstream(PrintStream out, MeshSpec mesh, ZoneLayout zones, ProductSpec consumer,
            Map<ProductId, LastPublished> runs, int depth, Set<ProductId> shown) {
        String indent = "  ".repeat(depth);
        Optional<JsonNode> none = Optional.empty();
        LastPublished last = runs.get(consumer.id());
        for (InputSpec input : consumer.inputs()) {
            Optional<JsonNode> read = last == null ? none : Optional.ofNullable(last.inputs().get(input.name()));
            if (input instanceof ProductInputSpec upstream) {
                out.println(indent + "<- " + upstream.product() + upstream.major().map(m -> "@" + m).orElse("")
                        + " (product, input '" + input.name() + "'" + read.filter(r -> r.hasNonNull("version"))
                                .map(r -> "; the last published run read version " + r.get("version").asLong())
                                .orElse("") + ")");
                if (shown.add(upstream.product())) {
                    mesh.product(upstream.product()).ifPresent(spec -> upstream(out, mesh, zones, spec, runs,
                            depth + 1, shown));
                }
            } else if (input instanceof FileInputSpec files) {
                DomainSpec domain = mesh.domain(consumer.domain()).orElseThrow();
                String landing = domain.source(files.source()).map(s -> s.landing()).orElse(files.source());
                out.println(indent + "<- source " + files.source() + " (" + files.format().name()
                        .toLowerCase(Locale.ROOT) + " files, input '" + input.name() + "') at "
                        + zones.landing(consumer.domain(), landing, files.path()) + records(read));
            } else if (input instanceof JdbcInputSpec jdbc) {
                out.println(indent + "<- database " + jdbc.table().map(t -> "table " + t).orElse("query")
                        + " (input '" + input.name() + "', connection from $" + jdbc.urlEnv() + ")" + records(read));
            }
        }
    }

    /**
     * Each output column and where it comes from, as far back as the specs go: the sources of a column read from
     * another product are that product's column's sources, and so on to landing files and databases.
     */
    private static void printColumns(PrintStream out, MeshSpec mesh, ProductSpec spec) {
        ColumnFlow flow = new ColumnFlow(mesh.products(), SqlSyntax.load());
        Optional<ColumnLineage> lineage = flow.lineage(spec.id());
        out.printf(Locale.ROOT, "%s %s columns (from the specs; each run records the lineage of the plan it "
                + "analysed)%n", spec.id(), spec.version());
        if (lineage.isEmpty()) {
            out.println("  unknown until a run: the query does not analyse over its inputs' declared columns");
            return;
        }
        for (ColumnSpec column : spec.output().schema()) {
            out.println("  " + column.name() + " " + column.type() + personalData(flow, spec, column));
            List<ColumnSource> sources = lineage.get().sourcesOf(column.name());
            if (sources.isEmpty()) {
                out.println("    (no input column: a constant or a count)");
            }
            sources.forEach(source -> printSource(out, mesh, flow, spec, source, 2, new HashSet<>()));
        }
        if (!lineage.get().rows().isEmpty()) {
            out.println("  rows decided by: " + String.join(", ", lineage.get().rows().stream()
                    .map(source -> describe(spec, source)).toList()));
        }
    }

    private static String personalData(ColumnFlow flow, ProductSpec spec, ColumnSpec column) {
        if (column.isPii()) {
            return "  pii, protection " + column.protection().specName();
        }
        if (column.declassified()) {
            return "  declassified: " + column.declassification();
        }
        return flow.piiPath(spec.id(), column.name()).map(path -> "  pii by derivation ("
                + String.join(" -> ", path) + ")").orElse("");
    }

    private static void printSource(PrintStream out, MeshSpec mesh, ColumnFlow flow, ProductSpec reader,
            ColumnSource source, int depth, Set<String> shown) {
        out.println("  ".repeat(depth) + "<- " + describe(reader, source));
        Optional<InputSpec> input = reader.inputs().stream().filter(i -> i.name().equalsIgnoreCase(source.input()))
                .findFirst();
        if (input.isEmpty() || !(input.get() instanceof ProductInputSpec read)) {
            return;
        }
        Optional<ProductSpec> upstream = mesh.product(read.product());
        if (upstream.isEmpty() || !shown.add(read.product() + "." + source.column())) {
            return;
        }
        flow.lineage(read.product()).ifPresent(lineage -> lineage.sourcesOf(source.column()).forEach(further ->
                printSource(out, mesh, flow, upstream.get(), further, depth + 1, shown)));
    }

    /** An input column as a person reads it: the product's or source's column, and how it is used. */
    private static String describe(ProductSpec reader, ColumnSource source) {
        Optional<InputSpec> input = reader.inputs().stream().filter(i -> i.name().equalsIgnoreCase(source.input()))
                .findFirst();
        String where;
        if (input.isPresent() && input.get() instanceof ProductInputSpec read) {
            where = read.product() + "." + source.column();
        } else if (input.isPresent() && input.get() instanceof FileInputSpec files) {
            where = "source " + files.source() + "." + source.column() + " (files, input '" + source.input() + "')";
        } else if (input.isPresent() && input.get() instanceof JdbcInputSpec) {
            where = "database input '" + source.input() + "'." + source.column();
        } else {
            where = source.input() + "." + source.column();
        }
        return where + " (" + source.how().specName() + ")";
    }

    private static String records(Optional<JsonNode> read) {
        return read.map(r -> "; the last published run read " + r.path("records").asLong() + " records")
                .orElse("");
    }

    private static void downstream(PrintStream out, MeshSpec mesh, ProductId producer, Map<ProductId, LastPublished> runs,
            int depth, Set<ProductId> shown) {
        String indent = "  ".repeat(depth);
        for (MeshSpec.Reader reader : mesh.readersOf(producer)) {
            ProductId consumer = reader.consumer().id();
            LastPublished last = runs.get(consumer);
            JsonNode read = last == null ? null : last.inputs().get(reader.input().name());
            out.println(indent + "-> " + consumer + " (reads " + producer + reader.input().major().map(m -> "@" + m)
                    .orElse("") + " as '" + reader.input().name() + "'" + (read == null || !read.hasNonNull(
                            "version") ? "" : "; its last published run read version " + read.get("version")
                                    .asLong()) + ")");
            if (shown.add(consumer)) {
                downstream(out, mesh, consumer, runs, depth + 1, shown);
            }
        }
    }
}
