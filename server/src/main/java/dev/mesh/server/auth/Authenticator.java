package dev.mesh.server.auth;

import static java.util.Objects.requireNonNull;

import dev.mesh.server.http.HttpProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a request's {@code Authorization: Bearer ...} header into a {@link Principal}: an API token
 * ({@code mesh_...}) by its hash, anything else as an OpenID Connect JWT when an issuer is configured. No header, or a
 * credential that does not verify, is a 401. The tokens are read again every few seconds, and on an unknown token at
 * most once a second, so a token revoked with {@code mesh token revoke} stops working within {@code refresh}.
 */
public final class Authenticator {
    private static final Duration MISS_REFRESH = Duration.ofSeconds(1);

    private final ApiTokens tokens;
    private final Optional<JwtVerifier> jwt;
    private final Clock clock;
    private final Duration refresh;
    private ApiTokens.Snapshot snapshot;
    private Instant loadedAt = Instant.MIN;

    public Authenticator(ApiTokens tokens, Optional<JwtVerifier> jwt, Clock clock, Duration refresh) {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.jwt = requireNonNull(jwt, "jwt is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.refresh = requireNonNull(refresh, "refresh is null");
    }

    public Principal authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw HttpProblem.unauthorized("this request needs a credential: Authorization: Bearer <token> (an API "
                    + "token from mesh token create, or your identity provider's access token)");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw HttpProblem.unauthorized("only bearer credentials are accepted: Authorization: Bearer <token>");
        }
        String credential = authorization.substring(7).trim();
        if (credential.startsWith(ApiTokens.PREFIX)) {
            return apiToken(credential);
        }
        return jwt.orElseThrow(() -> HttpProblem.unauthorized("the bearer token is not an API token, and no identity "
                + "provider is configured (server.oidc in platform.yaml)")).verify(credential);
    }

    /** The identity provider's token verifier, when one is configured. */
    public Optional<JwtVerifier> jwt() {
        return jwt;
    }

    /** Reads the tokens again now (after a revocation through the API). */
    public synchronized void refresh() {
        snapshot = tokens.load();
        loadedAt = clock.instant();
    }

    private Principal apiToken(String credential) {
        Instant now = clock.instant();
        Optional<ApiTokens.ApiToken> token = current(now, refresh).byToken(credential);
        if (token.isEmpty()) {
            token = current(now, MISS_REFRESH).byToken(credential);
        }
        ApiTokens.ApiToken found = token.orElseThrow(() -> HttpProblem.unauthorized("the API token is not known"));
        if (found.revokedAt().isPresent()) {
            throw HttpProblem.unauthorized("the API token " + found.id() + " was revoked");
        }
        if (!found.activeAt(now)) {
            throw HttpProblem.unauthorized("the API token " + found.id() + " expired at " + found.expiresAt().get());
        }
        return new Principal(found.principal(), Set.of(), Principal.Via.API_TOKEN, Optional.of(found.grant()));
    }

    private synchronized ApiTokens.Snapshot current(Instant now, Duration maxAge) {
        if (snapshot == null || !loadedAt.plus(maxAge).isAfter(now)) {
            refresh();
        }
        return snapshot;
    }
}
