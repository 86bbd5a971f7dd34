package dev.mesh.server.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One row of {@code _platform/api_tokens}: a token made (its hash, never the token) or revoked, by whom and when. A
 * token's state is the fold of its rows; the table, like every platform table, is only appended to.
 */
public record ApiTokenEvent(
        Instant at,
        Kind kind,
        String tokenId,
        String tokenHash,
        String principal,
        Optional<String> domain,
        Role role,
        Optional<Instant> expiresAt,
        String by) {
    public ApiTokenEvent {
        requireNonNull(at, "at is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(tokenId, "tokenId is null");
        requireNonNull(principal, "principal is null");
        requireNonNull(domain, "domain is null");
        requireNonNull(role, "role is null");
        requireNonNull(expiresAt, "expiresAt is null");
        requireNonNull(by, "by is null");
    }

    public enum Kind {
        CREATED, REVOKED
    }
}
