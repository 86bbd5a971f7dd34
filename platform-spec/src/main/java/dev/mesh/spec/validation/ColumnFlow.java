package dev.mesh.spec.validation;

import dev.mesh.spec.model.AccessSpec.Visibility;
import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.ColumnSource;
import dev.mesh.spec.model.ColumnSource.How;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductInputSpec;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.spi.SqlSyntax;
import dev.mesh.spec.spi.TemplateCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How columns flow through the mesh, known from the specs alone: each product's column lineage (a {@code sql}
 * product's from its query analysed over its inputs' declared columns; the other templates carry each input column
 * to the output column of the same name), and which output columns hold personal data because they derive from a
 * {@code pii} column that reaches them unprotected. Classification follows the data: a column derived from raw
 * personal data is personal data, whatever its own declaration says, unless it is declared {@code classification:
 * none} with a reason ({@code declassified}).
 */
public final class ColumnFlow {
    private final Map<ProductId, ProductSpec> products = new LinkedHashMap<>();
    private final SqlSyntax syntax;
    private final TemplateCatalog templates;
    private final Map<ProductId, Optional<ColumnLineage>> lineages = new HashMap<>();
    private final Map<String, Optional<List<String>>> piiPaths = new HashMap<>();

    public ColumnFlow(List<ProductSpec> products, SqlSyntax syntax) {
        this(products, syntax, TemplateCatalog.load());
    }

    public ColumnFlow(List<ProductSpec> products, SqlSyntax syntax, TemplateCatalog templates) {
        products.forEach(product -> this.products.put(product.id(), product));
        this.syntax = syntax;
        this.templates = templates;
    }

    /** A product's column lineage from its spec; empty where its query does not analyse over the declared columns. */
    public Optional<ColumnLineage> lineage(ProductId id) {
        if (!lineages.containsKey(id)) {
            lineages.put(id, Optional.empty());
            ProductSpec product = products.get(id);
            lineages.put(id, product == null ? Optional.empty() : declaredLineage(product));
        }
        return lineages.get(id);
    }

    private Optional<ColumnLineage> declaredLineage(ProductSpec product) {
        Map<String, List<ColumnSpec>> inputs = new LinkedHashMap<>();
        product.inputs().forEach(input -> inputs.put(input.name(), columnsOf(product, input)));
        if (product.transform().template().equals("sql")) {
            // an input without declared columns is handed over empty: the query's own names stand in for them
            Optional<String> sql = product.transform().parameters().string("sql");
            return sql.flatMap(text -> syntax.queryLineage(text, inputs));
        }
        // an input without declared columns offers the output's, by name
        inputs.replaceAll((input, columns) -> !columns.isEmpty() ? columns : product.output().schema().stream()
                .map(c -> new ColumnSpec(c.name(), c.type(), false, "", "")).toList());
        // the templates (ingest, dedupe, cdc, scd2) carry each column of their inputs by name, and say what they
        // make themselves
        Map<String, List<String>> made = templates.find(product.transform().template())
                .map(template -> template.madeColumns(product.transform().parameters())).orElse(Map.of());
        Map<String, List<ColumnSource>> columns = new LinkedHashMap<>();
        for (ColumnSpec column : product.output().schema()) {
            List<String> from = made.getOrDefault(column.name(), List.of(column.name()));
            How how = made.containsKey(column.name()) ? How.TRANSFORMATION : How.IDENTITY;
            List<ColumnSource> sources = new ArrayList<>();
            inputs.forEach((input, declared) -> declared.stream()
                    .filter(c -> from.stream().anyMatch(name -> name.equalsIgnoreCase(c.name())))
                    .forEach(c -> sources.add(new ColumnSource(input, c.name(), how))));
            columns.put(column.name(), sources);
        }
        return Optional.of(new ColumnLineage(columns, List.of()));
    }

    /** The columns an input offers the product: the upstream's port, the files' declared schema, else none known. */
    private List<ColumnSpec> columnsOf(ProductSpec reader, InputSpec input) {
        if (input instanceof ProductInputSpec upstream && products.containsKey(upstream.product())) {
            return products.get(upstream.product()).output().schema().stream()
                    .filter(c -> published(products.get(upstream.product()), c, reader)).toList();
        }
        if (input instanceof FileInputSpec files) {
            return files.schema();
        }
        return List.of();
    }

