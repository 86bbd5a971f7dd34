package dev.mesh.server.api;

import dev.mesh.runtime.catalog.CatalogSearch;
import dev.mesh.server.auth.DomainRoles;
import dev.mesh.server.auth.Principal;
import dev.mesh.server.http.HttpProblem;
import dev.mesh.server.http.Json;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductSpec;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /api/v1/me}, {@code /api/v1/products}: who I am, the catalog as I may see it, one product. */
public final class ProductsApi {
    private final Requests requests;

    public ProductsApi(Requests requests) {
        this.requests = requests;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/me", this::me);
        routes.get("/api/v1/products", this::catalog);
        routes.get("/api/v1/products/{id}", this::product);
    }

    private void me(Context ctx) {
        Principal principal = requests.principal(ctx);
        DomainRoles roles = requests.roles();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("principal", principal.name());
        view.put("groups", principal.groups().stream().sorted().toList());
        view.put("via", principal.via().name().toLowerCase(java.util.Locale.ROOT));
        view.put("admin", roles.isAdmin(principal));
        Map<String, String> domains = new LinkedHashMap<>();
        for (DomainSpec domain : requests.mesh().domains()) {
            roles.role(principal, domain.name()).ifPresent(role -> domains.put(domain.name(), role.label()));
        }
        view.put("domains", domains);
        Json.respond(ctx, 200, view);
    }

    /** The same search as {@code mesh catalog} (domain, readable by, text), over the products the caller sees. */
    private void catalog(Context ctx) {
        MeshSpec mesh = requests.mesh();
        Optional<String> domain = param(ctx, "domain");
        Optional<String> readableBy = param(ctx, "readableBy");
        for (Optional<String> name : List.of(domain, readableBy)) {
            if (name.isPresent() && mesh.domain(name.get()).isEmpty()) {
                throw HttpProblem.badRequest("no domain '" + name.get() + "' in the mesh");
            }
        }
        Principal principal = requests.principal(ctx);
        DomainRoles roles = requests.roles();
        List<Map<String, Object>> products = new CatalogSearch(domain, readableBy, param(ctx, "q")).find(mesh)
                .stream().filter(product -> roles.canSee(principal, product)).map(Views::productSummary).toList();
        Json.respond(ctx, 200, Map.of("products", products));
    }

    private void product(Context ctx) {
        ProductSpec product = requests.visibleProduct(ctx, ctx.pathParam("id"));
        Json.respond(ctx, 200, Views.product(product, requests.roles().role(requests.principal(ctx),
                product.domain())));
    }

    private static Optional<String> param(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value != null && value.length() > 200) {
            throw HttpProblem.badRequest(name + ": at most 200 characters");
        }
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
