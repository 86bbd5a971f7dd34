package dev.mesh.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.runtime.ledger.AccessRequestTable;
import dev.mesh.runtime.ledger.AccessRequests;
import dev.mesh.runtime.ledger.AuditRecord;
import dev.mesh.runtime.ledger.AuditTable;
import dev.mesh.server.auth.DomainRoles;
import dev.mesh.server.auth.Principal;
import dev.mesh.server.auth.Role;
import dev.mesh.server.http.HttpProblem;
import dev.mesh.server.http.Json;
import dev.mesh.spec.model.ProductSpec;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Access requests: a member of a consumer domain asks for a product with a purpose; an owner of the producing domain
 * approves or rejects it, and may revoke an approved one. An approved request is a grant that runs, {@code mesh sql}
 * and this API enforce like a consumer written in the producer's spec (the specs are loaded with it). Each step is
 * audited under the principal that took it.
 */
public final class AccessApi {
    private static final Set<String> REQUEST_FIELDS = Set.of("consumer", "purpose");
    private static final Set<String> DECISION_FIELDS = Set.of("note");

    private final Requests requests;

    public AccessApi(Requests requests) {
        this.requests = requests;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/products/{id}/access-requests", this::request);
        routes.get("/api/v1/access-requests", this::list);
        routes.post("/api/v1/access-requests/{id}/approve", ctx -> decide(ctx, AccessRequestTable.Kind.APPROVED));
        routes.post("/api/v1/access-requests/{id}/reject", ctx -> decide(ctx, AccessRequestTable.Kind.REJECTED));
        routes.post("/api/v1/access-requests/{id}/revoke", ctx -> decide(ctx, AccessRequestTable.Kind.REVOKED));
    }

    private AccessRequests store() {
        return new AccessRequests(requests.tables(), requests.clock());
    }

    private void request(Context ctx) {
        ProductSpec product = requests.visibleProduct(ctx, ctx.pathParam("id"));
        ObjectNode body = Json.object(ctx, REQUEST_FIELDS);
        String consumer = Json.string(body, "consumer").orElseThrow(() -> HttpProblem.badRequest(
                "$.consumer: name the domain that will read " + product.id()));
        Json.respond(ctx, 201, view(ask(ctx, product, consumer, Json.string(body, "purpose"))));
    }

    /**
     * The signed-in principal, a member of {@code consumer}, asks for {@code product} with a purpose; audited.
     * Refused when the purpose is missing, the domain unknown, the principal not its member, or the grant held.
     */
    public AccessRequests.Request ask(Context ctx, ProductSpec product, String consumer, Optional<String> said) {
        String purpose = said.map(String::strip).filter(p -> !p.isBlank()).orElseThrow(() ->
                HttpProblem.badRequest("$.purpose: say what " + consumer + " will do with " + product.id()));
        if (purpose.length() > 2000) {
            throw HttpProblem.badRequest("$.purpose: at most 2000 characters");
        }
        if (requests.mesh().domain(consumer).isEmpty()) {
            throw HttpProblem.badRequest("$.consumer: no domain '" + consumer + "' in the mesh");
        }
        requests.requireRole(ctx, consumer, Role.MEMBER, "ask for " + product.id() + " for domain " + consumer,
                product.id().toString());
        if (product.access().allows(product.domain(), consumer)) {
            throw HttpProblem.conflict(consumer + " may already read " + product.id());
        }
        AccessRequests.Request made = store().request(product.id(), consumer, purpose,
                requests.principal(ctx).name());
        audit(ctx, made, "requested", "for " + consumer + ": " + purpose);
        return made;
    }

