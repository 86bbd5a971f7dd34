package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.quality.report.MeshReport;
import dev.mesh.runtime.Mesh;
import dev.mesh.runtime.ledger.PlatformTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mesh report}: a self-contained HTML report of every product's SLA, checks, history and feedback. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a self-contained HTML report (no network needed to view it): per domain and product, the "
                + "SLA status, the latest check results, charts of rows published, quarantine rate and quality score "
                + "over the runs, and consumer feedback.")
final class ReportCommand implements Callable<Integer> {
    @ParentCommand
    MeshCli cli;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write index.html into.")
    Path out;

    @Override
    public Integer call() {
        try (MeshContext context = cli.context()) {
            Mesh mesh = context.runtime();
            mesh.spec();
            requireWritable(out);
            PlatformTables tables = mesh.ledger();
            mesh.provision(false);
            MeshReport.Written written = MeshReport.write(mesh.spec(), tables, mesh.zones(), mesh.clock(), out);
            cli.environment.out().println("report written to " + written.index().toAbsolutePath() + " ("
                    + written.products() + " products), with the product catalog (catalog.html) and each product's "
                    + "ODCS contract under contracts/");
        }
        return 0;
    }

    /** The folder is made, and a file written and removed there, before Spark starts: a bad --out fails at once. */
    private static void requireWritable(Path out) {
        try {
            Files.createDirectories(out);
            Path probe = Files.createTempFile(out, ".mesh-report", ".tmp");
            Files.delete(probe);
        } catch (java.io.IOException | SecurityException e) {
            throw MeshException.invalidInput("--out %s: cannot write the report there (%s); pass a folder you may "
                    + "write to", out, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }
}
