package dev.mesh.jobs.cli;

import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.validation.ProductGraph;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mesh quarantine replay}: publishes the quarantined records a product's current spec accepts, once the spec
 * (or what the source sends) was fixed, exactly once, as a run of its own that the ledger and the audit trail record.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Publish the quarantined records of an append or merge product (of one run, with --run) that its "
                + "current spec accepts: typed by the output schema, ruled and checked as a run's batch, in one "
                + "commit, exactly once; the others stay quarantined, with why. Recorded and audited as a run.")
final class QuarantineReplayCommand implements Callable<Integer> {
    @ParentCommand
    QuarantineCommand quarantine;

    @Parameters(paramLabel = "DOMAIN.PRODUCT", description = "The product.")
    String product;

    @Option(names = "--run", paramLabel = "RUN_ID", description = "Only the records this run quarantined.")
    String run;

    @Override
    public Integer call() {
        MeshCli cli = quarantine.cli;
        try (MeshContext context = cli.context()) {
            ProductId id = new ProductGraph(context.mesh()).resolve(List.of(product)).get(0);
            RunResult result = context.runtime().replayQuarantine(id, Optional.ofNullable(run));
            PrintStream out = cli.environment.out();
            long waited = result.rowsIn();
            String still = result.rowsQuarantined() == 0 ? "" : "; " + result.rowsQuarantined()
                    + " still fail the current spec and stay quarantined (mesh quarantine " + id + ")";
            if (result.status() == RunStatus.PUBLISHED) {
                out.println(id + ": replayed " + result.rowsOut() + " of " + waited + " quarantined records into "
                        + "version " + result.outputVersion() + " (run " + result.runId() + ")" + still);
            } else if (result.status() == RunStatus.UP_TO_DATE) {
                out.println(id + ": " + result.error());
            } else {
                out.println(id + ": " + result.status() + ": " + result.error());
            }
            return result.exitCode();
        }
    }
}
