package dev.mesh.server.auth;

import static java.util.Objects.requireNonNull;

import dev.mesh.spec.model.AccessSpec;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.ServerSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a principal may do, from the specs: the platform's {@code server.admins}, each domain's {@code owners} and
 * {@code members} (a principal's name, or {@code group:NAME} for a group the identity provider lists), and the one
 * role an API token carries. Seeing a product follows its visibility, as a job's reads do: a principal sees the
 * products its domains may read.
 */
public final class DomainRoles {
    private final MeshSpec mesh;

    public DomainRoles(MeshSpec mesh) {
        this.mesh = requireNonNull(mesh, "mesh is null");
    }

    public boolean isAdmin(Principal principal) {
        return principal.grant().map(grant -> grant.role() == Role.ADMIN).orElse(false)
                || principal.grant().isEmpty() && names(mesh.platform().server().admins(), principal);
    }

    /** The principal's role in {@code domain}, if any. */
    public Optional<Role> role(Principal principal, String domain) {
        if (isAdmin(principal)) {
            return Optional.of(Role.ADMIN);
        }
        if (principal.grant().isPresent()) {
            // a token holds exactly the role it was made with, whatever the specs say of its principal's name
            Principal.TokenGrant grant = principal.grant().get();
            return grant.domain().filter(domain::equals).map(d -> grant.role());
        }
        Optional<DomainSpec> spec = mesh.domain(domain);
        if (spec.isEmpty()) {
            return Optional.empty();
        }
        if (names(spec.get().owners(), principal)) {
            return Optional.of(Role.OWNER);
        }
        return names(spec.get().members(), principal) ? Optional.of(Role.MEMBER) : Optional.empty();
    }

    /** The domains the principal holds a role in (every domain for an admin). */
    public Set<String> domains(Principal principal) {
        Set<String> domains = new TreeSet<>();
        mesh.domains().forEach(domain -> role(principal, domain.name()).ifPresent(role -> domains.add(domain.name())));
        return domains;
    }

    /**
     * Whether the principal may find {@code product} in the catalog: any port not kept to its domain (so that a
     * consumer can ask for it), and a domain's own ports to its members.
     */
    public boolean canSee(Principal principal, ProductSpec product) {
        return product.access().visibility() != AccessSpec.Visibility.DOMAIN || canRead(principal, product);
    }

    /**
     * Whether the principal may read {@code product}'s data (preview, metrics, quarantine): as a job of one of its
     * domains may, by the product's access and the grants approved for it.
     */
    public boolean canRead(Principal principal, ProductSpec product) {
        if (isAdmin(principal)) {
            return true;
        }
        return domains(principal).stream().anyMatch(domain -> product.access().allows(product.domain(), domain));
    }

    private static boolean names(List<String> entries, Principal principal) {
        for (String entry : entries) {
            if (entry.startsWith(ServerSpec.GROUP_PREFIX)
                    ? principal.groups().contains(entry.substring(ServerSpec.GROUP_PREFIX.length()))
                    : entry.equals(principal.name())) {
                return true;
            }
        }
        return false;
    }
}
