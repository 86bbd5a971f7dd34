package dev.mesh.server.runs;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.runtime.ledger.DirectPlatformTables;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.run.RunObserver;
import dev.mesh.server.http.HttpProblem;
import dev.mesh.spec.model.ProductId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs asked for through the API: queued durably ({@code _platform/run_queue}) before the request is answered,
 * executed at most {@code concurrent} at a time, cancelled on request. A server that starts again runs what was queued
 * and never started, and records what had started and never finished as {@code UNFINISHED} (the product's next run
 * records it in the runs table too). One principal may have at most {@code perPrincipal} runs waiting.
 */
public final class RunQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunQueue.class);
    private static final int KEPT_RUNS = 2000;

    /** Executes one run in the server (or on a cluster) and stops it when asked. */
    public interface Executor {
        RunResult execute(ServerRun run, RunObserver observer);

        /** Stops the run's Spark work now; the run then ends FAILED with the cancellation as its error. */
        void interrupt(ServerRun run);
    }

    private final DirectPlatformTables tables;
    private final Executor executor;
    private final Clock clock;
    private final int concurrent;
    private final int perPrincipal;
    private final Consumer<ServerRun> onFinished;
    private final LinkedBlockingQueue<ServerRun> waiting = new LinkedBlockingQueue<>();
    private final Map<String, ServerRun> runs = new LinkedHashMap<>();
    private final Set<String> cancelRequested = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;
    private volatile boolean accepting = true;

    public RunQueue(DirectPlatformTables tables, Executor executor, Clock clock, int concurrent, int perPrincipal,
            Consumer<ServerRun> onFinished) {
        this.tables = requireNonNull(tables, "tables is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.concurrent = concurrent;
        this.perPrincipal = perPrincipal;
        this.onFinished = requireNonNull(onFinished, "onFinished is null");
        this.workers = Executors.newFixedThreadPool(concurrent, runnable -> {
            Thread thread = new Thread(runnable, "mesh-run-worker");
            thread.setDaemon(false);
            return thread;
        });
    }

    /** What a start found in the queue's table: runs queued again, runs recorded unfinished. */
    public record Recovery(int requeued, int unfinished) {}

    /** Recovers the queue's table, then starts the workers. */
    public Recovery start() {
        Map<String, List<QueueEvent>> byRun = new LinkedHashMap<>();
        tables.scan(RunQueueTable.TABLE, row -> {
            QueueEvent event = RunQueueTable.fromRow(row);
            byRun.computeIfAbsent(event.runId(), id -> new ArrayList<>()).add(event);
        });
        int requeued = 0;
        List<QueueEvent> unfinished = new ArrayList<>();
        List<ServerRun> again = new ArrayList<>();
        for (List<QueueEvent> events : byRun.values()) {
            boolean started = events.stream().anyMatch(e -> e.kind() == QueueEvent.Kind.STARTED);
            boolean finished = events.stream().anyMatch(e -> e.kind() == QueueEvent.Kind.FINISHED);
            Optional<QueueEvent> first = events.stream().filter(e -> e.kind() == QueueEvent.Kind.QUEUED).findFirst();
            if (finished || first.isEmpty()) {
                continue;
            }
            QueueEvent queued = first.get();
            if (started) {
                unfinished.add(finishedEvent(queued, "UNFINISHED", Optional.of("the server stopped while the run "
                        + "was going; nothing it did not commit is published")));
            } else {
                again.add(new ServerRun(queued.runId(), queued.product(), queued.principal(), queued.force(),
                        queued.fullRefresh(), queued.at()));
                requeued++;
            }
        }
        tables.append(RunQueueTable.TABLE, unfinished);
        again.sort((a, b) -> a.queuedAt().compareTo(b.queuedAt()));
        for (ServerRun run : again) {
            remember(run);
            waiting.add(run);
        }
        for (int i = 0; i < concurrent; i++) {
            workers.submit(this::work);
        }
        if (requeued + unfinished.size() > 0) {
            LOG.info("run queue: {} queued runs taken up again, {} runs recorded unfinished", requeued,
                    unfinished.size());
        }
        return new Recovery(requeued, unfinished.size());
    }

    /** Queues a run (recorded before this returns); 503 when shutting down, 429 when the principal has too many. */
    public ServerRun submit(ProductId product, String principal, boolean force, boolean fullRefresh) {
        if (!accepting) {
            throw HttpProblem.unavailable("the server is shutting down and takes no more runs");
        }
        long mine = waiting.stream().filter(run -> run.principal().equals(principal)).count();
        if (mine >= perPrincipal) {
            throw HttpProblem.tooMany(principal + " already has " + mine + " runs waiting (the limit is "
                    + perPrincipal + "); wait for them to start");
        }
        ServerRun run = new ServerRun(UUID.randomUUID().toString(), product, principal, force, fullRefresh,
                clock.instant());
        tables.append(RunQueueTable.TABLE, List.of(new QueueEvent(run.queuedAt(), QueueEvent.Kind.QUEUED, run.id(),
                product, principal, force, fullRefresh, Optional.empty(), Optional.empty())));
        remember(run);
        waiting.add(run);
        return run;
    }

    public synchronized Optional<ServerRun> find(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    /** The runs this server knows, newest first. */
    public synchronized List<ServerRun> recent() {
        List<ServerRun> list = new ArrayList<>(runs.values());
        java.util.Collections.reverse(list);
        return list;
    }

    public int queueLength() {
        return waiting.size();
    }

    public synchronized long running() {
        return runs.values().stream().filter(run -> run.state() == ServerRun.State.RUNNING).count();
    }

    /** Cancels a run: one still queued never starts, one running stops its Spark work and ends FAILED. */
    public void cancel(ServerRun run, String by) {
        if (run.cancelQueued(clock.instant(), by)) {
            waiting.remove(run);
            tables.append(RunQueueTable.TABLE, List.of(finishedEvent(run, "CANCELLED", run.endNote())));
            onFinished.accept(run);
            return;
        }
        if (run.state() == ServerRun.State.RUNNING) {
            cancelRequested.add(run.id());
            executor.interrupt(run);
        }
    }

    /**
     * Stops taking runs, lets the running ones finish for up to {@code grace}, and records those still going as
     * {@code UNFINISHED}; runs still queued stay queued for the next start.
     */
    public void shutdown(Duration grace) {
        accepting = false;
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                List<QueueEvent> cut = new ArrayList<>();
                for (ServerRun run : recent()) {
                    if (run.state() == ServerRun.State.RUNNING) {
                        String why = "the server shut down before the run finished (grace " + grace + ")";
                        run.abandon(clock.instant(), "UNFINISHED", why);
                        cut.add(finishedEvent(run, "UNFINISHED", Optional.of(why)));
                    }
                }
                tables.append(RunQueueTable.TABLE, cut);
                LOG.warn("shutdown: {} runs were still going after {} and are recorded unfinished", cut.size(), grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
        workers.shutdownNow();
    }

    private void work() {
        while (accepting) {
            ServerRun run;
            try {
                run = waiting.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (run == null || !run.start(clock.instant())) {
                continue;
            }
            try {
                tables.append(RunQueueTable.TABLE, List.of(new QueueEvent(clock.instant(), QueueEvent.Kind.STARTED,
                        run.id(), run.product(), run.principal(), run.force(), run.fullRefresh(), Optional.empty(),
                        Optional.empty())));
                RunResult result = executor.execute(run, observer(run));
                run.finish(clock.instant(), result);
                LOG.info("run {} of {} for {}: {} in {} ms{}", run.id(), run.product(), run.principal(),
                        result.status(), java.time.Duration.between(result.startedAt(), result.finishedAt()).toMillis(),
                        result.error() == null ? "" : ": " + result.error());
                tables.append(RunQueueTable.TABLE, List.of(finishedEvent(run, result.status().name(),
                        Optional.ofNullable(result.error()))));
            } catch (RuntimeException e) {
                LOG.error("run {} of {} could not be carried out: {}", run.id(), run.product(), e.getMessage(), e);
                if (!run.done()) {
                    String why = "the server could not carry out the run: " + e.getMessage();
                    run.abandon(clock.instant(), "FAILED", why);
                    try {
                        tables.append(RunQueueTable.TABLE, List.of(finishedEvent(run, "FAILED", Optional.of(why))));
                    } catch (RuntimeException unrecorded) {
                        LOG.warn("run {} could not be recorded as failed in the queue: {}", run.id(),
                                unrecorded.getMessage());
                    }
                }
            } finally {
                cancelRequested.remove(run.id());
                onFinished.accept(run);
            }
        }
    }

    private RunObserver observer(ServerRun run) {
        return new RunObserver() {
            @Override
            public void stage(String runId, ProductId product, String stage) {
                if (cancelRequested.contains(run.id())) {
                    throw new MeshException(ErrorCode.CANCELLED, product + ": cancelled by "
                            + run.cancelledBy().orElse("a user") + " before stage " + stage
                            + "; nothing was published");
                }
                run.stage(clock.instant(), stage);
            }
        };
    }

    private QueueEvent finishedEvent(ServerRun run, String status, Optional<String> error) {
        return new QueueEvent(clock.instant(), QueueEvent.Kind.FINISHED, run.id(), run.product(), run.principal(),
                run.force(), run.fullRefresh(), Optional.of(status), error);
    }

    private QueueEvent finishedEvent(QueueEvent queued, String status, Optional<String> error) {
        return new QueueEvent(clock.instant(), QueueEvent.Kind.FINISHED, queued.runId(), queued.product(),
                queued.principal(), queued.force(), queued.fullRefresh(), Optional.of(status), error);
    }

    private synchronized void remember(ServerRun run) {
        runs.put(run.id(), run);
        if (runs.size() > KEPT_RUNS) {
            runs.values().removeIf(old -> old.done() && runs.size() > KEPT_RUNS);
        }
    }
}