    private void list(Context ctx) {
        Optional<String> state = Optional.ofNullable(ctx.queryParam("state")).map(s -> s.toUpperCase(Locale.ROOT));
        if (state.isPresent() && java.util.Arrays.stream(AccessRequests.State.values())
                .noneMatch(s -> s.name().equals(state.get()))) {
            throw HttpProblem.badRequest("state: one of pending, approved, rejected, revoked");
        }
        List<Map<String, Object>> mine = concerning(ctx).stream()
                .filter(request -> state.isEmpty() || request.state().name().equals(state.get()))
                .map(AccessApi::view).toList();
        Json.respond(ctx, 200, Map.of("requests", mine));
    }

    /** The requests that concern the principal: of its domains' products, or for its domains (all for admins). */
    public List<AccessRequests.Request> concerning(Context ctx) {
        Principal principal = requests.principal(ctx);
        DomainRoles roles = requests.roles();
        return store().all().stream().filter(request -> concerns(roles, principal, request)).toList();
    }

    private void decide(Context ctx, AccessRequestTable.Kind decision) {
        ObjectNode body = Json.object(ctx, DECISION_FIELDS);
        Json.respond(ctx, 200, view(decide(ctx, ctx.pathParam("id"), decision, Json.string(body, "note"))));
    }

    /** An owner of the product's domain decides request {@code id}; audited; the grant counts at once. */
    public AccessRequests.Request decide(Context ctx, String id, AccessRequestTable.Kind decision,
            Optional<String> note) {
        Principal principal = requests.principal(ctx);
        AccessRequests store = store();
        AccessRequests.Request request = store.find(id).filter(r -> concerns(requests.roles(), principal, r))
                .orElseThrow(() -> HttpProblem.notFound("no access request '" + (id.length() > 64
                        ? id.substring(0, 64) + "..." : id) + "'"));
        String verb = switch (decision) {
            case APPROVED -> "approve";
            case REJECTED -> "reject";
            case REVOKED -> "revoke";
            case REQUESTED -> throw new IllegalArgumentException("a decision, not a request");
        };
        requests.requireRole(ctx, request.product().domain(), Role.OWNER, verb + " access to " + request.product(),
                request.product().toString());
        AccessRequests.Request decided;
        try {
            decided = store.decide(id, decision, principal.name(), note.map(String::strip).filter(n -> !n.isBlank()));
        } catch (dev.mesh.error.MeshException e) {
            throw HttpProblem.conflict(e.getMessage());
        }
        audit(ctx, decided, decision.name().toLowerCase(Locale.ROOT), "for " + decided.consumer()
                + decided.note().map(said -> ": " + said).orElse(""));
        if (decision == AccessRequestTable.Kind.REVOKED) {
            requests.grantRevoked(decided.product(), decided.consumer());
        } else {
            requests.specsChanged();
        }
        return decided;
    }

    /** A request concerns the producer's and the consumer's domains (and admins). */
    private static boolean concerns(DomainRoles roles, Principal principal, AccessRequests.Request request) {
        return roles.role(principal, request.product().domain()).isPresent()
                || roles.role(principal, request.consumer()).isPresent();
    }

    private void audit(Context ctx, AccessRequests.Request request, String outcome, String detail) {
        requests.tables().append(AuditTable.TABLE, List.of(new AuditRecord(requests.clock().instant(),
                requests.principal(ctx).name(), AuditRecord.Action.ACCESS_REQUEST, request.product().domain(),
                request.product().toString(), null, null, outcome, "request " + request.id() + " " + detail, null)));
    }

    static Map<String, Object> view(AccessRequests.Request request) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", request.id());
        view.put("product", request.product().toString());
        view.put("consumer", request.consumer());
        view.put("purpose", request.purpose());
        view.put("state", request.state().name().toLowerCase(Locale.ROOT));
        view.put("requestedBy", request.requestedBy());
        view.put("requestedAt", request.requestedAt().toString());
        view.put("decidedBy", request.decidedBy().orElse(null));
        view.put("decidedAt", request.decidedAt().map(Object::toString).orElse(null));
        view.put("note", request.note().orElse(null));
        return view;
    }
}
