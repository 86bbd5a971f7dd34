package dev.mesh.runtime.run;

import static java.util.Objects.requireNonNull;

import dev.mesh.runtime.error.ErrorCode;
import dev.mesh.runtime.spec.MeshSpec;
import dev.mesh.runtime.spec.ProductId;
import dev.mesh.runtime.spec.ProductSpec;
import dev.mesh.runtime.spi.GateResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs several products in input order; a product whose input failed in the same invocation is skipped (and
 * recorded as such) rather than run against stale data.
 */
public final class MeshRunner {
    private final ProductRunner runner;
    private final MeshSpec mesh;

    public MeshRunner(ProductRunner runner, MeshSpec mesh) {
        this.runner = requireNonNull(runner, "runner is null");
        this.mesh = requireNonNull(mesh, "mesh is null");
    }

    public List<RunResult> run(List<ProductId> selected, RunOptions options, Consumer<RunResult> onFinished) {
        ProductGraph graph = new ProductGraph(mesh);
        Set<ProductId> chosen = new LinkedHashSet<>(selected);
        Map<ProductId, RunResult> results = new HashMap<>();
        List<RunResult> ordered = new ArrayList<>();
        for (ProductId id : graph.order(selected)) {
            ProductSpec product = mesh.product(id).orElseThrow();
            List<ProductId> failedUpstream = graph.upstreamWithin(id, chosen).stream()
                    .filter(upstream -> !results.get(upstream).status().ok())
                    .toList();
            RunResult result = failedUpstream.isEmpty()
                    ? runner.run(product, options)
                    : runner.skip(product, skipped(failedUpstream));
            results.put(id, result);
            ordered.add(result);
            onFinished.accept(result);
        }
        return ordered;
    }

    private static String skipped(List<ProductId> failedUpstream) {
        return "skipped: input " + (failedUpstream.size() == 1 ? "product " : "products ")
                + String.join(", ", failedUpstream.stream().map(ProductId::toString).toList())
                + " did not publish in this run";
    }

    /**
     * The exit code of an invocation: infrastructure failures first (1), then invalid input (2), then a blocked
     * gate (3), else 0.
     */
    public static int exitCode(List<RunResult> results) {
        List<Integer> codes = results.stream().filter(r -> r.status() != RunStatus.SKIPPED)
                .map(RunResult::exitCode).toList();
        for (int code : new int[] {ErrorCode.INFRASTRUCTURE.exitCode(), ErrorCode.INVALID_INPUT.exitCode(),
                ErrorCode.QUALITY_GATE_FAILED.exitCode()}) {
            if (codes.contains(code)) {
                return code;
            }
        }
        return 0;
    }

    static RunResult skippedResult(ProductSpec product, String runId, Instant now, String reason) {
        return new RunResult(runId, product.id(), product.version(), product.hash(), null, RunStatus.SKIPPED, now,
                now, 0, 0, 0, null, List.of(), Map.of(), GateResult.EMPTY, reason, null);
    }
}
