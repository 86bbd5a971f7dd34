package dev.mesh.jobs.cli;

import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.ledger.UsageRecord;
import dev.mesh.runtime.ledger.UsageTable;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
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
            UsageTable.Summary usage = context.runtime().usage(Optional.ofNullable(domain), runs);
            PrintStream out = cli.environment.out();
            List<UsageRecord.Zone> zones = usage.zones();
            out.println("ZONES" + (zones.isEmpty() ? " (not measured yet; mesh run measures them)"
                    : " (measured " + RunsCommand.TIME.format(zones.get(0).recordedAt()) + " UTC)"));
            if (!zones.isEmpty()) {
                TextTable table = new TextTable("DOMAIN", "ZONE", "FILES", "SIZE");
                zones.forEach(zone -> table.row(zone.domain(), zone.zone(), zone.files(), bytes(zone.bytes())));
                table.print(out);
            }

            out.println();
            out.println("RUNS (latest " + runs + ")");
            TextTable table = new TextTable("FINISHED (UTC)", "PRODUCT", "CPU", "TASK TIME", "READ", "RECORDS READ",
                    "WRITTEN", "RECORDS WRITTEN", "FILES WRITTEN");
            for (UsageRecord.Run run : usage.runs()) {
                RunUsage used = run.usage();
                table.row(RunsCommand.TIME.format(run.recordedAt()), run.domain() + "." + run.product(),
                        millis(used.cpuMillis()), millis(used.taskMillis()), bytes(used.bytesRead()),
                        used.recordsRead(), bytes(used.bytesWritten()), used.recordsWritten(),
                        used.filesWritten());
            }
            table.print(out);
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
