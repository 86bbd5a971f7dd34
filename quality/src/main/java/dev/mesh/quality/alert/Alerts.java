package dev.mesh.quality.alert;

import dev.mesh.quality.sla.SlaStatus;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import java.util.Locale;

/** The alerts the platform raises: a blocked gate, and a newly breached SLA. */
public final class Alerts {
    private Alerts() {}

    public static Alert gateFailed(MeshSpec mesh, RunResult run) {
        return new Alert(Alert.Kind.GATE_FAILED, mesh.platform().name(), run.product().domain(), run.product().name(),
                owner(mesh, run.product()), run.runId(), run.status().name(), run.error(),
                run.gate().failures().stream().map(c -> c.constraint() + " (" + c.level().name().toLowerCase(
                        Locale.ROOT) + ")").toList(), run.finishedAt());
    }

    public static Alert slaBreached(MeshSpec mesh, SlaStatus status) {
        return new Alert(Alert.Kind.SLA_BREACHED, mesh.platform().name(), status.product().domain(),
                status.product().name(), owner(mesh, status.product()), null, status.level().name(),
                "service level agreement breached", status.reasons(), status.evaluatedAt());
    }

    private static String owner(MeshSpec mesh, ProductId id) {
        return mesh.product(id).map(p -> p.owner()).orElse(null);
    }
}
