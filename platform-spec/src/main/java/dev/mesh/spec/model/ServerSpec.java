package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How {@code mesh serve} runs ({@code server:} in {@code platform.yaml}): who administers the platform (principals,
 * or groups written {@code group:NAME}), the identity provider whose bearer tokens it accepts ({@code oidc}), how many
 * runs execute at once, how many one principal may have waiting, and the largest request body it reads.
 */
public record ServerSpec(
        List<String> admins,
        Optional<Oidc> oidc,
        int concurrentRuns,
        int queuedPerPrincipal,
        long maxRequestBytes,
        Duration shutdownGrace) {
    public static final ServerSpec DEFAULT = new ServerSpec(List.of(), Optional.empty(), 2, 20, 1024 * 1024,
            Duration.ofSeconds(30));

    public ServerSpec {
        admins = List.copyOf(admins);
        requireNonNull(oidc, "oidc is null");
        requireNonNull(shutdownGrace, "shutdownGrace is null");
    }

    /**
     * An OpenID Connect issuer: the {@code iss} and {@code aud} a token must carry, where its signing keys are (a
     * JWKS {@code https://} URL, or a file), the claim that names the principal and the one listing its groups, and
     * (for the portal's sign-in) the client it is registered as with its two endpoints.
     */
    public record Oidc(String issuer, String audience, String jwks, String principalClaim, String groupsClaim,
            Optional<PortalClient> portal) {
        public Oidc {
            requireNonNull(issuer, "issuer is null");
            requireNonNull(audience, "audience is null");
            requireNonNull(jwks, "jwks is null");
            requireNonNull(principalClaim, "principalClaim is null");
            requireNonNull(groupsClaim, "groupsClaim is null");
            requireNonNull(portal, "portal is null");
        }

        public Oidc(String issuer, String audience, String jwks, String principalClaim, String groupsClaim) {
            this(issuer, audience, jwks, principalClaim, groupsClaim, Optional.empty());
        }
    }

    /**
     * The portal as a public OpenID Connect client (authorization code with PKCE, no secret): its {@code clientId}
     * (the {@code aud} of the ID tokens it receives) and the issuer's authorization and token endpoints.
     */
    public record PortalClient(String clientId, String authorizationEndpoint, String tokenEndpoint) {
        public PortalClient {
            requireNonNull(clientId, "clientId is null");
            requireNonNull(authorizationEndpoint, "authorizationEndpoint is null");
            requireNonNull(tokenEndpoint, "tokenEndpoint is null");
        }
    }

    /** The prefix that makes an entry of {@code owners}, {@code members} or {@code admins} name a group. */
    public static final String GROUP_PREFIX = "group:";
}
