package dev.mesh.quality.listeners;

import dev.mesh.quality.alert.AlertSender;
import dev.mesh.quality.alert.Alerts;
import dev.mesh.runtime.run.RunContext;
import dev.mesh.runtime.run.RunListener;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;

/** Alerts the platform's alert targets when a product's quality gate blocked its publication. */
public final class GateAlertListener implements RunListener {
    @Override
    public void productFinished(RunContext context, RunResult result) {
        if (result.status() == RunStatus.GATE_FAILED) {
            AlertSender.create(context.mesh().platform().alerts(), context.environment())
                    .send(Alerts.gateFailed(context.mesh(), result));
        }
    }
}
