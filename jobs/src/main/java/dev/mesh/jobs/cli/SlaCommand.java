package dev.mesh.jobs.cli;

import dev.mesh.quality.alert.AlertSender;
import dev.mesh.quality.alert.Alerts;
import dev.mesh.quality.sla.SlaEvaluatorFormat;
import dev.mesh.quality.sla.SlaMonitor;
import dev.mesh.quality.sla.SlaStatus;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductSpec;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesh sla}: every product's SLA now (met, at risk, breached, and why); recorded, breaches alerted. */
@Command(name = "sla", mixinStandardHelpOptions = true,
        description = "Evaluate every product's SLA now (freshness, quality score, run duration, success rate): met, "
                + "at risk or breached, and why. Records the result in _platform/sla_status and alerts on new breaches.")
final class SlaCommand implements Callable<Integer> {
    @ParentCommand
    MeshCli cli;

    @Parameters(paramLabel = "DOMAIN", arity = "0..1", description = "Only this domain's products.")
    String domain;

    @Override
    public Integer call() {
        try (MeshContext context = cli.context()) {
            MeshSpec mesh = context.mesh();
            if (domain != null) {
                context.requireDomain(domain, "");
            }
            List<ProductSpec> products = mesh.products().stream()
                    .filter(p -> domain == null || p.domain().equals(domain)).sorted(
                            java.util.Comparator.comparing(p -> p.id().toString())).toList();
            AlertSender alerts = context.alerts();
            SlaMonitor.Evaluation evaluation = new SlaMonitor(context.directTables(), cli.environment.clock())
                    .evaluate(products);
            evaluation.newlyBreached().forEach(status -> alerts.send(Alerts.slaBreached(mesh, status)));
            TextTable table = new TextTable("PRODUCT", "SLA", "FRESHNESS", "QUALITY", "LAST RUN", "SUCCESS", "WHY");
            for (SlaStatus s : evaluation.statuses()) {
                table.row(s.product(), s.level().display(),
                        limit(s.freshness(), s.freshnessLimit()),
                        s.qualityScore() == null ? "-" : String.format(Locale.ROOT, "%.3f%s", s.qualityScore(),
                                s.minQualityScore() == null ? "" : " / " + s.minQualityScore()),
                        limit(s.lastDuration(), s.maxDuration()),
                        s.successRate() == null ? "-" : String.format(Locale.ROOT, "%.0f%% of %d", s.successRate() * 100,
                                s.runsInWindow()),
                        String.join("; ", s.reasons()));
            }
            table.print(cli.environment.out());
            long breached = evaluation.statuses().stream().filter(s -> s.level() == SlaStatus.Level.BREACHED).count();
            long atRisk = evaluation.statuses().stream().filter(s -> s.level() == SlaStatus.Level.AT_RISK).count();
            int count = evaluation.statuses().size();
            cli.environment.out().printf(Locale.ROOT, "%d product%s: %d breached, %d at risk%n", count,
                    count == 1 ? "" : "s", breached, atRisk);
        }
        return 0;
    }

    private static String limit(Duration value, Duration limit) {
        if (value == null) {
            return limit == null ? "-" : "never / " + human(limit);
        }
        return human(value) + (limit == null ? "" : " / " + human(limit));
    }

    private static String human(Duration duration) {
        return SlaEvaluatorFormat.human(duration);
    }
}
