package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A business domain: who owns it, who works in it ({@code members}: principals, or groups written {@code group:NAME},
 * which {@code mesh serve} grants the domain's member role), which business functions it serves, which sources it
 * owns, and the policy rules it adds to the global ones or tightens.
 */
public record DomainSpec(
        String name,
        String description,
        List<String> owners,
        List<String> members,
        List<String> businessFunctions,
        List<SourceSpec> sources,
        List<PolicyRule> policies,
        Path file) {
    public DomainSpec {
        requireNonNull(name, "name is null");
        description = description == null ? "" : description;
        owners = List.copyOf(owners);
        members = List.copyOf(members);
        businessFunctions = List.copyOf(businessFunctions);
        sources = List.copyOf(sources);
        policies = List.copyOf(policies);
        requireNonNull(file, "file is null");
    }

    public Optional<SourceSpec> source(String sourceName) {
        return sources.stream().filter(s -> s.name().equals(sourceName)).findFirst();
    }
}