    /** Whether {@code reader} sees the column: a dropped column is not in a port visible outside the domain. */
    private static boolean published(ProductSpec upstream, ColumnSpec column, ProductSpec reader) {
        return column.protection() != ColumnSpec.Protection.DROP || upstream.access().visibility() == Visibility.DOMAIN;
    }

    /**
     * Where the personal data in a product's output column comes from, when it holds some: the path from the first
     * {@code pii} column through each product it flows through ({@code crm.customers.email -> crm.mailing.contact}).
     * Empty when it holds none, or when the product declares it declassified.
     */
    public Optional<List<String>> piiPath(ProductId id, String column) {
        String key = id + "\n" + column.toLowerCase(Locale.ROOT);
        if (!piiPaths.containsKey(key)) {
            piiPaths.put(key, Optional.empty());
            piiPaths.put(key, findPiiPath(id, column));
        }
        return piiPaths.get(key);
    }

    private Optional<List<String>> findPiiPath(ProductId id, String column) {
        ProductSpec product = products.get(id);
        if (product == null) {
            return Optional.empty();
        }
        Optional<ColumnSpec> declared = product.output().column(column);
        if (declared.isPresent() && declared.get().isPii()) {
            return Optional.of(List.of(id + "." + declared.get().name()));
        }
        if (declared.isPresent() && declared.get().declassified()) {
            return Optional.empty();
        }
        return lineage(id).flatMap(lineage -> derivedPii(product, lineage, column));
    }

