package dev.mesh.server.portal;

import static java.util.Objects.requireNonNull;

import dev.mesh.runtime.ledger.AccessRequestTable;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.server.api.AccessApi;
import dev.mesh.server.api.ProductDetailsApi;
import dev.mesh.server.api.Requests;
import dev.mesh.server.api.RunsApi;
import dev.mesh.server.auth.Authenticator;
import dev.mesh.server.auth.Principal;
import dev.mesh.server.http.HttpProblem;
import dev.mesh.server.runs.RunQueue;
import dev.mesh.server.runs.ServerRun;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.ServerSpec;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The portal: server-rendered pages under {@code /portal} for finding, judging, requesting and running data products,
 * on the same roles, grants, audit and run queue as the API. A browser signs in with the identity provider
 * (authorization code with PKCE) or an API token and holds a session cookie ({@code HttpOnly}, {@code SameSite=Lax},
 * {@code Secure} over TLS); every form carries the session's CSRF token and every POST is refused without it. Pages
 * read without JavaScript; scripts (served here, none inline) draw the charts and the lineage graph, search as one
 * types and follow live runs.
 */
public final class Portal {
    public static final String SESSION = "mesh.portal.session";
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";
    private static final Map<String, String> ASSETS = Map.of(
            "portal.css", "dev/mesh/server/portal/portal.css",
            "portal.js", "dev/mesh/server/portal/portal.js",
            "echarts.min.js", "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js");
    private static final Map<String, String> NOTICES = Map.of(
            "requested", "Your access request was sent to the producing domain's owners.",
            "approved", "The request was approved: the consumer may read the product now.",
            "rejected", "The request was rejected.",
            "feedback", "Thank you: your rating was recorded.",
            "signed-out", "You are signed out.");

    private static final List<String> RUN_STATUSES = java.util.Arrays.stream(
            dev.mesh.runtime.result.RunStatus.values()).map(Enum::name).toList();

    private final Requests requests;
    private final PortalSessions sessions;
    private final Optional<OidcSignIn> oidc;
    private final PortalData data;
    private final RunsApi runs;
    private final AccessApi access;
    private final ProductDetailsApi details;
    private final RunQueue queue;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    public Portal(Requests requests, Authenticator authenticator, ServerSpec server, Clock clock, PortalData data,
            RunsApi runs, AccessApi access, ProductDetailsApi details, RunQueue queue) {
        this.requests = requireNonNull(requests, "requests is null");
        this.sessions = new PortalSessions(authenticator, clock);
        this.oidc = server.oidc().flatMap(o -> o.portal().map(client -> new OidcSignIn(client,
                authenticator.jwt().orElseThrow())));
        this.data = data;
        this.runs = runs;
        this.access = access;
        this.details = details;
        this.queue = queue;
    }

    /** The portal's pages, built on the API's own services. */
    public static Portal create(Requests requests, Authenticator authenticator, ServerSpec server, Clock clock,
            RunsApi runs, AccessApi access, ProductDetailsApi details, RunQueue queue,
            org.apache.spark.sql.SparkSession spark, ZoneLayout zones) {
        return new Portal(requests, authenticator, server, clock, new PortalData(requests, details, access, spark,
                zones), runs, access, details, queue);
    }

    public PortalSessions sessions() {
        return sessions;
    }

    public void register(RoutesConfig routes) {
        routes.get("/", ctx -> ctx.redirect("/portal"));
        routes.before("/portal", this::enter);
        routes.before("/portal/*", this::enter);
        routes.get("/portal/assets/{name}", this::asset);
        routes.get("/portal/sign-in", ctx -> signInPage(ctx, ""));
        routes.post("/portal/sign-in", this::signIn);
        routes.get("/portal/sign-in/oidc", this::startOidc);
        routes.get("/portal/callback", this::callback);
        routes.post("/portal/sign-out", this::signOut);
        routes.get("/portal", ctx -> render(ctx, "portal/catalog.jte", data.catalog(ctx, frame(ctx, "Catalog",
                "catalog"))));
        routes.get("/portal/results", ctx -> render(ctx, "portal/results.jte", data.catalog(ctx, frame(ctx,
                "Catalog", "catalog"))));
        routes.get("/portal/products/{id}", ctx -> {
            ProductSpec product = requests.visibleProduct(ctx, ctx.pathParam("id"));
            render(ctx, "portal/product.jte", data.product(ctx, frame(ctx, product.id().toString(), "catalog"),
                    product));
        });
        routes.get("/portal/products/{id}/lineage", ctx -> {
            ProductSpec product = requests.visibleProduct(ctx, ctx.pathParam("id"));
            render(ctx, "portal/columns.jte", data.columns(frame(ctx, "Lineage of " + product.id(), "catalog"),
                    product));
        });
        routes.get("/portal/products/{id}/contract.json", this::contract);
        routes.post("/portal/products/{id}/access-requests", this::ask);
        routes.post("/portal/products/{id}/runs", this::run);
        routes.post("/portal/products/{id}/feedback", this::feedback);
        routes.post("/portal/access-requests/{id}/approve", ctx -> decide(ctx, AccessRequestTable.Kind.APPROVED));
        routes.post("/portal/access-requests/{id}/reject", ctx -> decide(ctx, AccessRequestTable.Kind.REJECTED));
        routes.get("/portal/runs", this::runList);
        routes.get("/portal/runs/{id}", this::runPage);
        routes.get("/portal/domains/{name}", this::domainPage);
        routes.get("/portal/platform", ctx -> {
            requests.requireAdmin(ctx, "open the platform page");
            render(ctx, "portal/platform.jte", data.platform(ctx, frame(ctx, "Platform", "platform"),
                    queue.recent()));
        });
    }

