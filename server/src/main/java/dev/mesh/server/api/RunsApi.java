package dev.mesh.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.server.auth.DomainRoles;
import dev.mesh.server.auth.Principal;
import dev.mesh.server.auth.Role;
import dev.mesh.server.http.HttpProblem;
import dev.mesh.server.http.Json;
import dev.mesh.server.runs.RunQueue;
import dev.mesh.server.runs.ServerRun;
import dev.mesh.spec.model.ProductSpec;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/products/{id}/runs} and {@code /api/v1/runs}: queue a run (202 with its id), follow it (its state, or
 * its events as server-sent events), cancel it. A run of a domain the caller holds no role in answers 404, as an id
 * that does not exist does.
 */
public final class RunsApi {
    private static final Set<String> RUN_FIELDS = Set.of("force", "fullRefresh");
    private static final String RUN = "mesh.run";

    private final Requests requests;
    private final RunQueue queue;

    public RunsApi(Requests requests, RunQueue queue) {
        this.requests = requests;
        this.queue = queue;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/products/{id}/runs", this::submit);
        routes.get("/api/v1/runs", this::list);
        routes.get("/api/v1/runs/{id}", ctx -> Json.respond(ctx, 200, Views.run(visibleRun(ctx))));
        routes.delete("/api/v1/runs/{id}", this::cancel);
        // the run is looked up (and refused) before the response turns into an event stream
        routes.before("/api/v1/runs/{id}/events", ctx -> ctx.attribute(RUN, visibleRun(ctx)));
        routes.sse("/api/v1/runs/{id}/events", this::events);
    }

    private void submit(Context ctx) {
        ProductSpec product = requests.visibleProduct(ctx, ctx.pathParam("id"));
        requests.require(ctx, product, Role.MEMBER, "run");
        ObjectNode body = Json.object(ctx, RUN_FIELDS);
        ServerRun run = submit(ctx, product, Json.bool(body, "force", false), Json.bool(body, "fullRefresh", false));
        ctx.header("Location", "/api/v1/runs/" + run.id());
        Json.respond(ctx, 202, Views.run(run));
    }

    /** Queues a run of {@code product} under the principal, a member of its domain (403 otherwise, audited). */
    public ServerRun submit(Context ctx, ProductSpec product, boolean force, boolean fullRefresh) {
        requests.require(ctx, product, Role.MEMBER, "run");
        return queue.submit(product.id(), requests.principal(ctx).name(), force, fullRefresh);
    }

    private void list(Context ctx) {
        Optional<String> product = Optional.ofNullable(ctx.queryParam("product"));
        List<Map<String, Object>> runs = visibleRuns(ctx).stream()
                .filter(run -> product.isEmpty() || run.product().toString().equals(product.get()))
                .limit(200).map(Views::run).toList();
        Json.respond(ctx, 200, Map.of("runs", runs));
    }

    /** The runs this server holds of the domains the principal holds a role in, newest first. */
    public List<ServerRun> visibleRuns(Context ctx) {
        Principal principal = requests.principal(ctx);
        DomainRoles roles = requests.roles();
        return queue.recent().stream().filter(run -> roles.role(principal, run.product().domain()).isPresent())
                .toList();
    }

    private void cancel(Context ctx) {
        ServerRun run = visibleRun(ctx);
        if (run.done()) {
            throw HttpProblem.conflict("run " + run.id() + " already ended (" + run.state().name().toLowerCase(
                    java.util.Locale.ROOT) + ")");
        }
        queue.cancel(run, requests.principal(ctx).name());
        Json.respond(ctx, 202, Views.run(run));
    }

    private void events(SseClient client) {
        ServerRun run = client.ctx().attribute(RUN);
        client.keepAlive();
        Runnable stop = run.follow(event -> {
            client.sendEvent(event.type(), Json.write(Views.event(run, event)));
            if (event.type().equals("finished")) {
                client.close();
            }
        });
        client.onClose(stop);
    }

    private ServerRun visibleRun(Context ctx) {
        return visibleRun(ctx, ctx.pathParam("id"));
    }

    /** The run {@code id}, if it exists and the caller holds a role in its domain; 404 otherwise. */
    public ServerRun visibleRun(Context ctx, String id) {
        Optional<ServerRun> run = id.length() <= 64 ? queue.find(id) : Optional.empty();
        if (run.isEmpty() || requests.roles().role(requests.principal(ctx), run.get().product().domain()).isEmpty()) {
            throw HttpProblem.notFound("no run '" + (id.length() <= 64 ? id : id.substring(0, 64) + "...") + "'");
        }
        return run.get();
    }
}
