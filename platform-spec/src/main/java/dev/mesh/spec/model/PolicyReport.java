package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What checking the mesh against its policies found: the governance that was applied (none when the platform names
 * no governance file), every rule as it applies to each domain with how many products it checked, and the findings.
 */
public record PolicyReport(Optional<GovernanceSpec> governance, List<RuleApplication> rules,
        List<PolicyFinding> findings) {
    public static final PolicyReport NONE = new PolicyReport(Optional.empty(), List.of(), List.of());

    public PolicyReport {
        requireNonNull(governance, "governance is null");
        rules = List.copyOf(rules);
        findings = List.copyOf(findings);
    }

    /**
     * The rule of this kind in force in {@code domain}: a domain's restatement comes after the global rule it
     * tightens, so the last one applies.
     */
    public <R extends PolicyRule> Optional<R> inForce(String domain, Class<R> kind) {
        Optional<R> found = Optional.empty();
        for (RuleApplication application : rules) {
            if (application.domain().equals(domain) && kind.isInstance(application.rule())) {
                found = Optional.of(kind.cast(application.rule()));
            }
        }
        return found;
    }

    public List<PolicyFinding> errors() {
        return findings.stream().filter(PolicyFinding::blocks).toList();
    }

    public List<PolicyFinding> warnings() {
        return findings.stream().filter(finding -> !finding.blocks()).toList();
    }

    /** A rule as it applies in one domain (the global one, or the domain's own or tightened one). */
    public record RuleApplication(String domain, PolicyRule rule, String origin, int checked) {
        public RuleApplication {
            requireNonNull(domain, "domain is null");
            requireNonNull(rule, "rule is null");
            requireNonNull(origin, "origin is null");
        }
    }
}
