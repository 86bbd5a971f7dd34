package dev.mesh.jobs.cli;

import static org.apache.spark.sql.functions.col;

import dev.mesh.runtime.ledger.InflightRuns;
import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.ledger.RunsTable;
import dev.mesh.spec.ProductId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesh runs}: the most recent runs from the ledger, newest first. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Show recent runs from the run ledger (_platform/runs), newest first.")
final class RunsCommand implements Callable<Integer> {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    @ParentCommand
    MeshCli cli;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many runs (default: 20).")
    int limit;

    @Parameters(paramLabel = "DOMAIN.PRODUCT", arity = "0..1", description = "Only this product's runs.")
    String product;

    @Override
    public Integer call() {
        try (MeshContext context = cli.context()) {
            Dataset<Row> runs = new PlatformTables(context.verifiedSpark(), context.zones()).read(RunsTable.TABLE);
            Optional<ProductId> only = Optional.empty();
            if (product != null) {
                ProductId id = new dev.mesh.runtime.run.ProductGraph(context.mesh()).resolve(List.of(product)).get(0);
                runs = runs.where(col("domain").equalTo(id.domain()).and(col("product").equalTo(id.name())));
                only = Optional.of(id);
            }
            List<Row> rows = runs.orderBy(col("started_at").desc()).limit(limit).collectAsList();
            TextTable table = new TextTable("STARTED (UTC)", "RUN", "PRODUCT", "STATUS", "READ", "PUBLISHED",
                    "QUARANTINED", "CHECKS", "VERSION", "DURATION", "ERROR OR SCHEMA CHANGE");
            // runs that started and have no row yet: still going, or killed (recorded at the product's next run)
            List<String> recorded = rows.stream().map(row -> row.<String>getAs("run_id")).toList();
            for (InflightRuns.Marker marker : new InflightRuns(context.verifiedSpark(), context.zones())
                    .markers(only)) {
                if (!recorded.contains(marker.runId())) {
                    boolean gone = marker.processGone();
                    table.row(TIME.format(marker.startedAt()), marker.runId(), marker.product(),
                            gone ? "UNFINISHED" : "RUNNING", "", "", "", "", "", "", gone ? "its process (pid "
                                    + marker.pid() + ") is gone; recorded at the product's next run"
                                    : "pid " + marker.pid() + " on " + marker.host());
                }
            }
            for (Row row : rows) {
                table.row(TIME.format(row.getTimestamp(row.fieldIndex("started_at")).toInstant()),
                        row.getAs("run_id"), row.getAs("domain") + "." + row.getAs("product"), row.getAs("status"),
                        row.getAs("rows_in"), row.getAs("rows_out"), row.getAs("rows_quarantined"),
                        row.getAs("checks_passed") + "/" + row.getAs("checks_failed"),
                        row.isNullAt(row.fieldIndex("output_version")) ? "-" : row.getAs("output_version"),
                        String.format(Locale.ROOT, "%.1fs", ((Long) row.getAs("duration_ms")) / 1000.0),
                        abbreviate(detail(row), 100));
            }
            if (table.isEmpty()) {
                cli.environment.out().println("no runs recorded yet under " + context.zones().root());
            } else {
                table.print(cli.environment.out());
            }
        }
        return 0;
    }

    /** The run's error, or how it changed the product's schema. */
    private static String detail(Row row) {
        String error = row.getAs("error");
        // ledgers written before schema changes were recorded have no such column
        boolean recordsChanges = Arrays.asList(row.schema().fieldNames()).contains("schema_changes");
        if (error != null || !recordsChanges || row.isNullAt(row.fieldIndex("schema_changes"))) {
            return error;
        }
        return String.join(", ", row.<String>getList(row.fieldIndex("schema_changes")));
    }

    static String abbreviate(String text, int max) {
        if (text == null) {
            return "";
        }
        String line = text.replace('\n', ' ');
        return line.length() <= max ? line : line.substring(0, max - 3) + "...";
    }
}
