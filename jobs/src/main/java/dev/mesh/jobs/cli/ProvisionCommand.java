package dev.mesh.jobs.cli;

import dev.mesh.runtime.provision.ProvisionReport;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code mesh provision}: creates or updates every domain's zone, the platform tables and the catalog; idempotent. */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = "Create or update every domain's zone, the platform tables and one catalog database per "
                + "domain. Idempotent: a second run changes nothing and says so.")
final class ProvisionCommand implements Callable<Integer> {
    @ParentCommand
    MeshCli cli;

    @Override
    public Integer call() {
        try (MeshContext context = cli.context()) {
            ProvisionReport report = context.provision(true);
            print(cli.environment.out(), context.zones().root(), report);
            cli.environment.out().println("isolation: " + context.storage().isolation(context.mesh()));
        }
        return 0;
    }

    static void print(PrintStream out, String root, ProvisionReport report) {
        report.created().forEach(item -> out.println("created  " + item));
        if (report.changedNothing()) {
            out.println("nothing to change: all " + report.unchanged().size() + " buckets, folders, platform tables "
                    + "and databases under " + root + " already exist");
        } else {
            out.println("provisioned " + root + ": " + report.created().size() + " created, "
                    + report.unchanged().size() + " already there");
        }
    }
}
