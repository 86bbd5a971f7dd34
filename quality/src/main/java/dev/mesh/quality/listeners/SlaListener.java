package dev.mesh.quality.listeners;

import dev.mesh.quality.alert.AlertSender;
import dev.mesh.quality.alert.Alerts;
import dev.mesh.quality.sla.SlaMonitor;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.run.RunContext;
import dev.mesh.runtime.run.RunListener;
import dev.mesh.spec.model.ProductSpec;
import java.util.List;

/**
 * After each invocation, evaluates the SLA of every product it ran (recorded in {@code _platform/sla_status}) and
 * alerts the platform's alert targets of each product that newly breached its SLA.
 */
public final class SlaListener implements RunListener {
    @Override
    public void invocationFinished(RunContext context, List<RunResult> results) {
        List<ProductSpec> products = results.stream()
                .map(result -> context.mesh().product(result.product()).orElseThrow())
                .toList();
        SlaMonitor.Evaluation evaluation = new SlaMonitor(context.tables().direct(), context.clock())
                .evaluate(products);
        if (!evaluation.newlyBreached().isEmpty()) {
            AlertSender alerts = AlertSender.create(context.mesh().platform().alerts(), context.environment());
            evaluation.newlyBreached().forEach(status -> alerts.send(Alerts.slaBreached(context.mesh(), status)));
        }
    }
}
