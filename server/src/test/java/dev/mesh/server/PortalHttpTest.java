package dev.mesh.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.server.auth.ApiTokens;
import dev.mesh.server.auth.Role;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The portal over plain HTTP, as an attacker would send it: sessions and their cookie flags, the PKCE sign-in and
 * answers that do not belong to it, forms without their CSRF token or from another origin, hostile markup in specs,
 * another domain's private product, a cookie used to change things through the API, paths out of the assets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalHttpTest {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private PortalFixture fixture;

    @BeforeAll
    void start() throws IOException {
        fixture = new PortalFixture();
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    /** A browser: its own cookies; redirects followed or not. */
    private final class Browser {
        final HttpClient http;

        Browser(boolean follow) {
            http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                    .followRedirects(follow ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER).build();
        }

        HttpResponse<String> get(String path, String... headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path
                    : fixture.base() + path)).GET();
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            return send(request.build());
        }

        HttpResponse<String> post(String path, Map<String, String> form, String... headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fixture.base() + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream().map(e -> e.getKey() + "="
                            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                            .collect(Collectors.joining("&"))));
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            return send(request.build());
        }

        private HttpResponse<String> send(HttpRequest request) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        String csrf(String page) {
            Matcher m = CSRF.matcher(get(page).body());
            assertThat(m.find()).as("a CSRF token on " + page).isTrue();
            return m.group(1);
        }
    }

    private Browser signedIn(String email) {
        Browser browser = new Browser(true);
        fixture.issuer.signInAs(email, List.of());
        HttpResponse<String> landed = browser.get("/portal/sign-in/oidc?next=%2Fportal%2Fruns");
        assertThat(landed.statusCode()).isEqualTo(200);
        assertThat(landed.uri().getPath()).isEqualTo("/portal/runs");
        assertThat(landed.body()).contains(email);
        return browser;
    }

    @Test
    void aBrowserWithoutASessionIsSentToSignInAndItsCookieIsGuarded() {
        Browser browser = new Browser(false);
        HttpResponse<String> page = browser.get("/portal/products/shop.orders");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValue("/portal/sign-in?next=%2Fportal%2Fproducts"
                + "%2Fshop.orders");
        HttpResponse<String> signIn = browser.get("/portal/sign-in?next=%2Fportal%2Fproducts%2Fshop.orders");
        String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("mesh_session=").contains("HttpOnly", "SameSite=Lax").doesNotContain("Secure");
        assertThat(new Browser(false).get("/portal/sign-in", "X-Forwarded-Proto", "https").headers()
                .firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly", "SameSite=Lax", "Secure");
        String csp = signIn.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("script-src 'self';", "frame-ancestors 'none'", "object-src 'none'");
        assertThat(signIn.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(signIn.body()).contains("Sign in with your identity provider", "API token")
                .doesNotContainPattern("<script>[^<]");
        // an open redirect after sign-in is refused: next goes back to the portal only
        assertThat(signIn.body()).contains("value=\"/portal/products/shop.orders\"");
        assertThat(browser.get("/portal/sign-in?next=https%3A%2F%2Fevil.test%2F").body())
                .contains("name=\"next\" value=\"/portal\"");
        assertThat(browser.get("/portal/sign-in?next=%2F%2Fevil.test").body())
                .contains("name=\"next\" value=\"/portal\"");
        assertThat(browser.get("/portal/sign-in?next=%2Fportal%0D%0ASet-Cookie%3A%20x%3Dy").body())
                .contains("name=\"next\" value=\"/portal\"");
    }

    @Test
    void theIdentityProviderSignsInWithPkceAndAnAnswerForAnotherSignInIsRefused() {
        Browser alice = signedIn(PortalFixture.ALICE);
        String tokenRequest = fixture.issuer.tokenRequests().get(fixture.issuer.tokenRequests().size() - 1);
        assertThat(tokenRequest).contains("grant_type=authorization_code", "code_verifier=", "client_id=mesh-portal");
        assertThat(alice.get("/api/v1/me").body()).contains("\"principal\":\"alice@example.com\"", "\"via\":\"oidc\"");

        // a callback this browser did not start, a forged state, a code replayed: all refused, nobody signed in
        Browser mallory = new Browser(false);
        assertThat(mallory.get("/portal/callback?code=x&state=y").statusCode()).isEqualTo(400);
        fixture.issuer.signInAs(PortalFixture.SHOP_OWNER, List.of());
        String authorize = mallory.get("/portal/sign-in/oidc").headers().firstValue("Location").orElseThrow();
        assertThat(authorize).contains("code_challenge_method=S256", "code_challenge=", "nonce=", "state=");
        String callback = new Browser(false).get(authorize).headers().firstValue("Location").orElseThrow();
        String forged = callback.replaceAll("state=[^&]+", "state=forged");
        assertThat(mallory.get(forged).statusCode()).isEqualTo(400);
        assertThat(mallory.get(callback).statusCode()).as("the sign-in was used up by the forged answer")
                .isEqualTo(400);
        assertThat(mallory.get("/portal").statusCode()).isEqualTo(302);
    }

    @Test
    void anApiTokenSignsInAndItsRevocationEndsTheSession() {
        Browser browser = new Browser(true);
        String csrf = browser.csrf("/portal/sign-in");
        HttpResponse<String> refused = browser.post("/portal/sign-in", Map.of("csrf", csrf, "token",
                "mesh_forged0000000000000000000000"));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("That token is not accepted");
        ApiTokens tokens = new ApiTokens(fixture.tables(), Clock.systemUTC());
        ApiTokens.Created created = tokens.create(PortalFixture.BOB, Optional.of("finance"), Role.MEMBER,
                Optional.empty(), "test");
        String token = created.token();
        HttpResponse<String> in = browser.post("/portal/sign-in", Map.of("csrf", browser.csrf("/portal/sign-in"),
                "token", token, "next", "/portal/domains/finance"));
        assertThat(in.uri().getPath()).isEqualTo("/portal/domains/finance");
        assertThat(in.body()).contains(PortalFixture.BOB, "Your role here");
        tokens.revoke(created.info().id(), "test");
        HttpResponse<String> after = browser.get("/portal/domains/finance");
        assertThat(after.uri().getPath()).as("a revoked token's session ends").isEqualTo("/portal/sign-in");
    }

    @Test
    void formsWithoutTheSessionsCsrfTokenOrFromAnotherSiteAreRefused() throws InterruptedException {
        Browser alice = signedIn(PortalFixture.ALICE);
        int before = fixture.server.queue().recent().size();
        String csrf = alice.csrf("/portal/products/shop.orders");
        assertThat(alice.post("/portal/products/shop.orders/runs", Map.of()).statusCode()).isEqualTo(403);
        HttpResponse<String> stale = alice.post("/portal/products/shop.orders/runs", Map.of("csrf", "x" + csrf));
        assertThat(stale.statusCode()).isEqualTo(403);
        assertThat(stale.body()).contains("CSRF token");
        assertThat(alice.post("/portal/products/shop.orders/runs", Map.of("csrf", csrf), "Origin",
                "https://evil.test").statusCode()).isEqualTo(403);
        assertThat(alice.post("/portal/products/shop.orders/runs", Map.of("csrf", csrf), "Origin",
                "https://127.0.0.1:" + fixture.server.port()).statusCode()).as("https without a proxy saying so")
                .isEqualTo(403);
        // another browser's token is not this one's
        Browser other = signedIn(PortalFixture.ALICE);
        assertThat(other.post("/portal/products/shop.orders/runs", Map.of("csrf", csrf)).statusCode())
                .isEqualTo(403);
        // the session cookie reads through the API but never changes anything there
        HttpResponse<String> viaApi = alice.post("/api/v1/products/shop.orders/runs", Map.of("csrf", csrf));
        assertThat(viaApi.statusCode()).isEqualTo(401);
        assertThat(fixture.server.queue().recent()).hasSize(before);
        Browser direct = new Browser(false);
        fixture.issuer.signInAs(PortalFixture.ALICE, List.of());
        // a signed-in browser's form with its token is taken
        HttpResponse<String> run = alice.post("/portal/products/shop.orders/runs", Map.of("csrf", csrf));
        assertThat(run.statusCode()).isEqualTo(200);
        assertThat(run.uri().getPath()).startsWith("/portal/runs/");
        assertThat(fixture.server.queue().recent()).hasSize(before + 1);
        assertThat(direct.get("/portal/runs").statusCode()).isEqualTo(302);
        String id = run.uri().getPath().substring("/portal/runs/".length());
        long deadline = System.currentTimeMillis() + 120_000;
        while (!fixture.server.queue().find(id).orElseThrow().done() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(alice.get("/portal/runs/" + id).body()).contains("PUBLISHED");
    }

    @Test
    void hostileMarkupInASpecStaysText() {
        Browser alice = signedIn(PortalFixture.ALICE);
        for (String page : List.of("/portal/products/shop.orders", "/portal?q=tills", "/portal/results?q=tills",
                "/portal/domains/shop")) {
            String html = alice.get(page).body();
            assertThat(html).as(page).contains("&lt;script&gt;window.pwned=1&lt;/script&gt;")
                    .contains("&lt;img src=x").doesNotContain("<script>window.pwned").doesNotContain("<img src=x")
                    .doesNotContainPattern("<[^>]*onmouseover").doesNotContainPattern("<[^>]*onerror");
        }
        // tags are searched too
        assertThat(alice.get("/portal/results?q=point-of-sale").body()).contains("shop.orders");
        assertThat(alice.get("/portal/results?q=point-of-sail").body()).doesNotContain("shop.orders");
        // what a search says comes back escaped, inside the attribute it fills and in the text
        String search = alice.get("/portal?q=" + URLEncoder.encode("\" onfocus=\"alert(1)\" x=\"><script>alert(2)"
                + "</script>", StandardCharsets.UTF_8)).body();
        assertThat(search).doesNotContain("<script>alert(2)").doesNotContainPattern("<[^>]*onfocus=\"alert")
                .contains("value=\"&#34; onfocus=&#34;alert(1)&#34; x=&#34;>&lt;script>alert(2)&lt;/script>\"");
    }

    @Test
    void anotherDomainsPrivateProductIsNotFoundAndPathsStayInside() {
        Browser alice = signedIn(PortalFixture.ALICE);
        HttpResponse<String> hidden = alice.get("/portal/products/hr.salaries");
        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(hidden.body()).contains("no product 'hr.salaries'").doesNotContain("seen only inside hr");
        assertThat(alice.get("/portal/products/hr.salaries/lineage").statusCode()).isEqualTo(404);
        assertThat(alice.get("/portal/products/hr.salaries/contract.json").statusCode()).isEqualTo(404);
        assertThat(alice.get("/portal/products/hr.nothing").statusCode()).isEqualTo(404);
        assertThat(alice.get("/portal").body()).contains("shop.orders").doesNotContain("hr.salaries");
        assertThat(alice.get("/portal/domains/hr").body()).doesNotContain("hr.salaries");
        assertThat(alice.get("/portal/products/..%2F..%2Fetc").statusCode()).isIn(400, 404);
        assertThat(alice.get("/portal/assets/..%2F..%2Fopenapi.json").statusCode()).isEqualTo(404);
        assertThat(alice.get("/portal/assets/echarts.min.js").statusCode()).isEqualTo(200);
        assertThat(alice.get("/portal/platform").statusCode()).as("admins only").isEqualTo(403);
        assertThat(alice.get("/portal/products/shop.orders/contract.json").headers()
                .firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).contains("attachment"));
    }

    @Test
    void feedbackIsRecordedAsTextAndTheAdminsPageShowsThePlatform() {
        Browser alice = signedIn(PortalFixture.ALICE);
        String csrf = alice.csrf("/portal/products/shop.orders");
        assertThat(alice.post("/portal/products/shop.orders/feedback", Map.of("csrf", csrf, "rating", "9"))
                .statusCode()).isEqualTo(400);
        assertThat(alice.post("/portal/products/shop.orders/feedback", Map.of("csrf", csrf, "rating", "4",
                "from", "finance")).statusCode()).as("alice does not speak for finance").isEqualTo(403);
        HttpResponse<String> given = alice.post("/portal/products/shop.orders/feedback", Map.of("csrf", csrf,
                "rating", "4", "from", "shop", "comment", "<b onclick=alert(1)>late on Mondays</b>"));
        assertThat(given.uri().getPath()).isEqualTo("/portal/products/shop.orders");
        assertThat(given.body()).contains("Thank you: your rating was recorded", "4.0 of 5 from 1 ratings",
                "&lt;b onclick=alert(1)&gt;late on Mondays&lt;/b&gt;").doesNotContain("<b onclick");
        String domain = alice.get("/portal/domains/shop").body();
        assertThat(domain).contains("Your role here", "member", "Zone usage", "alice@example.com");

        Browser ops = new Browser(true);
        fixture.issuer.signInAs("ops@example.com", List.of("platform"));
        assertThat(ops.get("/portal/sign-in/oidc").uri().getPath()).isEqualTo("/portal");
        HttpResponse<String> platform = ops.get("/portal/platform");
        assertThat(platform.statusCode()).isEqualTo(200);
        assertThat(platform.body()).contains("Federated governance", "Queue", "SLA breaches", "Failing gates");
        assertThat(ops.get("/portal/products/hr.salaries").statusCode()).as("admins see every product")
                .isEqualTo(200);
    }
}
