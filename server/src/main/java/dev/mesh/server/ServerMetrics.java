package dev.mesh.server;

import dev.mesh.runtime.result.RunResult;
import dev.mesh.server.runs.RunQueue;
import dev.mesh.server.runs.ServerRun;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What {@code GET /metrics} exposes, in Prometheus' text format (Micrometer's registry): runs by product and status
 * ({@code mesh_runs_total}), their durations ({@code mesh_run_duration_seconds}), rows published and quarantined
 * ({@code mesh_rows_published_total}, {@code mesh_rows_quarantined_total}), gate outcomes
 * ({@code mesh_gate_results_total}), the queue ({@code mesh_run_queue_length}, {@code mesh_runs_active}) and HTTP
 * requests by route and status ({@code mesh_http_requests_total}). Labels never carry principals or errors.
 */
public final class ServerMetrics {
    private static final Duration SLA_REFRESH = Duration.ofSeconds(30);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Supplier<Map<String, Boolean>> slaBreached;
    private final Map<String, AtomicInteger> breached = new ConcurrentHashMap<>();
    private long slaReadAt = Long.MIN_VALUE;

    /**
     * The metrics of {@code queue}; {@code slaBreached} reads, per product, whether its last SLA evaluation says
     * breached (read again at a scrape at most every 30 s).
     */
    public ServerMetrics(RunQueue queue, Supplier<Map<String, Boolean>> slaBreached) {
        this.slaBreached = slaBreached;
        Gauge.builder("mesh.run.queue.length", queue, RunQueue::queueLength)
                .description("Runs waiting to start").register(registry);
        Gauge.builder("mesh.runs.active", queue, RunQueue::running)
                .description("Runs executing now").register(registry);
    }

    /** Counts a run that ended (or was cancelled before it started). */
    public void finished(ServerRun run) {
        String product = run.product().toString();
        if (run.result().isEmpty()) {
            String status = run.state() == ServerRun.State.CANCELLED ? "cancelled" : "unfinished";
            Counter.builder("mesh.runs").tag("product", product).tag("status", status)
                    .description("Runs by product and how they ended").register(registry).increment();
            return;
        }
        RunResult result = run.result().get();
        Counter.builder("mesh.runs").tag("product", product)
                .tag("status", result.status().name().toLowerCase(Locale.ROOT))
                .description("Runs by product and how they ended").register(registry).increment();
        Timer.builder("mesh.run.duration").tag("product", product)
                .description("How long runs took, from start to end").register(registry)
                .record(Duration.between(result.startedAt(), result.finishedAt()));
        Counter.builder("mesh.rows.published").tag("product", product)
                .description("Rows runs published").register(registry).increment(result.rowsOut());
        Counter.builder("mesh.rows.quarantined").tag("product", product)
                .description("Rows runs set aside with their reasons").register(registry)
                .increment(result.rowsQuarantined());
        if (!result.gate().constraints().isEmpty()) {
            String outcome = result.gate().blocked() ? "blocked" : "passed";
            Counter.builder("mesh.gate.results").tag("product", product).tag("result", outcome)
                    .description("Quality gate outcomes").register(registry).increment();
        }
    }

    /** Counts an answered request by its route pattern (never the raw path) and status. */
    public void request(String route, String method, int status) {
        Counter.builder("mesh.http.requests").tag("route", route).tag("method", method)
                .tag("status", Integer.toString(status)).description("HTTP requests answered")
                .register(registry).increment();
    }

    public String scrape() {
        refreshSla();
        return registry.scrape();
    }

    private synchronized void refreshSla() {
        long now = System.nanoTime();
        if (slaReadAt != Long.MIN_VALUE && now - slaReadAt < SLA_REFRESH.toNanos()) {
            return;
        }
        slaReadAt = now;
        slaBreached.get().forEach((product, isBreached) -> breached.computeIfAbsent(product, name -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("mesh.sla.breached", value, AtomicInteger::get).tag("product", name)
                    .description("1 when the product's last SLA evaluation says breached").register(registry);
            return value;
        }).set(isBreached ? 1 : 0));
    }
}
