package dev.mesh.jobs.cli;

import dev.mesh.spec.SpecLoad;
import dev.mesh.spec.model.GovernanceSpec;
import dev.mesh.spec.model.PolicyFinding;
import dev.mesh.spec.model.PolicyReport;
import dev.mesh.spec.model.PolicyReport.RuleApplication;
import dev.mesh.spec.model.SpecProblem;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code mesh policies check}: the mesh's compliance with its policies, per domain and rule, without Spark. */
@Command(name = "policies", mixinStandardHelpOptions = true,
        description = "Federated governance: the policies of the governance file and the domains.")
final class PoliciesCommand {
    @ParentCommand
    MeshCli cli;

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check every domain and product against the global and domain policies and print a "
                    + "compliance summary per domain and rule. Exits 2 on error-level findings. Does not start Spark.")
    int check() {
        SpecLoad load;
        try (MeshContext context = cli.context()) {
            load = context.load();
        }
        PrintStream out = cli.environment.out();
        PolicyReport report = load.policies();
        List<SpecProblem> others = load.problems().stream()
                .filter(problem -> report.errors().stream().noneMatch(f -> f.location().equals(problem)))
                .toList();
        if (!others.isEmpty()) {
            // the policies are checked over the specs that are valid; the others are named first
            others.forEach(out::println);
            out.printf(Locale.ROOT, "%d problem%s in the specs besides policy findings; the policies below cover "
                    + "only what is valid%n%n", others.size(), others.size() == 1 ? "" : "s");
        }
        if (report.rules().isEmpty() && report.governance().isEmpty()) {
            out.println(others.isEmpty() ? "no policies: the platform names no governance file (governance: FILE in "
                    + "platform.yaml) and no domain declares policies"
                    : "no policies could be checked: fix the problems above first");
            return others.isEmpty() ? 0 : 2;
        }
        report.governance().ifPresent(governance -> out.println(describe(governance)));
        TextTable table = new TextTable("DOMAIN", "RULE", "KIND", "SEVERITY", "FROM", "PRODUCTS", "FINDINGS");
        for (RuleApplication rule : report.rules()) {
            long found = report.findings().stream().filter(f -> f.domain().equals(rule.domain())
                    && f.ruleId().equals(rule.rule().id()) && f.product().isPresent()).count();
            table.row(rule.domain(), rule.rule().id(), rule.rule().kind(), rule.rule().severity().specName(),
                    rule.origin(), rule.checked(), found);
        }
        table.print(out);
        if (!report.findings().isEmpty()) {
            out.println();
            report.findings().forEach(out::println);
        }
        long domains = report.rules().stream().map(RuleApplication::domain).distinct().count();
        out.printf(Locale.ROOT, "%d domain%s, %d rule application%s: %d error%s, %d warning%s%n", domains,
                domains == 1 ? "" : "s", report.rules().size(), report.rules().size() == 1 ? "" : "s",
                report.errors().size(), report.errors().size() == 1 ? "" : "s", report.warnings().size(),
                report.warnings().size() == 1 ? "" : "s");
        return report.errors().isEmpty() && others.isEmpty() ? 0 : 2;
    }

    private static String describe(GovernanceSpec governance) {
        String approval = governance.currentVersionApproved() ? "approved by " + governance.approvals() + " of "
                + governance.members().size() + " representatives" : "not approved in this version";
        return String.format(Locale.ROOT, "policies: %s, version %s (%s); federated body: %s approval needs %d",
                dev.mesh.spec.SpecLoader.create().display(governance.file()), governance.version(), approval,
                governance.approvalRule().name().toLowerCase(Locale.ROOT),
                governance.requiredApprovals());
    }

    /** The findings of {@code report} that concern the files named, or all. */
    static List<PolicyFinding> warnings(PolicyReport report, List<String> files) {
        return report.warnings().stream().filter(f -> files.isEmpty() || files.contains(f.location().file()))
                .toList();
    }
}
