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
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An OpenID Connect issuer for tests: an RSA key whose public half it serves as a JWKS over HTTP on loopback, and
 * tokens it mints (valid ones, and every kind of bad one a test wants to send). It also signs a browser in for the
 * portal: {@code /authorize} signs in whoever {@link #signInAs} named and sends the browser back with a code, and
 * {@code /token} gives the ID token for that code only to the client that proves the PKCE verifier of its challenge.
 */
final class TestIssuer implements AutoCloseable {
    static final String ISSUER = "https://idp.test/realms/mesh";
    static final String AUDIENCE = "mesh-api";
    static final String PORTAL_CLIENT = "mesh-portal";

    private final RSAKey key;
    private final HttpServer server;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    private volatile String user;
    private volatile List<String> userGroups = List.of();

    /** A code handed out: who signed in, and what the token request must match. */
    private record Grant(String email, List<String> groups, String clientId, String redirectUri, String challenge,
            String nonce) {}

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
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    /** The next browser sign-in signs in {@code email} in {@code groups}. */
    void signInAs(String email, List<String> groups) {
        this.user = email;
        this.userGroups = List.copyOf(groups);
    }

    /** The form bodies the token endpoint received, in order. */
    List<String> tokenRequests() {
        return tokenRequests;
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        if (!"code".equals(query.get("response_type")) || !"S256".equals(query.get("code_challenge_method"))
                || query.get("code_challenge") == null || query.get("state") == null || user == null) {
            respond(exchange, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(user, userGroups, query.get("client_id"), query.get("redirect_uri"),
                query.get("code_challenge"), query.get("nonce")));
        exchange.getResponseHeaders().add("Location", query.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        tokenRequests.add(body);
        Map<String, String> form = form(body);
        Grant grant = codes.remove(String.valueOf(form.get("code")));
        if (grant == null || !"authorization_code".equals(form.get("grant_type"))
                || !grant.clientId().equals(form.get("client_id"))
                || !grant.redirectUri().equals(form.get("redirect_uri"))
                || form.get("code_verifier") == null || !grant.challenge().equals(s256(form.get("code_verifier")))) {
            respond(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        String idToken = sign(claims(grant.email(), grant.groups(), claims -> claims.audience(grant.clientId())
                .claim("nonce", grant.nonce())), key);
        respond(exchange, 200, "{\"token_type\":\"Bearer\",\"id_token\":\"" + idToken + "\"}");
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> fields = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return fields;
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The {@code server:} block of a platform file that trusts this issuer and signs portal users in with it. */
    String serverBlockWithPortal(String extra) {
        return serverBlock(extra) + "    portal:\n      clientId: " + PORTAL_CLIENT + "\n      authorizationEndpoint: "
                + url() + "/authorize\n      tokenEndpoint: " + url() + "/token\n";
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
