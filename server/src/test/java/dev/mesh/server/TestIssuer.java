package dev.mesh.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;

/**
 * An OpenID Connect issuer for tests: an RSA key whose public half it serves as a JWKS over HTTP on loopback, and
 * tokens it mints (valid ones, and every kind of bad one a test wants to send).
 */
final class TestIssuer implements AutoCloseable {
    static final String ISSUER = "https://idp.test/realms/mesh";
    static final String AUDIENCE = "mesh-api";

    private final RSAKey key;
    private final HttpServer server;

    TestIssuer() {
        try {
            key = new RSAKeyGenerator(2048).keyID("test-key").generate();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (JOSEException | IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.start();
    }

    String jwksUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    /** The {@code server:} block of a platform file that trusts this issuer. */
    String serverBlock(String extra) {
        return "server:\n  admins: [group:platform]\n" + extra + "  oidc:\n    issuer: " + ISSUER + "\n    audience: "
                + AUDIENCE + "\n    jwks: " + jwksUrl() + "\n    principalClaim: email\n";
    }

    /** A valid token for {@code email} in {@code groups}, changed by {@code edit} before it is signed. */
    String token(String email, List<String> groups, Consumer<JWTClaimsSet.Builder> edit) {
        return sign(claims(email, groups, edit), key);
    }

    String token(String email, List<String> groups) {
        return token(email, groups, claims -> { });
    }

    /** A token signed by another key that claims this issuer's key id. */
    String tokenWithOtherKey(String email) {
        try {
            RSAKey other = new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate();
            return sign(claims(email, List.of(), c -> { }), other);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token ({@code alg: none}) with valid claims. */
    String unsignedToken(String email) {
        String header = base64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        return header + "." + base64(claims(email, List.of(), c -> { }).toString()) + ".";
    }

    /** An HMAC token keyed with the issuer's public key: the RS/HS confusion attack. */
    String hmacWithPublicKey(String email) {
        try {
            byte[] secret = key.toPublicJWK().toRSAPublicKey().getEncoded();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(),
                    claims(email, List.of(), c -> { }));
            jwt.sign(new MACSigner(java.util.Arrays.copyOf(secret, Math.max(secret.length, 32))));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid token whose payload was changed after signing (another principal). */
    String tampered(String email, String claimed) {
        String[] parts = token(email, List.of()).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(email, claimed);
        return parts[0] + "." + base64(payload) + "." + parts[2];
    }

    private static JWTClaimsSet claims(String email, List<String> groups, Consumer<JWTClaimsSet.Builder> edit) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE)
                .subject("user-" + email.hashCode()).claim("email", email).claim("groups", groups)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))));
        edit.accept(claims);
        return claims.build();
    }

    private static String sign(JWTClaimsSet claims, RSAKey with) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(),
                    claims);
            jwt.sign(new RSASSASigner(with));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
