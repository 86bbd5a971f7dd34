package dev.mesh.server.api;

import static java.util.Objects.requireNonNull;

import dev.mesh.runtime.ledger.AuditRecord;
import dev.mesh.runtime.ledger.AuditTable;
import dev.mesh.runtime.ledger.DirectPlatformTables;
import dev.mesh.server.auth.DomainRoles;
import dev.mesh.server.auth.Principal;
import dev.mesh.server.auth.Role;
import dev.mesh.server.http.HttpProblem;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every API handler needs of a request: the authenticated principal, the specs as served now, the principal's
 * roles, a product found by an id that is checked before it is looked up, and refusals written to the audit trail.
 */
public final class Requests {
    private static final Logger LOG = LoggerFactory.getLogger(Requests.class);
    private static final Pattern PRODUCT_ID = Pattern.compile("[a-z][a-z0-9_]{0,62}\\.[a-z][a-z0-9_]{0,62}");
    public static final String PRINCIPAL = "mesh.principal";

    private final Supplier<MeshSpec> specs;
    private final Runnable reload;
    private final BiConsumer<ProductId, String> revoked;
    private final DirectPlatformTables tables;
    private final Clock clock;

    public Requests(Supplier<MeshSpec> specs, Runnable reload, BiConsumer<ProductId, String> revoked,
            DirectPlatformTables tables, Clock clock) {
        this.specs = requireNonNull(specs, "specs is null");
        this.reload = requireNonNull(reload, "reload is null");
        this.revoked = requireNonNull(revoked, "revoked is null");
        this.tables = requireNonNull(tables, "tables is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public Principal principal(Context ctx) {
        Principal principal = ctx.attribute(PRINCIPAL);
        if (principal == null) {
            throw new IllegalStateException("a handler ran without the authentication filter");
        }
        return principal;
    }

    public MeshSpec mesh() {
        return specs.get();
    }

    /** Makes the next request load the specs again (a grant was approved). */
    public void specsChanged() {
        reload.run();
    }

    /** A grant was revoked: it stops counting now, whether or not the specs load again without it. */
    public void grantRevoked(ProductId product, String consumer) {
        revoked.accept(product, consumer);
    }

    public DirectPlatformTables tables() {
        return tables;
    }

    public DomainRoles roles() {
        return new DomainRoles(mesh());
    }

    public Clock clock() {
        return clock;
    }

    /** The product the path names, if the principal may see it; 400 for an id that is not one, 404 otherwise. */
    public ProductSpec visibleProduct(Context ctx, String text) {
        if (!PRODUCT_ID.matcher(text).matches()) {
            throw HttpProblem.badRequest("'" + text + "' is not a product id; write DOMAIN.PRODUCT, e.g. sales.orders");
        }
        ProductSpec product = mesh().product(ProductId.parse(text)).orElseThrow(() -> HttpProblem.notFound(
                "no product '" + text + "'"));
        if (!roles().canSee(principal(ctx), product)) {
            throw HttpProblem.notFound("no product '" + text + "'");
        }
        return product;
    }

    /**
     * Fails unless the principal holds {@code needed} in {@code domain}, or is an admin; a 403 is audited against
     * {@code target}.
     */
    public void requireRole(Context ctx, String domain, Role needed, String action, String target) {
        Principal principal = principal(ctx);
        java.util.Optional<Role> role = roles().role(principal, domain);
        if (role.isEmpty() || !role.get().includes(needed)) {
            String why = principal.name() + " may not " + action + ": that needs the " + needed.label()
                    + " role in domain '" + domain + "'" + role.map(r -> " (holds " + r.label() + ")").orElse("");
            refused(principal, domain, target, why);
            throw HttpProblem.forbidden(why);
        }
    }

    /**
     * Fails unless the principal holds {@code needed} in the product's domain: 404 when it may not even see the
     * product (nothing leaks through names), an audited 403 saying which role it needs otherwise.
     */
    public void require(Context ctx, ProductSpec product, Role needed, String action) {
        if (!roles().canSee(principal(ctx), product)) {
            throw HttpProblem.notFound("no product '" + product.id() + "'");
        }
        requireRole(ctx, product.domain(), needed, action + " " + product.id(), product.id().toString());
    }

    /** Fails with 403 unless the principal is a platform admin; audited. */
    public void requireAdmin(Context ctx, String action) {
        Principal principal = principal(ctx);
        if (!roles().isAdmin(principal)) {
            String why = principal.name() + " may not " + action + ": that needs the platform's admin role";
            refused(principal, null, action, why);
            throw HttpProblem.forbidden(why);
        }
    }

    /** Writes an {@code access_refused} row; a trail that cannot be written is logged, the refusal stands. */
    public void refused(Principal principal, String domain, String target, String why) {
        try {
            tables.append(AuditTable.TABLE, List.of(new AuditRecord(clock.instant(), principal.name(),
                    AuditRecord.Action.ACCESS_REFUSED, domain, target, null, null, "refused", "api: " + why, null)));
        } catch (RuntimeException e) {
            LOG.warn("could not audit a refusal of {}: {}", principal.name(), e.getMessage());
        }
    }
}
