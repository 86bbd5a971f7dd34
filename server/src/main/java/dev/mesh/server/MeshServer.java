package dev.mesh.server;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.error.Secrets;
import dev.mesh.quality.sla.SlaStatusTable;
import dev.mesh.runtime.Mesh;
import dev.mesh.runtime.ledger.AuditRecord;
import dev.mesh.runtime.ledger.DirectPlatformTables;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.run.RunObserver;
import dev.mesh.runtime.run.RunOptions;
import dev.mesh.runtime.spark.MeshSparkSessions;
import dev.mesh.server.api.AccessApi;
import dev.mesh.server.api.ProductDetailsApi;
import dev.mesh.server.api.ProductsApi;
import dev.mesh.server.api.Requests;
import dev.mesh.server.api.RunsApi;
import dev.mesh.server.api.SpecsApi;
import dev.mesh.server.auth.ApiTokens;
import dev.mesh.server.auth.Authenticator;
import dev.mesh.server.auth.JwtVerifier;
import dev.mesh.server.http.HttpProblem;
import dev.mesh.server.http.Json;
import dev.mesh.server.portal.Portal;
import dev.mesh.server.runs.ClusterRuns;
import dev.mesh.server.runs.RunQueue;
import dev.mesh.server.runs.ServerRun;
import dev.mesh.spec.SpecLoad;
import dev.mesh.spec.model.PlatformSpec;
import dev.mesh.spec.model.ServerSpec;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mesh serve}: one long-lived process holding the warm SparkSession, the platform's credentials (never sent to
 * a client), the specs (loaded again when they change) and the run queue, behind an authenticated JSON API under
 * {@code /api/v1} (described by {@code /api/v1/openapi.json}), {@code /metrics} for Prometheus, and {@code /health}
 * and {@code /ready} for whatever supervises it. Runs go through the same {@link Mesh} facade as the CLI's, under the
 * principal that asked for them.
 */
