package dev.mesh.runtime.spi;

import dev.mesh.spec.model.CheckSpec.Level;
import java.util.List;

/** All constraint outcomes and metrics of one gate evaluation. Error-level failures block publication. */
public record GateResult(List<ConstraintOutcome> constraints, List<MetricValue> metrics) {
    public static final GateResult EMPTY = new GateResult(List.of(), List.of());

    public GateResult {
        constraints = List.copyOf(constraints);
        metrics = List.copyOf(metrics);
    }

    public boolean blocked() {
        return constraints.stream().anyMatch(c -> !c.passed() && c.level() == Level.ERROR);
    }

    public long passed() {
        return constraints.stream().filter(ConstraintOutcome::passed).count();
    }

    public long failed() {
        return constraints.size() - passed();
    }

    public List<ConstraintOutcome> failures() {
        return constraints.stream().filter(c -> !c.passed()).toList();
    }
}
