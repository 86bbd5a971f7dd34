package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The starting specs {@code mesh init} writes: commented, and valid as written. A product scaffold reads records with
 * an id, a name, an amount and the time they changed, and runs one of the built-in templates over them.
 */
final class Scaffolds {
    /** The templates a product can be started from, with the transform, output mode and keys each needs. */
    private static final Map<String, Shape> SHAPES = Map.of(
            "ingest", new Shape("{ template: ingest }", "merge", "[id]", false, false,
                    "publishes the input as declared; rows replace earlier rows of their id"),
            "sql", new Shape("\n  template: sql\n"
                    + "  # one query over the inputs, by input name; it may read nothing else\n"
                    + "  sql: |\n"
                    + "    SELECT id, name, amount, updated_at\n"
                    + "    FROM raw\n"
                    + "    WHERE amount >= 0", "merge", "[id]", false, false,
                    "one Spark SQL query over the inputs; its rows replace earlier rows of their id"),
            "dedupe", new Shape("{ template: dedupe, keys: [id], orderBy: [updated_at] }", "merge", "[id]", false,
                    false, "the latest row per id by updated_at"),
            "cdc", new Shape("{ template: cdc, operation: op, orderBy: [updated_at] }", "merge", "[id]", true,
                    false, "change events (op: I, U or D) applied by id"),
            "scd2", new Shape("{ template: scd2, keys: [id], validFrom: updated_at }", "merge", "[id, valid_from]",
                    false, true, "the history of each id: a version per change, with valid_from, valid_to and "
                            + "is_current"));
    private static final List<String> ORDER = List.of("ingest", "sql", "dedupe", "cdc", "scd2");
    /** The service level every starting product declares. */
    private static final String SLA = """
            sla:
              # how old the published data may get before the SLA is breached
              freshness: PT24H
            """;

    private Scaffolds() {}

    /** How a template's product differs from the others'. */
    private record Shape(String transform, String mode, String keys, boolean readsOperation, boolean history,
            String purpose) {}

