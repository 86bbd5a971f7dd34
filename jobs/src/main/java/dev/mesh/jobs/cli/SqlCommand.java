package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.error.PlainMessages;
import dev.mesh.runtime.catalog.DomainCatalog;
import dev.mesh.runtime.ledger.AuditRecord;
import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.spark.GuardedSessions;
import dev.mesh.runtime.sql.CatalystSqlSyntax;
import dev.mesh.runtime.spark.SparkValues;
import dev.mesh.runtime.spi.PlatformTable;
import dev.mesh.runtime.sql.PlanColumnLineage;
import dev.mesh.runtime.sql.SqlGuard;
import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.ColumnSource;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.NearestNames;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.spi.SqlSyntax;
import dev.mesh.spec.validation.ColumnFlow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesh sql}: an ad-hoc query over every domain's products and the platform tables. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run a read-only Spark SQL query with every domain database (DOMAIN.PRODUCT) and platform table "
                + "(platform.runs, platform.quality_metrics, platform.sla_status, platform.usage, platform.feedback) "
                + "registered, and print the result as a table.")
final class SqlCommand implements Callable<Integer> {
    static final String PLATFORM_DATABASE = "platform";

    @ParentCommand
    MeshCli cli;

    @Parameters(paramLabel = "QUERY", description = "A Spark SQL query.")
    String query;

    @Option(names = "--as-domain", paramLabel = "DOMAIN", description = "Read as a member of DOMAIN: only the "
            + "products it may read (its own, and others' it is granted, with their protections applied), no platform "
            + "tables. Without it, the reader is the platform team, which sees every product as stored; reads of "
            + "personal data are then said and audited.")
    String asDomain;

    @Option(names = "--limit", converter = PositiveCount.class, paramLabel = "N",
            defaultValue = "100", description = "At most N rows (default: 100).")
    int limit;

    @Override
    public Integer call() {
        try (MeshContext context = cli.context()) {
            if (context.mesh().domain(PLATFORM_DATABASE).isPresent()) {
                throw MeshException.invalidInput("a domain named '%s' hides the platform tables; rename the domain",
                        PLATFORM_DATABASE);
            }
            if (asDomain != null && context.mesh().domain(asDomain).isEmpty()) {
                throw MeshException.invalidInput("--as-domain %s: no domain '%s' in the mesh%s", asDomain, asDomain,
                        NearestNames.suggestion(asDomain, context.mesh().domains().stream().map(DomainSpec::name)
                                .toList()));
            }
            // a mistyped query or a statement is refused before Spark starts
            new CatalystSqlSyntax().oneQueryProblem(query, "mesh sql only reads").ifPresent(problem -> {
                throw MeshException.invalidInput("QUERY %s", problem);
            });
            SparkSession spark = context.verifiedSpark();
            PlatformTables tables = new PlatformTables(spark, context.zones());
            if (asDomain != null) {
                DomainCatalog catalog = new DomainCatalog(spark, context.zones());
                catalog.registerVisibleTo(context.mesh(), asDomain);
                // a domain reads its own quarantines (raw records, as its files held them), no other's
                context.mesh().products().stream().filter(p -> p.domain().equals(asDomain))
                        .forEach(catalog::registerQuarantine);
            } else {
                context.sparkWithCatalog();
                spark.sql("CREATE DATABASE IF NOT EXISTS " + PLATFORM_DATABASE);
                DomainCatalog catalog = new DomainCatalog(spark, context.zones());
                context.mesh().products().forEach(catalog::registerQuarantine);
                for (PlatformTable<?> table : PlatformTable.all()) {
                    if (tables.exists(table)) {
                        catalog.register(PLATFORM_DATABASE, table.name(), tables.path(table));
                    }
                }
            }
            // a session of its own that cannot address files by path or substitute variables; the text must be one
            // read-only query, checked before Spark sees it, and its plan must read only tables
            SparkSession session = GuardedSessions.of(spark);
            Dataset<Row> result;
            try {
                result = SqlGuard.readOnlyQuery(session, query, "QUERY", "mesh sql only reads");
            } catch (Exception e) {
                if (e instanceof AnalysisException analysis) {
                    throw MeshException.invalidInput("the query is not valid: %s",
                            PlainMessages.of(analysis.getSimpleMessage(), "no reason given"));
                }
                throw e;
            }
            if (asDomain == null) {
                sayPersonalDataRead(context, tables, result);
            } else {
                requireVisibleTo(context, result);
            }
            List<Row> rows = result.limit(limit + 1).collectAsList();
            TextTable table = new TextTable(result.columns());
            rows.stream().limit(limit).forEach(row -> table.row(SparkValues.cells(row)));
            table.print(cli.environment.out());
            cli.environment.out().println(rows.size() > limit ? "(first " + limit + " rows; --limit N for more)"
                    : "(" + rows.size() + " row" + (rows.size() == 1 ? "" : "s") + ")");
        }
        return 0;
    }