    /**
     * Every portal request: the security headers; the session and its principal (pages other than sign-in need one,
     * else the browser goes to sign-in and comes back); for a POST, the same origin and the session's CSRF token.
     */
    private void enter(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "DENY");
        String path = ctx.path();
        if (path.startsWith("/portal/assets/")) {
            return;
        }
        ctx.header("Cache-Control", "no-store");
        Optional<PortalSessions.Session> session = sessions.find(ctx.cookie(PortalSessions.COOKIE));
        session.ifPresent(s -> ctx.attribute(SESSION, s));
        boolean post = ctx.method().name().equals("POST");
        if (post) {
            String origin = ctx.header("Origin");
            if (origin != null && !origin.equals(origin(ctx))) {
                throw HttpProblem.forbidden("the form was sent from another site (" + origin + ")");
            }
            if (session.isEmpty() || !session.get().csrfMatches(ctx.formParam("csrf"))) {
                throw HttpProblem.forbidden("the form's CSRF token is missing or stale; reload the page and send "
                        + "it again");
            }
        }
        if (path.equals("/portal/sign-in") || path.startsWith("/portal/sign-in/") || path.equals("/portal/callback")) {
            return;
        }
        Optional<Principal> principal = session.flatMap(sessions::principal);
        if (principal.isEmpty()) {
            throw new SignInNeeded(post ? "/portal" : ctx.path() + (ctx.queryString() == null ? ""
                    : "?" + ctx.queryString()));
        }
        ctx.attribute(Requests.PRINCIPAL, principal.get());
    }

    /** Thrown where a page needs a signed-in principal: the browser is sent to sign in, then back to {@code next}. */
    public static final class SignInNeeded extends RuntimeException {
        private final String next;

        SignInNeeded(String next) {
            super("sign in first", null, false, false);
            this.next = next;
        }
    }

    /** Sends the browser to sign in. */
    public void signInNeeded(SignInNeeded e, Context ctx) {
        ctx.redirect("/portal/sign-in?next=" + URLEncoder.encode(e.next, StandardCharsets.UTF_8));
    }

    /** The principal of a request's portal session cookie, for the API's GET endpoints the pages' scripts call. */
    public Optional<Principal> cookiePrincipal(Context ctx) {
        return sessions.find(ctx.cookie(PortalSessions.COOKIE)).flatMap(sessions::principal);
    }

    /** An error as a page, with the same status and message the API would give. */
    public void problem(Context ctx, int status, String message) {
        ctx.status(status);
        render(ctx, "portal/problem.jte", new Pages.Problem(frame(ctx, statusTitle(status), ""), status, message));
    }

    private static String statusTitle(int status) {
        return switch (status) {
            case 400 -> "That request cannot be answered";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            case 429 -> "Too many runs waiting";
            default -> "Something went wrong";
        };
    }

    private void signInPage(Context ctx, String error) {
        PortalSessions.Session session = currentOrNew(ctx);
        render(ctx, "portal/sign-in.jte", new Pages.SignIn(frameFor(session, Optional.empty(), "Sign in", ""),
                next(ctx.queryParam("next")), oidc.isPresent(), error));
    }

    private void signIn(Context ctx) {
        String token = Optional.ofNullable(ctx.formParam("token")).orElse("").strip();
        PortalSessions.Session session;
        try {
            session = sessions.signInWithToken(current(ctx), token);
        } catch (HttpProblem e) {
            ctx.status(401);
            signInPage(ctx, "That token is not accepted: " + e.getMessage());
            return;
        }
        setCookie(ctx, session);
        ctx.redirect(next(ctx.formParam("next")));
    }

    private void startOidc(Context ctx) {
        OidcSignIn signIn = oidc.orElseThrow(() -> HttpProblem.notFound("this platform's portal has no identity "
                + "provider sign-in (server.oidc.portal); sign in with an API token"));
        PortalSessions.Session session = currentOrNew(ctx);
        ctx.redirect(signIn.start(session, callbackUri(ctx), next(ctx.queryParam("next"))));
    }

    private void callback(Context ctx) {
        OidcSignIn signIn = oidc.orElseThrow(() -> HttpProblem.notFound("no identity provider sign-in"));
        PortalSessions.Session session = current(ctx).orElseThrow(() -> HttpProblem.badRequest("this browser "
                + "has no sign-in under way (cookies off, or the session expired); start again from the sign-in "
                + "page"));
        if (ctx.queryParam("error") != null) {
            session.pending(null);
            throw HttpProblem.unauthorized("the identity provider did not sign you in");
        }
        String next = session.pending().map(PortalSessions.PendingSignIn::next).orElse("/portal");
        Principal principal = signIn.finish(session, ctx.queryParam("code"), ctx.queryParam("state"),
                callbackUri(ctx));
        setCookie(ctx, sessions.signInAs(Optional.of(session), principal));
        ctx.redirect(next);
    }

    private void signOut(Context ctx) {
        current(ctx).ifPresent(sessions::signOut);
        ctx.removeCookie(PortalSessions.COOKIE, "/");
        ctx.redirect("/portal/sign-in?notice=signed-out");
    }

    private void contract(Context ctx) {
        ProductSpec product = requests.visibleProduct(ctx, ctx.pathParam("id"));
        String body = details.contractOf(product).toPrettyString();
        ctx.header("Content-Disposition", "attachment; filename=\"" + product.id() + ".odcs.json\"");
        ctx.contentType("application/json").result(body);
    }

    private void ask(Context ctx) {
        ProductSpec product = requests.visibleProduct(ctx, ctx.pathParam("id"));
        access.ask(ctx, product, Optional.ofNullable(ctx.formParam("consumer")).orElse(""),
                Optional.ofNullable(ctx.formParam("purpose")));
        ctx.redirect("/portal/products/" + product.id() + "?notice=requested");
    }

    private void run(Context ctx) {
        ProductSpec product = requests.visibleProduct(ctx, ctx.pathParam("id"));
        ServerRun run = runs.submit(ctx, product, "on".equals(ctx.formParam("force")),
                "on".equals(ctx.formParam("fullRefresh")));
        ctx.redirect("/portal/runs/" + run.id());
    }

    private void feedback(Context ctx) {
        ProductSpec product = details.readable(ctx, requests.visibleProduct(ctx, ctx.pathParam("id")));
        int rating;
        try {
            rating = Integer.parseInt(Optional.ofNullable(ctx.formParam("rating")).orElse(""));
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("rating: choose from 1 (useless) to 5 (excellent) stars");
        }
        details.giveFeedback(ctx, product, rating, Optional.ofNullable(ctx.formParam("comment")),
                Optional.ofNullable(ctx.formParam("from")).filter(f -> !f.isBlank()));
        ctx.redirect("/portal/products/" + product.id() + "?notice=feedback#feedback");
    }

    private void decide(Context ctx, AccessRequestTable.Kind decision) {
        var decided = access.decide(ctx, ctx.pathParam("id"), decision, Optional.ofNullable(ctx.formParam("note")));
        String back = Optional.ofNullable(ctx.formParam("back")).filter(b -> b.equals("domain")).isPresent()
                ? "/portal/domains/" + decided.product().domain() : "/portal/products/" + decided.product();
        ctx.redirect(back + "?notice=" + decision.name().toLowerCase(Locale.ROOT));
    }

    private void runList(Context ctx) {
        String product = Optional.ofNullable(ctx.queryParam("product")).orElse("").strip();
        String state = Optional.ofNullable(ctx.queryParam("state")).orElse("").strip();
        List<Pages.QueuedRun> shown = runs.visibleRuns(ctx).stream()
                .filter(run -> product.isEmpty() || run.product().toString().contains(product))
                .filter(run -> state.isEmpty() || run.state().name().equalsIgnoreCase(state))
                .limit(200).map(PortalData::queued).toList();
        String status = Optional.ofNullable(ctx.queryParam("status")).orElse("").strip();
        render(ctx, "portal/runs.jte", new Pages.Runs(frame(ctx, "Runs", "runs"), product, state,
                java.util.Arrays.stream(ServerRun.State.values()).map(s -> s.name().toLowerCase(Locale.ROOT))
                        .toList(), shown, status, RUN_STATUSES, data.recordedRuns(ctx, product, status, 100)));
    }

    private void runPage(Context ctx) {
        ServerRun run = runs.visibleRun(ctx, ctx.pathParam("id"));
        List<Pages.Stage> stages = run.events().stream().filter(e -> e.stage().isPresent())
                .map(e -> new Pages.Stage(e.stage().get(), PortalData.clock(e.at()))).toList();
        String summary = run.result().map(r -> r.status() + ": " + r.rowsIn() + " rows read, " + r.rowsOut()
                + " published, " + r.rowsQuarantined() + " quarantined, checks " + r.gate().passed() + " passed / "
                + r.gate().failed() + " failed, " + PortalData.elapsed(java.time.Duration.between(r.startedAt(),
                        r.finishedAt()))).orElse("");
        String error = run.result().map(r -> r.error() == null ? "" : r.error()).or(run::endNote).orElse("");
        render(ctx, "portal/run.jte", new Pages.RunPage(frame(ctx, "Run of " + run.product(), "runs"),
                PortalData.queued(run), stages, run.done(), summary, error, "/api/v1/runs/" + run.id() + "/events",
                run.startedAt().map(at -> String.valueOf(at.toEpochMilli())).orElse("")));
    }

    private void domainPage(Context ctx) {
        String name = ctx.pathParam("name");
        DomainSpec domain = (name.length() <= 64 ? requests.mesh().domain(name) : Optional.<DomainSpec>empty())
                .orElseThrow(() -> HttpProblem.notFound("no domain '" + (name.length() <= 64 ? name
                        : name.substring(0, 64) + "...") + "'"));
        render(ctx, "portal/domain.jte", data.domain(ctx, frame(ctx, "Domain " + domain.name(), "domains"), domain));
    }

    private void asset(Context ctx) {
        String resource = ASSETS.get(ctx.pathParam("name"));
        if (resource == null) {
            throw HttpProblem.notFound("no such file");
        }
        try (InputStream in = Portal.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the server's jar");
            }
            String name = ctx.pathParam("name");
            ctx.contentType(name.endsWith(".css") ? "text/css; charset=utf-8"
                    : "text/javascript; charset=utf-8");
            ctx.header("Cache-Control", "public, max-age=3600");
            ctx.result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Pages.Frame frame(Context ctx, String title, String active) {
        Principal principal = ctx.attribute(Requests.PRINCIPAL);
        return frameFor(current(ctx).orElse(null), Optional.ofNullable(principal), title, active,
                Optional.ofNullable(ctx.queryParam("notice")).map(NOTICES::get).orElse(""));
    }

    private Pages.Frame frameFor(PortalSessions.Session session, Optional<Principal> principal, String title,
            String active) {
        return frameFor(session, principal, title, active, "");
    }

    private Pages.Frame frameFor(PortalSessions.Session session, Optional<Principal> principal, String title,
            String active, String notice) {
        return new Pages.Frame(title, principal.map(Principal::name).orElse(""),
                principal.map(p -> requests.roles().isAdmin(p)).orElse(false), session == null ? ""
                        : session.csrf(), active, notice);
    }

    private Optional<PortalSessions.Session> current(Context ctx) {
        PortalSessions.Session session = ctx.attribute(SESSION);
        return Optional.ofNullable(session);
    }

    private PortalSessions.Session currentOrNew(Context ctx) {
        return current(ctx).orElseGet(() -> {
            PortalSessions.Session session = sessions.anonymous();
            ctx.attribute(SESSION, session);
            setCookie(ctx, session);
            return session;
        });
    }

    private static void setCookie(Context ctx, PortalSessions.Session session) {
        ctx.header("Set-Cookie", PortalSessions.COOKIE + "=" + session.id() + "; Path=/; HttpOnly; SameSite=Lax"
                + (scheme(ctx).equals("https") ? "; Secure" : ""));
    }

    /**
     * The scheme the browser used: a TLS-terminating proxy in front says so with {@code X-Forwarded-Proto} (and
     * passes the {@code Host} header on).
     */
    private static String scheme(Context ctx) {
        return "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto")) ? "https" : ctx.scheme();
    }

    /** The portal's origin as the browser sees it. */
    private static String origin(Context ctx) {
        return scheme(ctx) + "://" + ctx.host();
    }

    private static String callbackUri(Context ctx) {
        return origin(ctx) + "/portal/callback";
    }

    /** Where to go after sign-in: a portal path only (never another site). */
    private static String next(String asked) {
        if (asked == null || !asked.startsWith("/portal") || asked.startsWith("//") || asked.contains("\\")
                || asked.length() > 500 || asked.startsWith("/portal/sign-")
                || asked.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            return "/portal";
        }
        return asked;
    }

    private void render(Context ctx, String template, Object page) {
        StringOutput out = new StringOutput();
        templates.render(template, page, out);
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
    }
}