    /** The templates {@code --template} offers (picocli's completion candidates). */
    static final class Templates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ORDER.iterator();
        }
    }

    /** The product's owner in a starting spec: the domain's first owner, or a placeholder address to edit. */
    private static String owner(DomainSpec domain) {
        return domain.owners().isEmpty() ? domain.name() + "-data@example.com" : domain.owners().get(0);
    }

    static void requireName(String name, String kind) {
        if (name == null || !name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw MeshException.invalidInput("'%s' is not a %s name; use lower case letters, digits and _, "
                    + "starting with a letter (e.g. customer_orders)", name, kind);
        }
    }

    static String domain(String name) {
        return """
                # Domain %1$s: who owns it, and the source systems whose files it receives.
                # mesh validate checks this file (without Spark). Products live in products/<name>.yaml:
                # start one with mesh init product %1$s.NAME --template ingest (mesh templates lists the others).
                apiVersion: mesh/v1
                kind: Domain
                name: %1$s
                description: What the %1$s domain is responsible for.
                # who answers for the domain's products (e-mail addresses)
                owners: [%1$s-data@example.com]
                # the business functions the domain serves
                businessFunctions: [%1$s]
                sources:
                  # a system that drops files into <storage root>/%1$s/landing/exports/
                  - name: %1$s.exports
                    landing: exports
                    description: Files the %1$s system exports.
                """.formatted(name);
    }

    static String product(ProductId id, DomainSpec domain, String template, String input) {
        Shape shape = SHAPES.get(template);
        if (shape == null) {
            throw MeshException.invalidInput("no starting spec for template '%s'; mesh init writes one for: %s. "
                    + "Start from one of them and change its transform (mesh templates %s lists its parameters)",
                    template, String.join(", ", ORDER), template);
        }
        String owner = owner(domain);
        StringBuilder out = new StringBuilder();
        out.append("""
                # Data product %1$s: %2$s.
                # mesh validate checks this file (without Spark); mesh run %1$s publishes it;
                # mesh templates %3$s explains the template's parameters.
                apiVersion: mesh/v1
                kind: DataProduct
                name: %4$s
                domain: %5$s
                # a new major version tells consumers the output's schema changed incompatibly
                version: 0.1.0
                owner: %6$s
                description: What consumers find in %1$s.
                inputs:
                """.formatted(id, shape.purpose(), template, id.name(), id.domain(), owner));
        out.append(input(id, domain, input, shape));
        out.append("transform: ").append(shape.transform()).append('\n');
        out.append("""
                output:
                  # merge: rows replace the published rows of their keys (append adds, overwrite replaces all)
                  mode: %s
                  keys: %s
                  schema:
                    - { name: id, type: bigint, required: true }
                    - { name: name, type: string }
                    - { name: amount, type: "decimal(12,2)" }
                """.formatted(shape.mode(), shape.keys()));
        out.append(shape.history() ? """
                    - { name: valid_from, type: timestamp }
                    - { name: valid_to, type: timestamp }
                    - { name: is_current, type: boolean }
                """ : """
                    - { name: updated_at, type: timestamp }
                """);
        out.append("""
                quality:
                  # the gate: a run whose rows fail an error-level check publishes nothing
                  checks:
                    - { check: min, column: amount, atLeast: 0 }
                """).append(SLA);
        return out.toString();
    }

    private static String input(ProductId id, DomainSpec domain, String kind, Shape shape) {
        String columns = """
                        - { name: id, type: bigint }
                        - { name: name, type: string }
                        - { name: amount, type: "decimal(12,2)" }
                        - { name: updated_at, type: timestamp }
                """ + (shape.readsOperation() ? "        - { name: op, type: string }\n" : "");
        switch (kind.toLowerCase(Locale.ROOT)) {
            case "files" -> {
                if (domain.sources().isEmpty()) {
                    throw MeshException.invalidInput("domain '%s' declares no source to read files from; add one "
                            + "under sources in %s, or use --input jdbc or --input product:DOMAIN.NAME", domain.name(),
                            domain.file());
                }
                String source = domain.sources().get(0).name();
                return """
                          # files the %1$s source drops in its landing folder; each file is read once
                          - name: raw
                            files:
                              source: %1$s
                              format: csv
                              # CSV columns are bound by their header's names and parsed strictly as these types
                              schema:
                        """.formatted(source) + columns;
            }
            case "jdbc" -> {
                String prefix = id.domain().toUpperCase(Locale.ROOT);
                return """
                          # a database table; the connection comes from environment variables, never from the spec.
                          # Rows are read once each: those whose updated_at is above the mark the product published.
                          - name: raw
                            jdbc:
                              urlEnv: %1$s_JDBC_URL
                              userEnv: %1$s_JDBC_USER
                              passwordEnv: %1$s_JDBC_PASSWORD
                              table: public.%2$s
                              watermark: updated_at
                        """.formatted(prefix, id.name());
            }
            default -> throw MeshException.invalidInput("--input %s: not an input kind; use files, jdbc or "
                    + "product:DOMAIN.NAME", kind);
        }
    }

    /**
     * A product over another product's output port ({@code --input product:DOMAIN.NAME}), with the {@code sql} or
     * {@code ingest} template: it reads the upstream pinned to its major version and publishes its columns, except
     * those that hold personal data or are protected (listed in a comment: a consumer adds them on purpose, with their
     * classification).
     */
    static String fromProduct(ProductId id, DomainSpec domain, String template, ProductSpec upstream) {
        if (!template.equals("sql") && !template.equals("ingest")) {
            throw MeshException.invalidInput("--input product:%s works with --template sql (a query over the "
                    + "product) or ingest (its columns as published); %s reads files or a database", upstream.id(),
                    template);
        }
        if (!upstream.access().allows(upstream.domain(), id.domain())) {
            throw MeshException.accessDenied("%s is not readable by domain '%s' (its access is %s); ask its owner %s "
                    + "to add %s to access.consumers", upstream.id(), id.domain(),
                    upstream.access().visibility().name().toLowerCase(Locale.ROOT), upstream.owner(), id.domain());
        }
        List<ColumnSpec> kept = upstream.output().schema().stream()
                .filter(c -> !c.isPii() && c.protection() == ColumnSpec.Protection.NONE).toList();
        List<String> left = upstream.output().schema().stream().filter(c -> !kept.contains(c)).map(ColumnSpec::name)
                .toList();
        if (kept.isEmpty()) {
            throw MeshException.invalidInput("every column of %s holds personal data or is protected; write the "
                    + "spec by hand, declaring each column's classification", upstream.id());
        }
        String input = upstream.id().name();
        String owner = owner(domain);
        String major = upstream.version().substring(0, upstream.version().indexOf('.'));
        StringBuilder out = new StringBuilder("""
                # Data product %1$s: built from %2$s's output port.
                # mesh validate checks this file (without Spark); mesh run %1$s publishes it;
                # mesh lineage %1$s shows what it reads.
                apiVersion: mesh/v1
                kind: DataProduct
                name: %3$s
                domain: %4$s
                version: 0.1.0
                owner: %5$s
                description: What consumers find in %1$s.
                inputs:
                  # pinned to major %6$s: a breaking change of %2$s's schema cannot reach this product unseen
                  - { name: %7$s, product: %2$s@%6$s }
                """.formatted(id, upstream.id(), id.name(), id.domain(), owner, major, input));
        if (!left.isEmpty()) {
            out.append("# left out, as they hold personal data or are protected: ").append(String.join(", ", left))
                    .append("\n# (add one with its classification if this product needs it)\n");
        }
        String columns = String.join(", ", kept.stream().map(ColumnSpec::name).toList());
        out.append(template.equals("sql") ? """
                transform:
                  template: sql
                  # one query over the inputs, by input name; it may read nothing else
                  sql: |
                    SELECT %s
                    FROM %s
                """.formatted(columns, input) : "transform: { template: ingest }\n");
        out.append("""
                output:
                  # overwrite: each run replaces the published rows with the result (merge needs keys, append adds)
                  mode: overwrite
                  schema:
                """);
        for (ColumnSpec column : kept) {
            out.append("    - { name: ").append(column.name()).append(", type: \"").append(column.type()).append('"')
                    .append(column.required() ? ", required: true" : "").append(" }\n");
        }
        out.append("""
                quality:
                  # the gate: a run whose rows fail an error-level check publishes nothing
                  checks:
                    - { check: rowCount, min: 1 }
                """).append(SLA);
        return out.toString();
    }
}
