package dev.mesh.server.portal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.server.auth.JwtVerifier;
import dev.mesh.server.auth.Principal;
import dev.mesh.server.http.HttpProblem;
import dev.mesh.spec.model.ServerSpec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The portal's sign-in with the identity provider: the authorization-code flow with PKCE (RFC 7636, {@code S256}) as
 * a public client. The browser goes to the issuer's authorization endpoint with a random {@code state}, {@code nonce}
 * and code challenge; the issuer sends it back with a code, which the server exchanges (with the verifier only it
 * holds) at the token endpoint for an ID token, verified like every bearer token plus its audience (the client id)
 * and nonce.
 */
final class OidcSignIn {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SCOPE = "openid email profile";

    private final ServerSpec.PortalClient client;
    private final JwtVerifier verifier;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    OidcSignIn(ServerSpec.PortalClient client, JwtVerifier verifier) {
        this.client = requireNonNull(client, "client is null");
        this.verifier = requireNonNull(verifier, "verifier is null");
    }

    /** A new sign-in going to {@code next} afterwards, and the URL of the issuer's page that starts it. */
    String start(PortalSessions.Session session, String redirectUri, String next) {
        PortalSessions.PendingSignIn pending = new PortalSessions.PendingSignIn(PortalSessions.random(),
                PortalSessions.random(), PortalSessions.random(), next);
        session.pending(pending);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", client.clientId());
        query.put("redirect_uri", redirectUri);
        query.put("scope", SCOPE);
        query.put("state", pending.state());
        query.put("nonce", pending.nonce());
        query.put("code_challenge", challenge(pending.verifier()));
        query.put("code_challenge_method", "S256");
        String separator = client.authorizationEndpoint().contains("?") ? "&" : "?";
        return client.authorizationEndpoint() + separator + form(query);
    }

    /**
     * The principal the issuer signed in, from the callback's {@code code} and {@code state}: the state must be the
     * one this session sent (each is used once), the code is exchanged with its verifier, the ID token verified.
     */
    Principal finish(PortalSessions.Session session, String code, String state, String redirectUri) {
        PortalSessions.PendingSignIn pending = session.pending().orElseThrow(() -> HttpProblem.badRequest(
                "this browser has no sign-in under way; start again from the sign-in page"));
        session.pending(null);
        if (state == null || !MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8),
                pending.state().getBytes(StandardCharsets.UTF_8))) {
            throw HttpProblem.badRequest("the sign-in answer does not belong to this browser's sign-in (state "
                    + "differs); start again from the sign-in page");
        }
        if (code == null || code.isBlank() || code.length() > 4096) {
            throw HttpProblem.badRequest("the identity provider sent no authorization code");
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", redirectUri);
        body.put("client_id", client.clientId());
        body.put("code_verifier", pending.verifier());
        HttpResponse<String> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(URI.create(client.tokenEndpoint()))
                    .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw HttpProblem.unavailable("the identity provider's token endpoint cannot be reached: "
                    + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HttpProblem.unavailable("interrupted while asking the identity provider for a token");
        }
        JsonNode tokens;
        try {
            tokens = JSON.readTree(answer.body());
        } catch (IOException e) {
            tokens = JSON.createObjectNode();
        }
        if (answer.statusCode() != 200 || !tokens.path("id_token").isTextual()) {
            throw HttpProblem.unauthorized("the identity provider refused the sign-in (" + answer.statusCode()
                    + (tokens.path("error").isTextual() ? ", " + tokens.path("error").asText() : "") + ")");
        }
        return verifier.verifyIdToken(tokens.path("id_token").asText(), pending.nonce());
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