    /** A domain reads only the products it is granted, whatever the catalog of the session holds. */
    private void requireVisibleTo(MeshContext context, Dataset<Row> result) {
        for (String table : SqlGuard.catalogTables(result)) {
            int dot = table.indexOf('.');
            if (table.toLowerCase(java.util.Locale.ROOT).endsWith(DomainCatalog.QUARANTINE_SUFFIX)
                    && table.substring(0, Math.max(0, dot)).equalsIgnoreCase(asDomain)) {
                continue;
            }
            Optional<ProductSpec> product = context.mesh().products().stream().filter(p -> p.id().toString()
                    .equalsIgnoreCase(table)).findFirst();
            if (product.isEmpty() || !product.get().access().allows(product.get().domain(), asDomain)) {
                throw MeshException.accessDenied("QUERY reads %s, which domain '%s' may not read (%s); ask domain "
                        + "'%s' to grant it in access.consumers or to approve an access request", table, asDomain,
                        product.map(p -> "its access is " + p.access().visibility().name()
                                .toLowerCase(java.util.Locale.ROOT))
                        .orElse("it is not a product"), table.substring(0, Math.max(0, dot)));
            }
        }
    }

    /**
     * The platform team reads what is stored: where the query's result shows personal data, or is chosen by it, the
     * reader is told which columns, and the audit trail records the read (the columns, never the query's values).
     */
    private void sayPersonalDataRead(MeshContext context, PlatformTables tables, Dataset<Row> result) {
        ColumnLineage lineage = PlanColumnLineage.ofTables(result);
        ColumnFlow flow = new ColumnFlow(context.mesh().products(), SqlSyntax.load());
        Map<ProductId, Set<String>> read = new TreeMap<>(java.util.Comparator.comparing(ProductId::toString));
        List<ColumnSource> sources = new ArrayList<>(lineage.rows());
        lineage.columns().values().forEach(sources::addAll);
        for (ColumnSource source : sources) {
            int dot = source.input().indexOf('.');
            if (dot < 0) {
                continue;
            }
            ProductId id = new ProductId(source.input().substring(0, dot), source.input().substring(dot + 1));
            if (context.mesh().product(id).isPresent() && flow.piiPath(id, source.column()).isPresent()
                    || quarantineOfPersonalData(context, id) && source.column().equals("record")) {
                read.computeIfAbsent(id, key -> new TreeSet<>()).add(source.column());
            }
        }
        if (read.isEmpty()) {
            return;
        }
        List<AuditRecord> audit = new ArrayList<>();
        Instant now = cli.environment.clock().instant();
        String principal = AuditRecord.principal(cli.environment.variables());
        read.forEach((id, columns) -> {
            cli.environment.err().println("note: reading as the platform team, which sees stored values: personal "
                    + "data of " + id + " (" + String.join(", ", columns) + ") is shown as it is and the read is "
                    + "audited; --as-domain DOMAIN reads as a domain does");
            audit.add(new AuditRecord(now, principal, AuditRecord.Action.READ_PERSONAL_DATA, id.domain(),
                    id.toString(), null, null, "read", "columns: " + String.join(", ", columns) + "; by mesh sql",
                    null));
        });
        tables.audit(audit);
    }

    /** Whether {@code id} names the quarantine of a product with personal data (its raw records may hold them). */
    private static boolean quarantineOfPersonalData(MeshContext context, ProductId id) {
        if (!id.name().endsWith(DomainCatalog.QUARANTINE_SUFFIX)) {
            return false;
        }
        String name = id.name().substring(0, id.name().length() - DomainCatalog.QUARANTINE_SUFFIX.length());
        return context.mesh().products().stream().anyMatch(p -> p.domain().equals(id.domain())
                && p.name().equals(name) && p.output().schema().stream()
                        .anyMatch(c -> dev.mesh.spec.model.ColumnSpec.PII.equals(c.classification())));
    }
}
