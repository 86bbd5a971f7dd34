package dev.mesh.server.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;

/**
 * Who sent a request, as its credential proved: the principal's name and groups from an identity provider's token, or
 * the principal an API token was made for, with the one domain role that token carries ({@code grant}).
 */
public record Principal(String name, Set<String> groups, Via via, Optional<TokenGrant> grant) {
    public Principal {
        requireNonNull(name, "name is null");
        groups = Set.copyOf(groups);
        requireNonNull(via, "via is null");
        requireNonNull(grant, "grant is null");
    }

    /** How the principal proved who it is. */
    public enum Via {
        OIDC, API_TOKEN
    }

    /** The role an API token holds: in one domain, or {@code ADMIN} over the platform (no domain). */
    public record TokenGrant(String tokenId, Optional<String> domain, Role role) {
        public TokenGrant {
            requireNonNull(tokenId, "tokenId is null");
            requireNonNull(domain, "domain is null");
            requireNonNull(role, "role is null");
        }
    }
}
