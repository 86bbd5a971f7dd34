package dev.mesh.runtime.spec;

import java.util.List;

/** The quality rules of a product; dataset-level checks form the gate before publication. */
public record QualitySpec(List<CheckSpec> checks) {
    public static final QualitySpec NONE = new QualitySpec(List.of());

    public QualitySpec {
        checks = List.copyOf(checks);
    }
}
