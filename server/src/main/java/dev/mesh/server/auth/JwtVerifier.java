package dev.mesh.server.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.mesh.error.MeshException;
import dev.mesh.server.http.HttpProblem;
import dev.mesh.spec.model.ServerSpec;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies an OpenID Connect bearer token against the issuer's keys (a JWKS URL, fetched and cached, or a file): the
 * signature with an asymmetric algorithm only (RSA, RSA-PSS, EC, EdDSA: {@code alg: none} and an HMAC signed with a
 * public key are refused), then {@code iss}, {@code aud}, {@code exp} and {@code nbf} (one minute of clock skew). The
 * principal is the configured claim ({@code sub} by default), the groups those of the groups claim.
 */
public final class JwtVerifier {
    private static final Set<JWSAlgorithm> ASYMMETRIC = new LinkedHashSet<>(List.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384,
            JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA));

    private final ServerSpec.Oidc oidc;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Optional<DefaultJWTProcessor<SecurityContext>> idTokens;

    private JwtVerifier(ServerSpec.Oidc oidc, JWKSource<SecurityContext> keys) {
        this.oidc = oidc;
        this.processor = processor(keys, oidc.audience(), Set.of("exp", oidc.principalClaim()));
        // the portal's ID tokens are addressed to its client id and carry the nonce of the sign-in that asked
        this.idTokens = oidc.portal().map(client -> processor(keys, client.clientId(),
                Set.of("exp", "nonce", oidc.principalClaim())));
    }

    private DefaultJWTProcessor<SecurityContext> processor(JWKSource<SecurityContext> keys, String audience,
            Set<String> required) {
        DefaultJWTProcessor<SecurityContext> verifier = new DefaultJWTProcessor<>();
        verifier.setJWSKeySelector(new JWSVerificationKeySelector<>(ASYMMETRIC, keys));
        verifier.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(Set.of(audience),
                new JWTClaimsSet.Builder().issuer(oidc.issuer()).build(), required, Set.of()));
        return verifier;
    }

    /** A verifier of the issuer's tokens; a JWKS file that cannot be read fails here, naming it. */
    public static JwtVerifier of(ServerSpec.Oidc oidc) {
        requireNonNull(oidc, "oidc is null");
        String jwks = oidc.jwks();
        if (jwks.startsWith("https://") || jwks.startsWith("http://")) {
            try {
                return new JwtVerifier(oidc, JWKSourceBuilder.create(URI.create(jwks).toURL()).retrying(true).build());
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw MeshException.invalidInput("server.oidc.jwks: '%s' is not a URL", jwks);
            }
        }
        try {
            return new JwtVerifier(oidc, new ImmutableJWKSet<>(JWKSet.load(Path.of(jwks).toFile())));
        } catch (IOException | ParseException e) {
            throw MeshException.invalidInput("server.oidc.jwks: cannot read the key set %s: %s", jwks, e.getMessage());
        }
    }

    /** The principal of a valid token; a 401 saying what is wrong with it otherwise. */
    public Principal verify(String token) {
        return principal(claims(processor, token));
    }

    /**
     * The principal of an ID token the issuer's token endpoint gave the portal: addressed to the portal's client,
     * carrying the {@code nonce} its sign-in sent; a 401 otherwise.
     */
    public Principal verifyIdToken(String token, String nonce) {
        JWTClaimsSet claims = claims(idTokens.orElseThrow(() -> HttpProblem.unauthorized(
                "the portal is not an OpenID Connect client of the issuer (server.oidc.portal)")), token);
        if (!nonce.equals(claims.getClaim("nonce"))) {
            throw HttpProblem.unauthorized("the ID token answers another sign-in (its nonce differs)");
        }
        return principal(claims);
    }

    private static JWTClaimsSet claims(DefaultJWTProcessor<SecurityContext> verifier, String token) {
        try {
            return verifier.process(token, null);
        } catch (ParseException e) {
            throw HttpProblem.unauthorized("the bearer token is neither a JWT nor an API token");
        } catch (BadJOSEException e) {
            throw HttpProblem.unauthorized("the bearer token is refused: " + e.getMessage());
        } catch (com.nimbusds.jose.JOSEException e) {
            throw HttpProblem.unauthorized("the bearer token cannot be verified: " + e.getMessage());
        }
    }

    private Principal principal(JWTClaimsSet claims) {
        Object name = claims.getClaim(oidc.principalClaim());
        if (!(name instanceof String principal) || principal.isBlank()) {
            throw HttpProblem.unauthorized("the bearer token's claim '" + oidc.principalClaim()
                    + "' does not name a principal");
        }
        return new Principal(principal, groups(claims), Principal.Via.OIDC, Optional.empty());
    }

    private Set<String> groups(JWTClaimsSet claims) {
        Object value = claims.getClaim(oidc.groupsClaim());
        Set<String> groups = new LinkedHashSet<>();
        if (value instanceof List<?> list) {
            list.forEach(group -> groups.add(String.valueOf(group)));
        } else if (value instanceof String single) {
            groups.add(single);
        }
        return groups;
    }
}
