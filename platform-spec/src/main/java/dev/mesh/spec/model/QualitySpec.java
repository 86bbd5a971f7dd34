package dev.mesh.spec.model;

import java.util.List;

/**
 * The quality rules of a product: row rules split good rows from quarantined ones (at most
 * {@code maxQuarantineRate} of them, if set); dataset-level checks and anomaly rules form the gate before publication.
 */
public record QualitySpec(List<RowRuleSpec> rowRules, Double maxQuarantineRate, List<CheckSpec> checks,
        List<AnomalySpec> anomalies) {
    public static final QualitySpec NONE = new QualitySpec(List.of(), null, List.of(), List.of());

    public QualitySpec {
        rowRules = List.copyOf(rowRules);
        checks = List.copyOf(checks);
        anomalies = List.copyOf(anomalies);
    }

    public java.util.Optional<Double> quarantineRateLimit() {
        return java.util.Optional.ofNullable(maxQuarantineRate);
    }
}