    /**
     * The path by which {@code column} of {@code product}, with the given lineage (from its spec, or from the plan a
     * run analysed), derives from raw personal data; empty when none of its direct sources is raw personal data.
     */
    public Optional<List<String>> derivedPii(ProductSpec product, ColumnLineage lineage, String column) {
        for (ColumnSource source : lineage.sourcesOf(column)) {
            if (!source.direct()) {
                continue;
            }
            Optional<List<String>> upstream = rawPii(product, source);
            if (upstream.isPresent()) {
                List<String> path = new ArrayList<>(upstream.get());
                path.add(product.id() + "." + column);
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    /** The path of the personal data an input column hands {@code reader} as it is, if it hands it any. */
    private Optional<List<String>> rawPii(ProductSpec reader, ColumnSource source) {
        Optional<InputSpec> input = reader.inputs().stream()
                .filter(i -> i.name().equalsIgnoreCase(source.input())).findFirst();
        if (input.isEmpty()) {
            return Optional.empty();
        }
        if (input.get() instanceof ProductInputSpec read && products.containsKey(read.product())) {
            ProductSpec upstream = products.get(read.product());
            Optional<ColumnSpec> column = upstream.output().column(source.column());
            // a port visible outside its domain holds the protected values; a domain's own port the real ones
            boolean protectedInPort = upstream.access().visibility() != Visibility.DOMAIN && column.isPresent()
                    && column.get().protection() != ColumnSpec.Protection.NONE;
            return protectedInPort ? Optional.empty() : piiPath(upstream.id(), source.column());
        }
        if (input.get() instanceof FileInputSpec files) {
            return files.schema().stream().filter(c -> c.name().equalsIgnoreCase(source.column()) && c.isPii())
                    .findFirst().map(c -> List.of("source " + files.source() + "." + c.name()));
        }
        return Optional.empty();
    }

    /**
     * The columns of {@code product}, with the given lineage, that hold raw personal data the product would publish
     * outside its domain: derived from a pii column, neither declared pii nor protected nor declassified. Empty for
     * a product only its domain sees.
     */
    public List<Laundered> laundered(ProductSpec product, ColumnLineage lineage) {
        List<Laundered> found = new ArrayList<>();
        if (product.access().visibility() == Visibility.DOMAIN) {
            return found;
        }
        for (ColumnSpec column : product.output().schema()) {
            if (column.isPii() || column.declassified() || column.protection() != ColumnSpec.Protection.NONE) {
                continue;
            }
            derivedPii(product, lineage, column.name()).ifPresent(path -> found.add(new Laundered(column, path)));
        }
        return found;
    }

    /**
     * The columns of other products that read {@code columns} of {@code id}, directly or through the products between
     * ({@code finance.customer_balances.name <- customers.name}), each with the column it reads; a column that decides
     * a consumer's rows (a join key, a filter) affects every column of it.
     */
    public List<String> downstreamOf(ProductId id, List<String> columns) {
        List<String> found = new ArrayList<>();
        downstream(id, columns, found, new java.util.HashSet<>());
        return found;
    }

    private void downstream(ProductId id, List<String> columns, List<String> found, java.util.Set<String> seen) {
        for (ProductSpec consumer : products.values()) {
            for (InputSpec input : consumer.inputs()) {
                if (!(input instanceof ProductInputSpec read) || !read.product().equals(id)) {
                    continue;
                }
                Optional<ColumnLineage> lineage = lineage(consumer.id());
                for (String column : columns) {
                    List<String> readers = lineage.map(l -> l.readersOf(input.name(), column))
                            .orElse(consumer.output().columnNames());
                    List<String> fresh = readers.stream().filter(r -> seen.add(consumer.id() + "." + r)).toList();
                    fresh.forEach(r -> found.add(consumer.id() + "." + r + " <- " + input.name() + "." + column));
                    if (!fresh.isEmpty()) {
                        downstream(consumer.id(), fresh, found, seen);
                    }
                }
            }
        }
    }

    /**
     * Visibility follows the data: what is wrong when {@code product} shows values it derives from {@code upstream}
     * (a column with a direct source in {@code input}, by {@code lineage}) to more domains than {@code upstream}'s
     * producer shares them with, of {@code everyone}; empty when it does not, when both are of one domain (whose
     * producer decides), or when the producer lists the reading domain under {@code access.republish}. An input that
     * only decides rows (a join key, a filter) puts none of its values in the output.
     */
    public static Optional<String> widening(ProductSpec product, ProductInputSpec input, ProductSpec upstream,
            ColumnLineage lineage, List<String> everyone) {
        if (upstream.domain().equals(product.domain()) || upstream.access().republish().contains(product.domain())
                || lineage.columns().values().stream().flatMap(List::stream)
                        .noneMatch(source -> source.input().equalsIgnoreCase(input.name()))) {
            return Optional.empty();
        }
        java.util.Set<String> granted = upstream.access().audience(upstream.domain(), everyone);
        java.util.Set<String> widened = new java.util.TreeSet<>(product.access().audience(product.domain(),
                everyone));
        widened.removeAll(granted);
        // public is every domain, those the mesh will have too
        boolean toEveryone = product.access().visibility() == Visibility.PUBLIC
                && upstream.access().visibility() != Visibility.PUBLIC;
        if (widened.isEmpty() && !toEveryone) {
            return Optional.empty();
        }
        return Optional.of("shows what it derives from '" + upstream.id() + "' to " + (toEveryone ? "every domain"
                : widened.toString()) + ", while domain '" + upstream.domain() + "' shares it only with " + granted
                + "; a consumer cannot widen what it was granted: narrow access to those domains, or ask domain '"
                + upstream.domain() + "' to list '" + product.domain() + "' under access.republish");
    }

    /** An output column that would publish raw personal data, and the path it came by. */
    public record Laundered(ColumnSpec column, List<String> path) {
        public String derivation() {
            return String.join(" -> ", path);
        }

        /** What is wrong, and what to do, in one sentence. */
        public String describe(ProductSpec product) {
            return "column '" + column.name() + "' derives from personal data (" + derivation() + ") and the product "
                    + "is visible outside its domain (access.visibility: "
                    + product.access().visibility().name().toLowerCase(Locale.ROOT) + "); declare it classification: "
                    + "pii with protection: hash, redact or drop, or classification: none with declassified: "
                    + "\"why it no longer identifies anyone\"";
        }
    }
}
