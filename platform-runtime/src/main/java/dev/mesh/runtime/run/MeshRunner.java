package dev.mesh.runtime.run;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.validation.ProductGraph;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Runs several products in input order, independent ones in parallel if asked; a product whose input failed in the
 * same invocation is skipped (and recorded as such) rather than run against stale data.
 */
public final class MeshRunner {
    private final ProductRunner runner;
    private final MeshSpec mesh;

    public MeshRunner(ProductRunner runner, MeshSpec mesh) {
        this.runner = requireNonNull(runner, "runner is null");
        this.mesh = requireNonNull(mesh, "mesh is null");
    }

    public List<RunResult> run(List<ProductId> selected, RunOptions options, Consumer<RunResult> onFinished) {
        return run(selected, options, 1, onFinished);
    }

    /**
     * Runs the products, each as soon as the products it reads (among those selected) have finished, up to
     * {@code parallelism} at a time in this driver. Returns the results in input order.
     */
    public List<RunResult> run(List<ProductId> selected, RunOptions options, int parallelism,
            Consumer<RunResult> onFinished) {
        if (parallelism < 1) {
            throw MeshException.invalidInput("--parallel must be at least 1, not %d", parallelism);
        }
        ProductGraph graph = new ProductGraph(mesh);
        List<ProductId> order = graph.order(selected);
        Set<ProductId> chosen = new LinkedHashSet<>(selected);
        ProductGraph.Schedule schedule = graph.schedule(selected);
        Map<ProductId, RunResult> results = new HashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, runnable -> {
            Thread thread = new Thread(runnable, "mesh-run");
            thread.setDaemon(true);
            return thread;
        });
        CompletionService<RunResult> done = new ExecutorCompletionService<>(pool);
        int running = 0;
        try {
            while (results.size() < order.size()) {
                while (schedule.hasReady() && running < parallelism) {
                    ProductId id = schedule.next();
                    ProductSpec product = mesh.product(id).orElseThrow();
                    List<ProductId> failedUpstream = graph.upstreamWithin(id, chosen).stream()
                            .filter(upstream -> !results.get(upstream).status().ok())
                            .toList();
                    if (failedUpstream.isEmpty()) {
                        done.submit(() -> runner.run(product, options));
                        running++;
                    } else {
                        finish(runner.skip(product, skipped(failedUpstream)), results, schedule, onFinished);
                    }
                }
                if (results.size() == order.size()) {
                    break;
                }
                if (running == 0) {
                    if (!schedule.hasReady()) {
                        throw new IllegalStateException("no product can run; finished: " + results.keySet());
                    }
                    continue;
                }
                RunResult result = done.take().get();
                running--;
                finish(result, results, schedule, onFinished);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException(ErrorCode.INTERNAL, "interrupted while running products", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MeshException mesh) {
                throw mesh;
            }
            throw new MeshException(ErrorCode.INTERNAL, "a product run failed unexpectedly: "
                    + dev.mesh.error.PlainMessages.of(cause), cause);
        } finally {
            pool.shutdownNow();
        }
        List<RunResult> ordered = order.stream().map(results::get).toList();
        runner.tellListeners("the invocation", listener -> listener.invocationFinished(runner.context(), ordered));
        return ordered;
    }

    private static void finish(RunResult result, Map<ProductId, RunResult> results, ProductGraph.Schedule schedule,
            Consumer<RunResult> onFinished) {
        results.put(result.product(), result);
        onFinished.accept(result);
        schedule.finished(result.product());
    }

    private static String skipped(List<ProductId> failedUpstream) {
        return "skipped: input " + (failedUpstream.size() == 1 ? "product " : "products ")
                + String.join(", ", failedUpstream.stream().map(ProductId::toString).toList())
                + " did not publish in this run";
    }

    /**
     * The exit code of an invocation: infrastructure failures first (1), then a cancelled run (130), then invalid
     * input (2), then a blocked gate (3), else 0.
     */
    public static int exitCode(List<RunResult> results) {
        List<Integer> codes = results.stream().filter(r -> r.status() != RunStatus.SKIPPED)
                .map(RunResult::exitCode).toList();
        for (int code : new int[] {ErrorCode.INFRASTRUCTURE.exitCode(), ErrorCode.CANCELLED.exitCode(),
                ErrorCode.INVALID_INPUT.exitCode(), ErrorCode.QUALITY_GATE_FAILED.exitCode()}) {
            if (codes.contains(code)) {
                return code;
            }
        }
        return 0;
    }

    static RunResult skippedResult(ProductSpec product, String runId, Instant now, String reason) {
        return new RunResult(runId, product.id(), product.version(), product.hash(), null, RunStatus.SKIPPED, now,
                now, 0, 0, 0, null, List.of(), Map.of(), GateResult.EMPTY, RunUsage.NONE, reason, null,
                List.of());
    }
}
