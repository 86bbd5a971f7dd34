package dev.mesh.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.quality.feedback.Feedback;
import dev.mesh.quality.feedback.FeedbackTable;
import dev.mesh.quality.sla.SlaStatusTable;
import dev.mesh.runtime.kernel.KernelDeltaTable;
import dev.mesh.runtime.ledger.AuditRecord;
import dev.mesh.runtime.ledger.AuditTable;
import dev.mesh.runtime.ledger.LedgerRow;
import dev.mesh.runtime.ledger.QualityMetricsTable;
import dev.mesh.runtime.ledger.RunsTable;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.spi.PlatformTable;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.server.auth.Principal;
import dev.mesh.server.auth.Role;
import dev.mesh.server.http.HttpProblem;
import dev.mesh.server.http.Json;
import dev.mesh.spec.contract.OdcsExport;
import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.ColumnSource;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.JdbcInputSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductInputSpec;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.spi.SqlSyntax;
import dev.mesh.spec.spi.TemplateCatalog;
import dev.mesh.spec.validation.ColumnFlow;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * What a consumer reads before trusting a product, each behind the same grants as a job's reads: its contract (ODCS),
 * SLA state, runs, quality metrics, lineage (inputs, readers, columns) and a bounded preview of its data (personal
 * data shown only inside the owning domain). Anyone who may find the product sees its contract and lineage.
 */