public final class MeshServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MeshServer.class);

    private final Settings settings;
    private final Mesh platform;
    private final SparkSession spark;
    private final RunQueue queue;
    private final ServerMetrics metrics;
    private final Javalin app;
    private final String openApi;
    private volatile boolean ready;

    /** How to start: the platform, where to listen, the environment, and (for tests) a session to share. */
    public record Settings(Path platformFile, String bind, int port, Map<String, String> variables, Clock clock,
            Optional<Function<PlatformSpec, SparkSession>> spark, Duration tokenRefresh, Duration specRecheck,
            Optional<Path> jobsJar) {
        public Settings {
            requireNonNull(jobsJar, "jobsJar is null");
            requireNonNull(platformFile, "platformFile is null");
            requireNonNull(bind, "bind is null");
            variables = Map.copyOf(variables);
            requireNonNull(clock, "clock is null");
            requireNonNull(spark, "spark is null");
            requireNonNull(tokenRefresh, "tokenRefresh is null");
            requireNonNull(specRecheck, "specRecheck is null");
        }

        public static Settings of(Path platformFile, String bind, int port, Map<String, String> variables) {
            return new Settings(platformFile, bind, port, variables, Clock.systemUTC(), Optional.empty(),
                    Duration.ofSeconds(5), Duration.ofSeconds(2), Optional.empty());
        }
    }

    private MeshServer(Settings settings) {
        this.settings = settings;
        Function<PlatformSpec, SparkSession> factory = settings.spark()
                .orElse(spec -> MeshSparkSessions.create(spec, "mesh serve"));
        // when runs go to a cluster, the server's own session (reads, checks) stays on this machine
        this.platform = Mesh.at(settings.platformFile()).variables(settings.variables()).clock(settings.clock())
                .spark(spec -> factory.apply(ClusterRuns.isCluster(spec.sparkMaster())
                        ? spec.withSparkMaster("local[2]") : spec), settings.spark().isEmpty()).open();
        ServerSpec server = platform.spec().platform().server();
        String master = platform.spec().platform().sparkMaster();
        Optional<JwtVerifier> jwt = server.oidc().map(JwtVerifier::of);
        this.spark = platform.verifiedSpark();
        platform.provision(false);
        DirectPlatformTables tables = platform.platformTables();
        SpecCache specs = new SpecCache(settings.platformFile(), () -> openMesh(settings.variables()).wholeSpec(),
                settings.clock(), settings.specRecheck());
        Authenticator authenticator = new Authenticator(new ApiTokens(tables, settings.clock()), jwt,
                settings.clock(), settings.tokenRefresh());
        Requests requests = new Requests(specs::mesh, specs::invalidate, specs::revoked, tables, settings.clock());
        RunQueue.Executor executor = ClusterRuns.isCluster(master) ? clusterRuns(master, tables) : new InProcessRuns();
        this.queue = new RunQueue(tables, executor, settings.clock(), server.concurrentRuns(),
                server.queuedPerPrincipal(), this::finished);
        this.metrics = new ServerMetrics(queue, () -> slaBreached(tables));
        this.openApi = resource("dev/mesh/server/openapi.json");
        RunsApi runs = new RunsApi(requests, queue);
        AccessApi access = new AccessApi(requests);
        ProductDetailsApi details = new ProductDetailsApi(requests, spark, platform.zones());
        Portal portal = Portal.create(requests, authenticator, server, settings.clock(), runs, access, details, queue,
                spark, platform.zones());
        this.app = Javalin.create(config -> {
            config.http.maxRequestSize = server.maxRequestBytes();
            config.http.compressionStrategy = io.javalin.compression.CompressionStrategy.GZIP;
            config.startup.showJavalinBanner = false;
            config.routes.get("/health", ctx -> Json.respond(ctx, 200, Map.of("status", "ok")));
            config.routes.get("/ready", ctx -> Json.respond(ctx, ready ? 200 : 503,
                    Map.of("status", ready ? "ready" : "starting")));
            config.routes.before("/api/*", ctx -> authenticate(ctx, authenticator, portal));
            config.routes.before("/metrics", ctx -> authenticate(ctx, authenticator, portal));
            config.routes.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            config.routes.get("/metrics", ctx -> {
                requests.requireAdmin(ctx, "read the platform's metrics");
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
            });
            new ProductsApi(requests).register(config.routes);
            runs.register(config.routes);
            access.register(config.routes);
            details.register(config.routes);
            new SpecsApi(requests, this::loadProposing, spark, platform.zones()).register(config.routes);
            portal.register(config.routes);
            config.routes.exception(Portal.SignInNeeded.class, portal::signInNeeded);
            config.routes.exception(HttpProblem.class, (e, ctx) -> problem(ctx, portal, e.status(), e.getMessage()));
            config.routes.exception(MeshException.class, (e, ctx) -> problem(ctx, portal, status(e.errorCode()),
                    e.getMessage()));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, portal, e.getStatus(),
                    plain(e.getStatus(), e.getMessage())));
            config.routes.exception(Exception.class, (e, ctx) -> {
                String reference = UUID.randomUUID().toString();
                LOG.error("request {} {} failed (reference {}): {}", ctx.method(), ctx.path(), reference,
                        Secrets.redact(String.valueOf(e.getMessage())), e);
                problem(ctx, portal, 500, "the server failed to answer; its log has the details under reference "
                        + reference);
            });
            config.routes.after(ctx -> metrics.request(route(ctx), ctx.method().name(), ctx.statusCode()));
        });
    }

    /**
     * Opens the platform (its specs validated before Spark starts), starts the session, provisions the platform
     * tables, recovers the run queue and starts listening. Fails with the specs' problems, naming the files.
     */
    public static MeshServer start(Settings settings) {
        MeshServer server = new MeshServer(settings);
        try {
            RunQueue.Recovery recovery = server.queue.start();
            server.app.start(settings.bind(), settings.port());
            server.ready = true;
            LOG.info("mesh serve: listening on http://{}:{} ({} queued runs taken up, {} recorded unfinished)",
                    settings.bind(), server.port(), recovery.requeued(), recovery.unfinished());
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public int port() {
        return app.port();
    }

    /** How long a shutdown lets running runs finish ({@code server.shutdownGrace}). */
    public Duration shutdownGrace() {
        return platform.spec().platform().server().shutdownGrace();
    }

    public RunQueue queue() {
        return queue;
    }

    /**
     * Stops taking requests for runs, lets running runs finish for up to the platform's {@code shutdownGrace},
     * records what still runs as unfinished, then stops listening.
     */
    public void shutdown() {
        ready = false;
        queue.shutdown(shutdownGrace());
        app.stop();
    }

    @Override
    public void close() {
        ready = false;
        try {
            queue.close();
        } finally {
            app.stop();
            platform.close();
        }
    }

    private Mesh openMesh(Map<String, String> variables) {
        return Mesh.at(settings.platformFile()).variables(variables).clock(settings.clock())
                .spark(ignored -> spark, false).open();
    }

    /** Runs submitted to the cluster {@code master} with Spark's launcher, from SPARK_HOME, with the mesh jar. */
    private ClusterRuns clusterRuns(String master, DirectPlatformTables tables) {
        String home = settings.variables().get("SPARK_HOME");
        Path jar = settings.jobsJar().orElseThrow(() -> MeshException.invalidInput("spark.master %s is a cluster: "
                + "mesh serve submits each run there with the mesh jar, which this server was not given", master));
        if (home == null || home.isBlank()) {
            throw MeshException.invalidInput("spark.master %s is a cluster: mesh serve submits each run there with "
                    + "spark-submit; set SPARK_HOME to the Spark installation that reaches it", master);
        }
        Path logs = settings.platformFile().toAbsolutePath().getParent().resolve(".mesh-serve-logs");
        try {
            java.nio.file.Files.createDirectories(logs);
        } catch (IOException e) {
            throw MeshException.infrastructure("cannot create " + logs + " for the cluster runs' logs", e);
        }
        LOG.info("runs go to {} through spark-submit from {}", master, home);
        return new ClusterRuns(new ClusterRuns.Settings(Path.of(home), jar, master, settings.platformFile()
                .toAbsolutePath(), settings.variables(), platform.spec().platform().sparkConf(), logs), tables,
                settings.clock());
    }

    private SpecLoad loadProposing(Path file, String content) {
        try (Mesh mesh = openMesh(settings.variables())) {
            return mesh.loadProposing(file, content);
        }
    }

    /** Runs in this process, on the warm session, each in the scheduler pool of its domain. */
    private final class InProcessRuns implements RunQueue.Executor {
        @Override
        public RunResult execute(ServerRun run, RunObserver observer) {
            Map<String, String> variables = new HashMap<>(settings.variables());
            variables.put(AuditRecord.PRINCIPAL_ENV, run.principal());
            spark.sparkContext().setLocalProperty("spark.scheduler.pool", run.product().domain());
            try (Mesh mesh = openMesh(variables)) {
                List<RunResult> results = mesh.run(List.of(run.product()), new RunOptions(Optional.of(run.id()),
                        run.force(), run.fullRefresh()), 1, observer, result -> { });
                return results.stream().filter(r -> r.product().equals(run.product())).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no result for " + run.product()));
            } finally {
                spark.sparkContext().setLocalProperty("spark.scheduler.pool", null);
            }
        }

        @Override
        public void interrupt(ServerRun run) {
            spark.sparkContext().cancelJobGroup(run.id());
        }
    }

    /** Each product's last SLA evaluation: breached or not (none before the first). */
    private static Map<String, Boolean> slaBreached(DirectPlatformTables tables) {
        Map<String, Instant> at = new HashMap<>();
        Map<String, Boolean> breached = new HashMap<>();
        try {
            tables.scan(SlaStatusTable.TABLE, row -> {
                String product = row.string("domain") + "." + row.string("product");
                Instant evaluated = row.instant("evaluated_at");
                if (!at.containsKey(product) || evaluated.isAfter(at.get(product))) {
                    at.put(product, evaluated);
                    breached.put(product, "breached".equalsIgnoreCase(row.string("status")));
                }
            });
        } catch (MeshException e) {
            LOG.warn("the SLA states cannot be read for /metrics: {}", e.getMessage());
        }
        return breached;
    }

    private void finished(ServerRun run) {
        metrics.finished(run);
    }

    /**
     * The request's principal: its bearer credential, or (for a GET without one, as the portal's scripts send) the
     * portal session its cookie names. A cookie never authorizes a change: the portal's forms carry a CSRF token.
     */
    private static void authenticate(Context ctx, Authenticator authenticator, Portal portal) {
        String authorization = ctx.header("Authorization");
        if (authorization == null && ctx.method().name().equals("GET")) {
            Optional<dev.mesh.server.auth.Principal> session = portal.cookiePrincipal(ctx);
            if (session.isPresent()) {
                ctx.attribute(Requests.PRINCIPAL, session.get());
                return;
            }
        }
        ctx.attribute(Requests.PRINCIPAL, authenticator.authenticate(authorization));
    }

    private static void problem(Context ctx, Portal portal, int status, String message) {
        if (ctx.path().startsWith("/portal")) {
            portal.problem(ctx, status, Secrets.redact(message));
            return;
        }
        problem(ctx, status, message);
    }

    private static void problem(Context ctx, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", HttpProblem.errorName(status));
        body.put("message", Secrets.redact(message));
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"mesh\"");
        }
        Json.respond(ctx, status, body);
    }

    private static String plain(int status, String message) {
        return switch (status) {
            case 404 -> "no such endpoint; the API is described at /api/v1/openapi.json";
            case 405 -> "this endpoint does not take that method; see /api/v1/openapi.json";
            case 413 -> "the request body is larger than the server takes (server.maxRequestBytes)";
            default -> message == null || message.isBlank() ? HttpProblem.errorName(status) : message;
        };
    }

    private static int status(ErrorCode code) {
        return switch (code) {
            case INVALID_INPUT -> 400;
            case ACCESS_DENIED -> 403;
            case QUALITY_GATE_FAILED, CANCELLED -> 409;
            case INFRASTRUCTURE -> 503;
            case INTERNAL -> 500;
        };
    }

    private static String route(Context ctx) {
        try {
            var endpoint = ctx.endpoints().lastHttpEndpoint();
            return endpoint == null ? "unmatched" : endpoint.path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    private static String resource(String name) {
        try (InputStream in = MeshServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the server's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
