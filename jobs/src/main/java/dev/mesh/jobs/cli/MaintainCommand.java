package dev.mesh.jobs.cli;

import dev.mesh.runtime.run.ProductMaintenance;
import dev.mesh.spec.model.ProductId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesh maintain}: applies each domain's retention policy to its products, and audits what it removed. */
@Command(name = "maintain", mixinStandardHelpOptions = true,
        description = "Apply the retention policies: VACUUM the files of product versions older than the domain "
                + "keeps them, delete quarantined records older than it keeps them; one audit row per product.")
final class MaintainCommand implements Callable<Integer> {
    @ParentCommand
    MeshCli cli;

    @Parameters(paramLabel = "DOMAIN", arity = "0..*", description = "Only these domains (default: all).")
    List<String> domains = List.of();

    @Override
    public Integer call() {
        try (MeshContext context = cli.context()) {
            TextTable table = new TextTable("PRODUCT", "VERSIONS KEPT", "FILES REMOVED", "QUARANTINE KEPT",
                    "RECORDS DELETED");
            List<String> raised = new ArrayList<>();
            for (ProductMaintenance.Outcome outcome : context.runtime().maintain(new LinkedHashSet<>(domains))) {
                ProductId id = outcome.product().id();
                table.row(id, outcome.versions(), outcome.filesRemoved(),
                        outcome.quarantine().map(Object::toString).orElse("for good"), outcome.recordsDeleted());
                outcome.raisedBecause().ifPresent(why -> raised.add(id + ": versions kept " + outcome.versions()
                        + ", longer than the policy asks: " + why));
            }
            table.print(cli.environment.out());
            raised.forEach(cli.environment.out()::println);
        }
        return 0;
    }
}
