package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.ledger.AuditRecord;
import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.run.ProductMaintenance;
import dev.mesh.spec.model.GovernanceSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.PolicyRule;
import dev.mesh.spec.model.ProductSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
            MeshSpec mesh = context.mesh();
            List<String> known = mesh.domains().stream().map(d -> d.name()).toList();
            domains.stream().filter(d -> !known.contains(d)).findFirst().ifPresent(d -> {
                throw MeshException.invalidInput("no domain '%s' in the mesh; domains: %s", d,
                        String.join(", ", known));
            });
            ProductMaintenance maintenance = new ProductMaintenance(context.verifiedSpark(), context.zones());
            String principal = AuditRecord.principal(context.variables());
            String version = mesh.policies().governance().map(GovernanceSpec::hash).orElse(null);
            TextTable table = new TextTable("PRODUCT", "VERSIONS KEPT", "FILES REMOVED", "QUARANTINE KEPT",
                    "RECORDS DELETED");
            List<AuditRecord> audit = new ArrayList<>();
            List<String> raised = new ArrayList<>();
            for (ProductSpec product : mesh.products()) {
                if (!domains.isEmpty() && !domains.contains(product.domain())) {
                    continue;
                }
                ProductMaintenance.Outcome outcome = maintenance.maintain(product,
                        mesh.policies().inForce(product.domain(), PolicyRule.Retention.class), cli.environment.clock()
                                .instant());
                String kept = outcome.quarantine().map(Object::toString).orElse("for good");
                table.row(product.id(), outcome.versions(), outcome.filesRemoved(), kept, outcome.recordsDeleted());
                outcome.raisedBecause().ifPresent(why -> raised.add(product.id() + ": versions kept "
                        + outcome.versions() + ", longer than the policy asks: " + why));
                Instant at = cli.environment.clock().instant();
                audit.add(new AuditRecord(at, principal, AuditRecord.Action.MAINTAIN, product.domain(),
                        product.id().toString(), product.hash(), version, String.format(Locale.ROOT,
                                "removed %d files, deleted %d quarantined records", outcome.filesRemoved(),
                                outcome.recordsDeleted()), "versions kept " + outcome.versions()
                                + outcome.raisedBecause().map(why -> " (" + why + ")").orElse("")
                                + ", quarantine kept " + kept, null));
            }
            new PlatformTables(context.spark(), context.zones()).audit(audit);
            table.print(cli.environment.out());
            raised.forEach(cli.environment.out()::println);
        }
        return 0;
    }
}
