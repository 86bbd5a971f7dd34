package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.Mesh;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.spi.ConstraintOutcome;
import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.validation.ProductGraph;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mesh check}: a product's current checks over its whole published table, publishing nothing, as {@code dbt
 * test} or {@code soda scan} judge a table consumers read. Recorded as a CHECKED run whose verdict feeds the SLA.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Evaluate products' current checks (declared, and implied by their output port) over the whole "
                + "published table, publishing nothing; record the result (quality metrics, the SLA's quality score). "
                + "Exit 3 when an error-level check fails.")
final class CheckCommand implements Callable<Integer> {
    @ParentCommand
    MeshCli cli;

    @Parameters(paramLabel = "SELECTOR", arity = "0..*", description = "The products to check: DOMAIN.PRODUCT, "
            + "tag:NAME, domain:NAME or state:modified[:GIT_REF]; +P adds what P reads, P+ what reads P.")
    List<String> products = List.of();

    @Option(names = "--all", description = "Check every product of the mesh.")
    boolean all;

    @Option(names = "--output", paramLabel = "table|json", defaultValue = "table",
            description = "table (default): for people; json: one JSON line per product, as the runs ledger holds it.")
    String output;

    @Override
    public Integer call() {
        boolean json = RunJson.chosen(output);
        if (all == !products.isEmpty()) {
            throw MeshException.invalidInput("name the products to check (DOMAIN.PRODUCT ...) or pass --all, not "
                    + "both");
        }
        try (MeshContext context = cli.context()) {
            ProductGraph graph = new ProductGraph(context.mesh());
            List<ProductId> selected = all ? graph.all()
                    : graph.select(products, ref -> ModifiedSpecs.since(context.mesh(), ref));
            List<RunResult> results = context.runtime().check(selected);
            PrintStream out = cli.environment.out();
            if (json) {
                results.forEach(result -> out.println(RunJson.line(result)));
            } else {
                print(out, results);
            }
            return Mesh.exitCode(results);
        }
    }

    private static void print(PrintStream out, List<RunResult> results) {
        TextTable table = new TextTable("DOMAIN", "PRODUCT", "STATUS", "VERSION", "ROWS", "CHECKS PASSED/FAILED",
                "DURATION");
        for (RunResult r : results) {
            table.row(r.product().domain(), r.product().name(), r.status(),
                    r.outputVersion() == null ? "-" : r.outputVersion(), r.rowsIn(),
                    r.gate().passed() + "/" + r.gate().failed(), RunSummary.seconds(r.duration()));
        }
        table.print(out);
        for (RunResult r : results) {
            if (r.status() != RunStatus.CHECKED) {
                out.println(r.product() + ": " + r.status() + ": " + r.error());
                continue;
            }
            for (ConstraintOutcome failed : r.gate().failures()) {
                out.println(r.product() + ": " + (failed.level() == CheckSpec.Level.ERROR ? "fails" : "warning")
                        + ": " + failed.constraint() + (failed.message().isEmpty() ? "" : ": " + failed.message()));
            }
        }
        long checked = results.stream().filter(r -> r.status() == RunStatus.CHECKED).count();
        long failing = results.stream().filter(r -> r.status() == RunStatus.CHECKED && r.failure().isPresent())
                .count();
        out.printf(Locale.ROOT, "%d product%s checked: %d pass%s, %d fail%s (error-level checks); %d not checked%n",
                checked, checked == 1 ? "" : "s", checked - failing, checked - failing == 1 ? "es" : "", failing,
                failing == 1 ? "s" : "", results.size() - checked);
    }
}