public final class ProductDetailsApi {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProductDetailsApi.class);
    private static final ObjectMapper JSON = new ObjectMapper().setNodeFactory(
            com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    private static final int MAX_PREVIEW = 100;
    private static final Set<String> FEEDBACK_FIELDS = Set.of("rating", "comment", "from");

    private final Requests requests;
    private final SparkSession spark;
    private final ZoneLayout zones;

    public ProductDetailsApi(Requests requests, SparkSession spark, ZoneLayout zones) {
        this.requests = requests;
        this.spark = spark;
        this.zones = zones;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/products/{id}/contract", this::contract);
        routes.get("/api/v1/products/{id}/lineage", this::lineage);
        routes.get("/api/v1/products/{id}/sla", this::sla);
        routes.get("/api/v1/products/{id}/history", this::history);
        routes.get("/api/v1/products/{id}/metrics", this::metrics);
        routes.get("/api/v1/products/{id}/preview", this::preview);
        routes.post("/api/v1/products/{id}/feedback", this::feedback);
    }

    private void contract(Context ctx) {
        ProductSpec product = requests.visibleProduct(ctx, ctx.pathParam("id"));
        ctx.status(200).contentType("application/json").result(contractOf(product).toString());
    }

    /** The product's data contract (ODCS), with the server its port is on. */
    public ObjectNode contractOf(ProductSpec product) {
        MeshSpec mesh = requests.mesh();
        return OdcsExport.contract(product, mesh.domain(product.domain()).orElseThrow(),
                OdcsExport.Server.of(mesh.platform(), zones.product(product.id())));
    }

    private void lineage(Context ctx) {
        ProductSpec product = requests.visibleProduct(ctx, ctx.pathParam("id"));
        MeshSpec mesh = requests.mesh();
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (InputSpec input : product.inputs()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", input.name());
            if (input instanceof ProductInputSpec read) {
                one.put("product", read.product().toString());
            } else if (input instanceof FileInputSpec files) {
                one.put("source", files.source());
            } else if (input instanceof JdbcInputSpec) {
                one.put("source", "jdbc");
            }
            inputs.add(one);
        }
        List<String> readers = mesh.readersOf(product.id()).stream().map(r -> r.consumer().id().toString())
                .distinct().toList();
        Json.respond(ctx, 200, Map.of("product", product.id().toString(), "inputs", inputs, "readBy", readers,
                "columns", columnSources(mesh, product)));
    }

    /** Where each output column comes from, through the SQL and templates of the mesh (empty where unknown). */
    public static Map<String, List<String>> columnSources(MeshSpec mesh, ProductSpec product) {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        Optional<ColumnLineage> flow = new ColumnFlow(mesh.products(), SqlSyntax.load(), TemplateCatalog.load())
                .lineage(product.id());
        for (ColumnSpec column : product.output().schema()) {
            columns.put(column.name(), flow.map(l -> l.sourcesOf(column.name()).stream()
                    .map(ColumnSource::describe).toList()).orElse(List.of()));
        }
        return columns;
    }

    /** The product's last SLA evaluation, if any. */
    public Optional<LedgerRow> latestSla(ProductSpec product) {
        return rowsOf(SlaStatusTable.TABLE, product).stream()
                .max(Comparator.comparing(row -> row.instant("evaluated_at")));
    }

    private void sla(Context ctx) {
        ProductSpec product = readable(ctx);
        Optional<LedgerRow> latest = latestSla(product);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("product", product.id().toString());
        view.put("status", latest.map(row -> row.string("status")).orElse("unknown"));
        view.put("reasons", latest.map(row -> row.strings("reasons")).orElse(List.of()));
        view.put("evaluatedAt", latest.map(row -> row.instant("evaluated_at").toString()).orElse(null));
        view.put("lastSuccessAt", latest.map(row -> row.get("last_success_at")).map(Object::toString).orElse(null));
        view.put("qualityScore", latest.map(row -> row.get("quality_score")).orElse(null));
        Json.respond(ctx, 200, view);
    }

    private void history(Context ctx) {
        ProductSpec product = readable(ctx);
        int limit = limit(ctx, 20, 200);
        List<Map<String, Object>> runs = rowsOf(RunsTable.TABLE, product).stream()
                .sorted(Comparator.comparing((LedgerRow row) -> row.instant("started_at")).reversed()).limit(limit)
                .map(row -> {
                    Map<String, Object> run = new LinkedHashMap<>();
                    run.put("runId", row.string("run_id"));
                    run.put("status", row.string("status"));
                    run.put("startedAt", row.instant("started_at").toString());
                    run.put("finishedAt", row.instant("finished_at").toString());
                    run.put("rowsIn", row.number("rows_in"));
                    run.put("rowsOut", row.number("rows_out"));
                    run.put("rowsQuarantined", row.number("rows_quarantined"));
                    run.put("outputVersion", row.number("output_version"));
                    run.put("error", row.string("error"));
                    return run;
                }).toList();
        Json.respond(ctx, 200, Map.of("product", product.id().toString(), "runs", runs));
    }

    private void metrics(Context ctx) {
        ProductSpec product = readable(ctx);
        int limit = limit(ctx, 500, 5000);
        List<Map<String, Object>> metrics = rowsOf(QualityMetricsTable.TABLE, product).stream()
                .filter(row -> "metric".equals(row.string("row_type")))
                .sorted(Comparator.comparing((LedgerRow row) -> row.instant("recorded_at")).reversed()).limit(limit)
                .map(row -> {
                    Map<String, Object> metric = new LinkedHashMap<>();
                    metric.put("runId", row.string("run_id"));
                    metric.put("recordedAt", row.instant("recorded_at").toString());
                    metric.put("entity", row.string("entity"));
                    metric.put("instance", row.string("instance"));
                    metric.put("name", row.string("metric_name"));
                    metric.put("value", row.get("value"));
                    return metric;
                }).toList();
        Json.respond(ctx, 200, Map.of("product", product.id().toString(), "metrics", metrics));
    }

    /**
     * At most 100 rows of the published port. Outside the owning domain, columns classified {@code pii} are left out
     * whatever the port holds (a port published before a grant may hold them unprotected); an admin's read of them is
     * audited as {@code read_personal_data}.
     */
    private void preview(Context ctx) {
        ProductSpec product = readable(ctx);
        Preview preview = preview(ctx, product, limit(ctx, 20, MAX_PREVIEW));
        Json.respond(ctx, 200, Map.of("product", product.id().toString(), "published", preview.published(),
                "columns", preview.columns(), "rows", preview.rows(), "withheld", preview.withheld()));
    }

    /** At most {@code limit} rows of the published port as its reader may see them; {@code rows} are JSON objects. */
    public record Preview(boolean published, List<String> columns, List<Object> rows, List<String> withheld) {}

    /** The preview of {@code product}, which the principal may read (checked by the caller, as {@link #readable}). */
    public Preview preview(Context ctx, ProductSpec product, int limit) {
        Principal principal = requests.principal(ctx);
        Optional<Role> role = requests.roles().role(principal, product.domain());
        boolean inside = role.isPresent();
        List<String> personal = product.output().schema().stream()
                .filter(column -> ColumnSpec.PII.equals(column.classification())).map(ColumnSpec::name).toList();
        String path = zones.product(product.id());
        Preview read = readHead(path, personal, inside, limit);
        if (!read.published()) {
            return read;
        }
        List<Object> rows = read.rows();
        if (role.filter(r -> r == Role.ADMIN).isPresent() && !personal.isEmpty()) {
            requests.tables().append(AuditTable.TABLE, List.of(new AuditRecord(Instant.now(requests.clock()),
                    principal.name(), AuditRecord.Action.READ_PERSONAL_DATA, product.domain(),
                    product.id().toString(), product.hash(), null, "read", "api preview of " + rows.size()
                            + " rows with columns " + String.join(", ", personal), null)));
        }
        return read;
    }

    /**
     * The first rows of the port: through Delta Kernel, reading only the first file (no Spark job), or through Spark
     * when Kernel cannot read the table.
     */
    private Preview readHead(String path, List<String> personal, boolean inside, int limit) {
        KernelDeltaTable kernel = KernelDeltaTable.at(spark.sparkContext().hadoopConfiguration(), path);
        try {
            Optional<List<String>> columns = kernel.columns();
            if (columns.isEmpty()) {
                return new Preview(false, List.of(), List.of(), List.of());
            }
            List<String> withheld = inside ? List.of() : personal.stream().filter(columns.get()::contains).toList();
            List<String> shown = columns.get().stream().filter(column -> !withheld.contains(column)).toList();
            List<Object> rows = new ArrayList<>();
            for (Map<String, Object> row : kernel.head(limit)) {
                ObjectNode json = JSON.createObjectNode();
                shown.forEach(column -> json.set(column, JSON.valueToTree(plain(row.get(column)))));
                rows.add(json);
            }
            return new Preview(true, shown, rows, withheld);
        } catch (RuntimeException e) {
            LOG.debug("Kernel cannot read {} for a preview, Spark will: {}", path, e.toString());
        }
        if (!DeltaTables.exists(spark, path)) {
            return new Preview(false, List.of(), List.of(), List.of());
        }
        var table = spark.read().format("delta").load(path);
        List<String> withheld = inside ? List.of() : personal.stream()
                .filter(column -> List.of(table.columns()).contains(column)).toList();
        var shown = withheld.isEmpty() ? table : table.drop(withheld.toArray(new String[0]));
        List<Object> rows = new ArrayList<>();
        for (String json : shown.limit(limit).toJSON().collectAsList()) {
            try {
                rows.add(JSON.readTree(json));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("Spark wrote a row that is not JSON", e);
            }
        }
        return new Preview(true, List.of(shown.columns()), rows, withheld);
    }

    /** A value as JSON shows it: times and dates as ISO text, collections element by element. */
    private static Object plain(Object value) {
        if (value instanceof java.time.temporal.Temporal) {
            return value.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ProductDetailsApi::plain).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> plain = new LinkedHashMap<>();
            map.forEach((k, v) -> plain.put(String.valueOf(k), plain(v)));
            return plain;
        }
        return value;
    }

    private void feedback(Context ctx) {
        ProductSpec product = readable(ctx);
        ObjectNode body = Json.object(ctx, FEEDBACK_FIELDS);
        if (!body.path("rating").isInt()) {
            throw HttpProblem.badRequest("$.rating: a whole number from 1 (useless) to 5 (excellent)");
        }
        int rating = body.path("rating").intValue();
        giveFeedback(ctx, product, rating, Json.string(body, "comment"), Json.string(body, "from"));
        Json.respond(ctx, 201, Map.of("product", product.id().toString(), "rating", rating));
    }

    /** Records a rating (1 to 5) and comment of {@code product}, given for domain {@code from} if named. */
    public void giveFeedback(Context ctx, ProductSpec product, int rating, Optional<String> comment,
            Optional<String> from) {
        if (rating < 1 || rating > 5) {
            throw HttpProblem.badRequest("$.rating: a whole number from 1 (useless) to 5 (excellent)");
        }
        if (from.isPresent() && requests.roles().role(requests.principal(ctx), from.get()).isEmpty()) {
            throw HttpProblem.forbidden(requests.principal(ctx).name() + " does not speak for domain '"
                    + from.get() + "'");
        }
        if (comment.map(String::length).orElse(0) > 2000) {
            throw HttpProblem.badRequest("$.comment: at most 2000 characters");
        }
        requests.tables().append(FeedbackTable.TABLE, List.of(new Feedback(requests.clock().instant(), product.id(),
                from.orElse(null), rating, comment.filter(c -> !c.isBlank()).orElse(null))));
    }

    private ProductSpec readable(Context ctx) {
        return readable(ctx, requests.visibleProduct(ctx, ctx.pathParam("id")));
    }

    /** The product, if the principal may read its data (as a job of one of its domains may); 403 otherwise. */
    public ProductSpec readable(Context ctx, ProductSpec product) {
        Principal principal = requests.principal(ctx);
        if (!requests.roles().canRead(principal, product)) {
            String why = principal.name() + " may not read " + product.id() + ": none of its domains is granted it; "
                    + "ask for it (POST /api/v1/products/" + product.id() + "/access-requests)";
            requests.refused(principal, product.domain(), product.id().toString(), why);
            throw HttpProblem.forbidden(why);
        }
        return product;
    }

    /** The rows of a platform table that belong to {@code product}. */
    public List<LedgerRow> rowsOf(PlatformTable<?> table, ProductSpec product) {
        return requests.tables().rows(table, row -> product.domain().equals(row.string("domain"))
                && product.name().equals(row.string("product")));
    }

    private static int limit(Context ctx, int fallback, int max) {
        String text = ctx.queryParam("limit");
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw HttpProblem.badRequest("limit: a whole number from 1 to " + max);
    }
}
