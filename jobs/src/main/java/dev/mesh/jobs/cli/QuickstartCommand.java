package dev.mesh.jobs.cli;

import dev.mesh.jobs.examples.TpchLandingSeeder;
import dev.mesh.runtime.run.MeshRunner;
import dev.mesh.runtime.run.ProductGraph;
import dev.mesh.runtime.run.RunOptions;
import dev.mesh.runtime.run.RunResult;
import dev.mesh.runtime.zone.HadoopZoneProvisioner;
import dev.mesh.runtime.zone.ProvisionReport;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mesh quickstart}: provisions the example mesh, drops TPC-H files into its landing zones, runs it all. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Provision the example mesh (examples/platform.yaml) on the embedded default (a folder on the "
                + "local disk), drop TPC-H source files into its landing zones, run every product, print the summary.")
final class QuickstartCommand implements Callable<Integer> {
    @ParentCommand
    MeshCli cli;

    @Option(names = "--scale", paramLabel = "SF", defaultValue = "0.01",
            description = "TPC-H scale factor of the source files (default: 0.01, 15,000 orders).")
    double scale;

    @Override
    public Integer call() {
        PrintStream out = cli.environment.out();
        long start = System.nanoTime();
        try (MeshContext context = cli.context(cli.environment.home().resolve("examples/platform.yaml"))) {
            var mesh = context.mesh();
            out.println("Example mesh '" + mesh.platform().name() + "': " + mesh.domains().size() + " domains, "
                    + mesh.products().size() + " products; zones under " + context.zones().root());
            ProvisionReport report = new HadoopZoneProvisioner(context.spark(), context.zones()).provision(mesh);
            out.println("provision: " + report.created().size() + " created, " + report.unchanged().size()
                    + " already there");
            List<String> seeded = new TpchLandingSeeder(context.spark(), context.zones(), scale).seed(mesh);
            seeded.forEach(line -> out.println("landing: " + line));
            List<RunResult> results = RunCommand.runAll(context, new ProductGraph(mesh).all(), RunOptions.DEFAULT);
            out.println();
            RunSummary.print(out, results);
            out.printf(Locale.ROOT, "%nquickstart finished in %.1fs. Next:%n", (System.nanoTime() - start) / 1e9);
            out.println("  bin/mesh --platform examples/platform.yaml runs");
            out.println("  bin/mesh --platform examples/platform.yaml metrics finance.customer_balances");
            return MeshRunner.exitCode(results);
        }
    }
}
