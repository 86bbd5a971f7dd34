package dev.mesh.jobs.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.ledger.UsageRecord;
import dev.mesh.runtime.ledger.UsageTable;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesh usage}: what the zones hold and what recent runs cost, from _platform/usage. */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "Show infrastructure usage from _platform/usage: bytes and files in each zone of each domain "
                + "(as last measured), and per run the executor CPU time, bytes and records read and written, and "
                + "files written.")
final class UsageCommand implements Callable<Integer> {
    @ParentCommand
    MeshCli cli;

    @Parameters(paramLabel = "DOMAIN", arity = "0..1", description = "Only this domain.")
    String domain;

    @Option(names = "--runs", converter = PositiveCount.class, paramLabel = "N",
            defaultValue = "10", description = "How many recent runs (default: 10).")
    int runs;

    @Override
    public Integer call() {
        try (MeshContext context = cli.context()) {
            if (domain != null) {
                context.requireDomain(domain, "");
            }
            Dataset<Row> usage = new PlatformTables(context.verifiedSpark(), context.zones()).read(UsageTable.TABLE);
            if (domain != null) {
                usage = usage.where(col("domain").equalTo(domain));
            }
            usage = usage.cache();
            PrintStream out = cli.environment.out();

            Dataset<Row> zones = usage.where(col("kind").equalTo(UsageRecord.Kind.ZONE.column()));
            Row latest = zones.agg(max("recorded_at")).head();
            out.println("ZONES" + (latest.isNullAt(0) ? " (not measured yet; mesh run measures them)"
                    : " (measured " + RunsCommand.TIME.format(latest.getTimestamp(0).toInstant()) + " UTC)"));
            if (!latest.isNullAt(0)) {
                TextTable table = new TextTable("DOMAIN", "ZONE", "FILES", "SIZE");
                for (Row row : zones.where(col("recorded_at").equalTo(latest.getTimestamp(0)))
                        .orderBy("domain", "zone").collectAsList()) {
                    table.row(row.getAs("domain"), row.getAs("zone"), row.getAs("files"), bytes(row.getAs("bytes")));
                }
                table.print(out);
            }

            out.println();
            out.println("RUNS (latest " + runs + ")");
            TextTable table = new TextTable("FINISHED (UTC)", "PRODUCT", "CPU", "TASK TIME", "READ", "RECORDS READ",
                    "WRITTEN", "RECORDS WRITTEN", "FILES WRITTEN");
            List<Row> rows = usage.where(col("kind").equalTo(UsageRecord.Kind.RUN.column())).orderBy(col("recorded_at").desc()).limit(runs)
                    .collectAsList();
            for (Row row : rows) {
                table.row(RunsCommand.TIME.format(row.getTimestamp(row.fieldIndex("recorded_at")).toInstant()),
                        row.getAs("domain") + "." + row.getAs("product"), millis(row.getAs("cpu_ms")),
                        millis(row.getAs("task_ms")), bytes(row.getAs("bytes_read")), row.getAs("records_read"),
                        bytes(row.getAs("bytes_written")), row.getAs("records_written"), row.getAs("files_written"));
            }
            table.print(out);
            usage.unpersist();
        }
        return 0;
    }

    static String bytes(Long value) {
        if (value == null) {
            return "-";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double size = value;
        int unit = 0;
        while (size >= 1024 && unit < units.length - 1) {
            size /= 1024;
            unit++;
        }
        return unit == 0 ? value + " B" : String.format(Locale.ROOT, "%.1f %s", size, units[unit]);
    }

    private static String millis(Long value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.1fs", value / 1000.0);
    }
}
