package dev.mesh.quality.listeners;

import dev.mesh.quality.alert.AlertSender;
import dev.mesh.quality.alert.Alerts;
import dev.mesh.runtime.run.RunContext;
import dev.mesh.runtime.run.RunListener;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;

/**
 * Alerts the platform's alert targets when a product's quality gate blocked its publication, or when its published
 * table fails an error-level check ({@code mesh check}, or a run after its checks changed).
 */
public final class GateAlertListener implements RunListener {
    @Override
    public void productFinished(RunContext context, RunResult result) {
        if (result.status() == RunStatus.GATE_FAILED
                || result.status() == RunStatus.CHECKED && result.failure().isPresent()) {
            AlertSender.create(context.mesh().platform().alerts(), context.environment())
                    .send(Alerts.gateFailed(context.mesh(), result));
        }
    }
}
