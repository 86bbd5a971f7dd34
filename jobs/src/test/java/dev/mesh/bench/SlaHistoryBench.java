package dev.mesh.bench;

import dev.mesh.quality.sla.SlaMonitor;
import dev.mesh.runtime.ledger.DirectPlatformTables;
import dev.mesh.runtime.ledger.RunsTable;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.storage.LocalDiskSettings;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.testing.SpecFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * What the SLA evaluation after each run costs as the runs ledger grows: runs recorded one commit each, as runs
 * record them (every run inside the 7-day window), and the evaluation of one product timed at each size, median of 5.
 * Every recorded run is a file of its own until appends merge the small files; the evaluation reads the window's.
 * No Spark. Writes bench/out/sla-history.csv.
 *   bench/sla-history.sh [SIZES="25 100 400 1600"]
 */
public final class SlaHistoryBench {
    private SlaHistoryBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("mesh-sla-history");
        SpecFixture fixture = SpecFixture.in(dir.resolve("mesh"));
        ProductSpec orders = fixture.load().orThrow().product(new ProductId("shop", "orders")).orElseThrow();
        // the local disk as the platform's commands reach it (its log store, no process per file)
        Configuration hadoop = new Configuration();
        LocalDiskSettings.configure(hadoop);
        DirectPlatformTables tables = new DirectPlatformTables(hadoop, new ZoneLayout(dir.resolve("zones").toUri()));
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        SlaMonitor monitor = new SlaMonitor(tables, Clock.fixed(now, ZoneOffset.UTC));
        List<String> csv = new ArrayList<>(List.of("runs,evaluate_ms_median,record_ms_mean"));
        int recorded = 0;
        for (String size : (args.length > 0 ? String.join(" ", args) : "25 100 400 1600").trim().split("\\s+")) {
            int target = Integer.parseInt(size);
            long start = System.nanoTime();
            int before = recorded;
            for (; recorded < target; recorded++) {
                // spread over the last 6 days: every run is inside the default 7-day window
                Instant finished = now.minus(Duration.ofDays(6).multipliedBy(target - recorded).dividedBy(target));
                tables.append(RunsTable.TABLE, List.of(new RunResult("r" + recorded, orders.id(), orders.version(),
                        orders.hash(), "r" + recorded, RunStatus.PUBLISHED, finished.minusSeconds(5), finished, 1, 1,
                        0, null, List.of(), Map.of(), GateResult.EMPTY, RunUsage.NONE, null, null, List.of())));
            }
            double recordMs = (System.nanoTime() - start) / 1e6 / Math.max(1, recorded - before);
            monitor.evaluate(List.of(orders));
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long at = System.nanoTime();
                monitor.evaluate(List.of(orders));
                times.add((System.nanoTime() - at) / 1e6);
            }
            Collections.sort(times);
            long files;
            try (var listing = Files.list(dir.resolve("zones/_platform/runs"))) {
                files = listing.filter(f -> f.toString().endsWith(".parquet")).count();
            }
            System.out.printf(Locale.ROOT, "%5d runs in the ledger: SLA evaluation %7.1f ms (median of 5), "
                    + "recording a run %5.1f ms; %d data files on disk%n", target, times.get(2), recordMs, files);
            csv.add(String.format(Locale.ROOT, "%d,%.1f,%.1f", target, times.get(2), recordMs));
        }
        Path out = Path.of("..", "bench", "out");
        Files.createDirectories(out);
        Files.write(out.resolve("sla-history.csv"), csv);
    }
}
