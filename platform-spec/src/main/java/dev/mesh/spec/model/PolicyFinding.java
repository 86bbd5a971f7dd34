package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One place where the mesh does not comply with a policy rule: the rule, its severity, the domain and product (none
 * for a finding on the domain or the federated body), where in which file, what is wrong and the rule's message on
 * how to comply.
 */
public record PolicyFinding(String ruleId, PolicyRule.Severity severity, String domain, Optional<ProductId> product,
        SpecProblem location) {
    public PolicyFinding {
        requireNonNull(ruleId, "ruleId is null");
        requireNonNull(severity, "severity is null");
        requireNonNull(domain, "domain is null");
        requireNonNull(product, "product is null");
        requireNonNull(location, "location is null");
    }

    public boolean blocks() {
        return severity == PolicyRule.Severity.ERROR;
    }

    @Override
    public String toString() {
        return severity.specName() + " " + location;
    }
}
