package dev.mesh.jobs.cli;

import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.run.RunObserver;
import dev.mesh.runtime.spark.RunMetricsListener;
import dev.mesh.spec.model.ProductId;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows what running products are doing: their stage, the records Spark has read for them so far, their tasks and
 * elapsed time. On a terminal, one status line rewritten every second; otherwise a log line per product still
 * running every {@code logEvery}, so that a scheduler's log shows a long run moving.
 */
final class ProgressReporter implements RunObserver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final AtomicInteger finished = new AtomicInteger();
    private final RunMetricsListener metrics;
    private final PrintStream terminal;
    private final Duration logEvery;
    private final int total;
    private final Thread ticker;
    private volatile int lastWidth;

    private record Running(ProductId product, String stage, long startNanos) {}

    ProgressReporter(RunMetricsListener metrics, PrintStream terminal, Duration logEvery, int total) {
        this.metrics = metrics;
        this.terminal = terminal;
        this.logEvery = logEvery;
        this.total = total;
        this.ticker = new Thread(this::tick, "mesh-progress");
        this.ticker.setDaemon(true);
        this.ticker.start();
    }

    /** Status lines on {@code stderr} when this process has a terminal, log lines otherwise. */
    static ProgressReporter start(RunMetricsListener metrics, PrintStream stderr, int total) {
        return new ProgressReporter(metrics, System.console() != null ? stderr : null, Duration.ofSeconds(15), total);
    }

    @Override
    public void started(String runId, ProductId product) {
        running.put(runId, new Running(product, "start", System.nanoTime()));
    }

    @Override
    public void stage(String runId, ProductId product, String stage) {
        running.computeIfPresent(runId, (id, r) -> new Running(r.product(), stage, r.startNanos()));
    }

    @Override
    public void finished(RunResult result) {
        running.remove(result.runId());
        finished.incrementAndGet();
        clearLine();
    }

    private void tick() {
        long lastLog = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
            if (terminal != null) {
                String line = "[" + finished.get() + "/" + total + " done] " + running.entrySet().stream()
                        .map(e -> describe(e.getValue(), metrics.now(e.getKey()))).collect(Collectors.joining(" | "));
                synchronized (this) {
                    terminal.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
                    terminal.flush();
                    lastWidth = line.length();
                }
            } else if (System.nanoTime() - lastLog >= logEvery.toNanos()) {
                lastLog = System.nanoTime();
                running.forEach((runId, r) -> LOG.info("still running: {}", describe(r, metrics.now(runId))));
            }
        }
    }

    private static String describe(Running r, RunMetricsListener.Snapshot spark) {
        return describe(r.product(), r.stage(), spark, Duration.ofNanos(System.nanoTime() - r.startNanos()));
    }

    /** "sales.lineitems: write, 60,175 records read, tasks 3/4, 12.3s". */
    static String describe(ProductId product, String stage, RunMetricsListener.Snapshot spark, Duration elapsed) {
        return String.format(Locale.ROOT, "%s: %s, %,d records read, tasks %d/%d, %.1fs", product, stage,
                spark.recordsRead(), spark.tasksDone(), spark.tasksSubmitted(), elapsed.toMillis() / 1000.0);
    }

    private synchronized void clearLine() {
        if (terminal != null && lastWidth > 0) {
            terminal.print("\r" + " ".repeat(lastWidth) + "\r");
            terminal.flush();
            lastWidth = 0;
        }
    }

    @Override
    public void close() {
        ticker.interrupt();
        clearLine();
    }
}
