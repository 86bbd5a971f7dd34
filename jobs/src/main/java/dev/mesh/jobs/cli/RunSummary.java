package dev.mesh.jobs.cli;

import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.spi.ConstraintOutcome;
import dev.mesh.runtime.spi.IgnoredFile;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Prints the end-of-run summary: one line per product, then what failed or warned and why. */
final class RunSummary {
    /** Landing files left out that are named one per line; the run's row lists them all. */
    private static final int SHOWN = 5;

    private RunSummary() {}

    static void print(PrintStream out, List<RunResult> results) {
        TextTable table = new TextTable("DOMAIN", "PRODUCT", "STATUS", "READ", "PUBLISHED", "QUARANTINED",
                "CHECKS PASSED/FAILED", "VERSION", "DURATION");
        for (RunResult r : results) {
            table.row(r.product().domain(), r.product().name(), r.status(), r.rowsIn(), r.rowsOut(),
                    r.rowsQuarantined(), r.gate().passed() + "/" + r.gate().failed(),
                    r.outputVersion() == null ? "-" : r.outputVersion(), seconds(r.duration()));
        }
        table.print(out);
        for (RunResult r : results) {
            if (r.status() != RunStatus.PUBLISHED && r.status() != RunStatus.UP_TO_DATE) {
                out.println(r.product() + ": " + r.status() + ": " + r.error());
            }
            List<IgnoredFile> ignored = r.inputs().stream().flatMap(input -> input.ignored().stream()).toList();
            ignored.stream().limit(SHOWN).forEach(file -> out.println(r.product() + ": left out " + file.path() + ": "
                    + file.reason()));
            if (ignored.size() > SHOWN) {
                out.println(r.product() + ": left out " + (ignored.size() - SHOWN) + " more landing files (each with "
                        + "its reason in the run's row: mesh sql \"SELECT inputs FROM platform.runs WHERE run_id = '"
                        + r.runId() + "'\")");
            }
            if (!r.schemaChanges().isEmpty()) {
                out.println(r.product() + ": schema changed: " + String.join(", ", r.schemaChanges()));
            }
            List<ConstraintOutcome> warnings = r.gate().failures().stream()
                    .filter(c -> c.level() == dev.mesh.spec.model.CheckSpec.Level.WARNING)
                    .toList();
            for (ConstraintOutcome warning : warnings) {
                out.println(r.product() + ": warning: " + warning.constraint() + ": " + warning.message());
            }
        }
        long published = results.stream().filter(r -> r.status() == RunStatus.PUBLISHED).count();
        long upToDate = results.stream().filter(r -> r.status() == RunStatus.UP_TO_DATE).count();
        out.printf(Locale.ROOT, "%d product%s: %d published, %d up to date, %d not published%n", results.size(),
                results.size() == 1 ? "" : "s", published, upToDate, results.size() - published - upToDate);
    }

    /** The time each stage took: "resolve 0.2s, read 1.4s, ...". */
    static String stages(RunResult result) {
        return String.join(", ", result.stageMillis().entrySet().stream()
                .map(e -> e.getKey() + " " + seconds(Duration.ofMillis(e.getValue())))
                .toList());
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    }
}
