package dev.mesh.jobs.cli;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.runtime.Mesh;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.run.RunOptions;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.validation.ProductGraph;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesh run}: runs products, inputs before their consumers, and prints the summary. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run data products (inputs before their consumers) and print one summary line per product.")
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    MeshCli cli;

    @Parameters(paramLabel = "SELECTOR", arity = "0..*", description = "The products to run: DOMAIN.PRODUCT, "
            + "tag:NAME, domain:NAME or state:modified[:GIT_REF]; +P adds what P reads (transitively), "
            + "P+ what reads P.")
    List<String> products = List.of();

    @Option(names = "--all", description = "Run every product of the mesh.")
    boolean all;

    @Option(names = "--run-id", paramLabel = "ID",
            description = "Run id to use (one product only), so a scheduler's retry keeps its id.")
    String runId;

    @Option(names = "--force",
            description = "Publish again even if the same spec over the same input data was already published "
                    + "(append and merge products still read only new landing files: see --full-refresh).")
    boolean force;

    @Option(names = "--full-refresh",
            description = "Rebuild append and merge products from all their landing files (not only new ones), in "
                    + "one atomic commit.")
    boolean fullRefresh;

    @Option(names = "--partitions", paramLabel = "PREDICATE",
            description = "Backfill: rebuild only the rows this SQL condition on output columns selects (e.g. "
                    + "\"order_date >= '2026-01-01' AND order_date < '2026-02-01'\"), from all the inputs, in one "
                    + "atomic commit that replaces exactly those rows. One product at a time.")
    String partitions;

    @Option(names = "--parallel", converter = PositiveCount.class, paramLabel = "N",
            defaultValue = "1",
            description = "Run up to N independent products at once in this driver (default: 1).")
    int parallel;

    @Option(names = "--output", paramLabel = "table|json", defaultValue = "table",
            description = "table (default): the summary for people; json: one JSON line per run, as each ends.")
    String output;

    @Override
    public Integer call() {
        try (MeshContext context = cli.context()) {
            Map<ProductId, String> refusedSpecs = context.runtime().refusedSpecs();
            List<ProductId> refused = all ? List.copyOf(refusedSpecs.keySet())
                    : products.stream().map(ProductId::parse).filter(refusedSpecs::containsKey).distinct().toList();
            List<ProductId> selected = select(context.mesh(), refused);
            int chosen = selected.size() + refused.size();
            if (runId != null && chosen != 1) {
                throw MeshException.invalidInput("--run-id names the run of one product, but %d are selected",
                        chosen);
            }
            boolean json = RunJson.chosen(output);
            if (partitions != null && (chosen != 1 || fullRefresh || partitions.isBlank())) {
                throw MeshException.invalidInput("--partitions rebuilds a range of one product: name one product, "
                        + "give a condition, and leave out --full-refresh");
            }
            RunOptions options = new RunOptions(Optional.ofNullable(runId), force, fullRefresh,
                    Optional.ofNullable(partitions));
            List<RunResult> results = new ArrayList<>();
            Consumer<RunResult> finished = result -> {
                if (json) {
                    cli.environment.out().println(RunJson.line(result));
                }
            };
            // a product whose spec (or an input's) has problems is refused, naming them; the others run
            for (ProductId id : refused) {
                RunResult result = refusedRun(id, refusedSpecs.get(id), context.runtime().clock().instant());
                finished.accept(result);
                results.add(result);
            }
            if (!selected.isEmpty()) {
                results.addAll(ReportedRuns.run(context, selected, options, parallel, finished));
            }
            if (!json) {
                RunSummary.print(cli.environment.out(), results);
            }
            return Mesh.exitCode(results);
        }
    }

    private List<ProductId> select(MeshSpec mesh, List<ProductId> refused) {
        ProductGraph graph = new ProductGraph(mesh);
        if (all == !products.isEmpty()) {
            throw MeshException.invalidInput("name the products to run (DOMAIN.PRODUCT ...) or pass --all, not both");
        }
        if (all) {
            return graph.all();
        }
        List<String> named = products.stream().filter(name -> !refused.contains(ProductId.parse(name))).toList();
        return named.isEmpty() ? List.of() : graph.select(named, ref -> ModifiedSpecs.since(mesh, ref));
    }

    /** The result of a product not run because its spec, its domain's or an input's has problems. */
    private static RunResult refusedRun(ProductId id, String reason, Instant now) {
        return new RunResult(UUID.randomUUID().toString(), id, "", "", null, RunStatus.FAILED, now, now, 0, 0, 0,
                null, List.of(), Map.of(), GateResult.EMPTY, RunUsage.NONE, "not run: " + reason + "; fix it and "
                + "check with mesh validate", ErrorCode.INVALID_INPUT, List.of());
    }
}
