package dev.mesh.jobs.cli;

import dev.mesh.runtime.ledger.DirectPlatformTables;
import dev.mesh.runtime.ledger.InflightRuns;
import dev.mesh.runtime.ledger.LedgerRow;
import dev.mesh.runtime.ledger.RunsTable;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.validation.ProductGraph;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
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

    @Option(names = "--limit", converter = PositiveCount.class, paramLabel = "N",
            defaultValue = "20", description = "How many runs (default: 20).")
    int limit;

    @Parameters(paramLabel = "DOMAIN.PRODUCT", arity = "0..1", description = "Only this product's runs.")
    String product;

    @Override
    public Integer call() {
        try (MeshContext context = cli.context()) {
            Optional<ProductId> only = product == null ? Optional.empty()
                    : Optional.of(new ProductGraph(context.mesh()).resolve(List.of(product)).get(0));
            DirectPlatformTables tables = context.directTables();
            List<LedgerRow> rows = latest(tables, row -> only.map(id -> id.domain()
                    .equals(row.string("domain")) && id.name().equals(row.string("product"))).orElse(true), limit);
            TextTable table = new TextTable("STARTED (UTC)", "RUN", "PRODUCT", "STATUS", "READ", "PUBLISHED",
                    "QUARANTINED", "CHECKS", "VERSION", "DURATION", "ERROR OR SCHEMA CHANGE");
            // runs that started and have no row yet: still going, or killed (recorded at the product's next run)
            List<String> recorded = rows.stream().map(row -> row.string("run_id")).toList();
            for (InflightRuns.Marker marker : tables.inflight().markers(only)) {
                if (!recorded.contains(marker.runId())) {
                    boolean gone = marker.processGone();
                    table.row(TIME.format(marker.startedAt()), marker.runId(), marker.product(),
                            gone ? "UNFINISHED" : "RUNNING", "", "", "", "", "", "", gone ? "its process (pid "
                                    + marker.pid() + ") is gone; recorded at the product's next run"
                                    : "pid " + marker.pid() + " on " + marker.host());
                }
            }
            for (LedgerRow row : rows) {
                table.row(TIME.format(row.instant("started_at")), row.string("run_id"),
                        row.string("domain") + "." + row.string("product"), row.string("status"),
                        row.number("rows_in"), row.number("rows_out"), row.number("rows_quarantined"),
                        row.number("checks_passed") + "/" + row.number("checks_failed"),
                        row.isNull("output_version") ? "-" : row.number("output_version"),
                        String.format(Locale.ROOT, "%.1fs", row.number("duration_ms") / 1000.0),
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

    /**
     * The {@code limit} rows of the run ledger that pass the filter and started last, newest first, kept in a bounded
     * heap as the ledger streams by.
     */
    static List<LedgerRow> latest(DirectPlatformTables tables, Predicate<LedgerRow> filter, int limit) {
        Comparator<LedgerRow> byStart = Comparator.comparing(row -> row.instant("started_at"));
        PriorityQueue<LedgerRow> newest = new PriorityQueue<>(byStart);
        tables.scan(RunsTable.TABLE, row -> {
            if (limit > 0 && filter.test(row)) {
                newest.add(row);
                if (newest.size() > limit) {
                    newest.poll();
                }
            }
        });
        List<LedgerRow> rows = new ArrayList<>(newest);
        rows.sort(byStart.reversed());
        return rows;
    }

    /** The run's error, or how it changed the product's schema. */
    private static String detail(LedgerRow row) {
        String error = row.string("error");
        // ledgers written before schema changes were recorded have no such column: it reads as null
        if (error != null || row.isNull("schema_changes")) {
            return error;
        }
        return String.join(", ", row.strings("schema_changes"));
    }

    static String abbreviate(String text, int max) {
        if (text == null) {
            return "";
        }
        String line = text.replace('\n', ' ');
        return line.length() <= max ? line : line.substring(0, max - 3) + "...";
    }
}
