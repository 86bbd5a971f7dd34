package dev.mesh.server.portal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.quality.feedback.FeedbackTable;
import dev.mesh.quality.sla.SlaStatusTable;
import dev.mesh.runtime.ledger.AccessRequests;
import dev.mesh.runtime.ledger.LedgerRow;
import dev.mesh.runtime.ledger.QualityMetricsTable;
import dev.mesh.runtime.ledger.RunsTable;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.server.api.AccessApi;
import dev.mesh.server.api.ProductDetailsApi;
import dev.mesh.server.api.Requests;
import dev.mesh.server.auth.DomainRoles;
import dev.mesh.server.auth.Principal;
import dev.mesh.server.auth.Role;
import dev.mesh.server.runs.ServerRun;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductInputSpec;
import dev.mesh.spec.model.ProductSpec;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the portal's pages from the same places the API answers from: the specs as served, the platform tables
 * (runs, SLA, quality metrics, feedback, access requests), the run queue, and the zones. Every list is cut to what
 * the signed-in principal may see, by the same {@link DomainRoles} the API uses.
 */
final class PortalData {
    static final int RUNS_SHOWN = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Requests requests;
    private final ProductDetailsApi details;
    private final AccessApi access;
    private final SparkSession spark;
    private final ZoneLayout zones;

    PortalData(Requests requests, ProductDetailsApi details, AccessApi access, SparkSession spark, ZoneLayout zones) {
        this.requests = requests;
        this.details = details;
        this.access = access;
        this.spark = spark;
        this.zones = zones;
    }

    /** The latest SLA row and last publication of every product, read once per page. */
    private record Ledger(Map<ProductId, LedgerRow> sla, Map<ProductId, Instant> published,
            Map<ProductId, LedgerRow> lastRun) {}

    private Ledger ledger() {
        Map<ProductId, LedgerRow> sla = new HashMap<>();
        requests.tables().scan(SlaStatusTable.TABLE, row -> {
            ProductId id = new ProductId(row.string("domain"), row.string("product"));
            LedgerRow seen = sla.get(id);
            if (seen == null || row.instant("evaluated_at").isAfter(seen.instant("evaluated_at"))) {
                sla.put(id, row);
            }
        });
        Map<ProductId, Instant> published = new HashMap<>();
        Map<ProductId, LedgerRow> lastRun = new HashMap<>();
        requests.tables().scan(RunsTable.TABLE, row -> {
            ProductId id = new ProductId(row.string("domain"), row.string("product"));
            if ("PUBLISHED".equals(row.string("status"))) {
                published.merge(id, row.instant("finished_at"), (a, b) -> a.isAfter(b) ? a : b);
            }
            LedgerRow seen = lastRun.get(id);
            if (seen == null || row.instant("started_at").isAfter(seen.instant("started_at"))) {
                lastRun.put(id, row);
            }
        });
        return new Ledger(sla, published, lastRun);
    }

    private Pages.Card card(Principal principal, DomainRoles roles, ProductSpec product, Ledger ledger) {
        Optional<LedgerRow> sla = Optional.ofNullable(ledger.sla().get(product.id()));
        return new Pages.Card(product.id().toString(), product.domain(), product.description(), product.owner(),
                product.version(), product.access().visibility().name().toLowerCase(Locale.ROOT),
                Optional.ofNullable(ledger.published().get(product.id())).map(PortalData::time).orElse(""),
                sla.map(row -> row.decimal("quality_score")).map(PortalData::percent).orElse(""),
                sla.map(row -> row.string("status").toLowerCase(Locale.ROOT)).orElse("unknown"),
                sla.map(row -> String.join("; ", row.strings("reasons"))).orElse(""),
                roles.canRead(principal, product));
    }

    Pages.Catalog catalog(Context ctx, Pages.Frame frame) {
        MeshSpec mesh = requests.mesh();
        Principal principal = requests.principal(ctx);
        DomainRoles roles = requests.roles();
        String q = param(ctx, "q");
        String domain = param(ctx, "domain");
        String visibility = param(ctx, "visibility");
        String sla = param(ctx, "sla");
        boolean readable = "on".equals(ctx.queryParam("readable"));
        Ledger ledger = ledger();
        List<ProductSpec> seen = mesh.products().stream().filter(p -> roles.canSee(principal, p)).toList();
        List<Pages.Card> cards = seen.stream()
                .filter(p -> domain.isEmpty() || p.domain().equals(domain))
                .filter(p -> matches(p, q))
                .map(p -> card(principal, roles, p, ledger))
                .filter(c -> visibility.isEmpty() || c.visibility().equals(visibility))
                .filter(c -> sla.isEmpty() || c.sla().equals(sla))
                .filter(c -> !readable || c.readable())
                .toList();
        return new Pages.Catalog(frame, q, domain, visibility, sla, readable,
                mesh.domains().stream().map(DomainSpec::name).toList(), cards, seen.size());
    }

    /** Search as a person types: name, description, owner, tags, column names and docs, ignoring case. */
    private static boolean matches(ProductSpec product, String q) {
        if (q.isBlank()) {
            return true;
        }
        String text = (product.id() + " " + product.description() + " " + product.owner() + " "
                + String.join(" ", product.tags()) + " " + product.output().schema().stream()
                        .map(c -> c.name() + " " + c.description()).collect(Collectors.joining(" ")))
                .toLowerCase(Locale.ROOT);
        for (String word : q.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
            if (!text.contains(word)) {
                return false;
            }
        }
        return true;
    }

    Pages.Product product(Context ctx, Pages.Frame frame, ProductSpec product) {
        MeshSpec mesh = requests.mesh();
        Principal principal = requests.principal(ctx);
        DomainRoles roles = requests.roles();
        Optional<Role> role = roles.role(principal, product.domain());
        // this product's runs and SLA rows, read once: the card and the sections below share them
        List<LedgerRow> runRows = details.rowsOf(RunsTable.TABLE, product);
        Optional<LedgerRow> sla = details.latestSla(product);
        Map<ProductId, LedgerRow> slaOf = new HashMap<>();
        sla.ifPresent(row -> slaOf.put(product.id(), row));
        Map<ProductId, Instant> publishedOf = new HashMap<>();
        runRows.stream().filter(row -> "PUBLISHED".equals(row.string("status"))).map(row -> row.instant("finished_at"))
                .max(Comparator.naturalOrder()).ifPresent(at -> publishedOf.put(product.id(), at));
        Pages.Card card = card(principal, roles, product, new Ledger(slaOf, publishedOf, Map.of()));
        boolean readable = card.readable();
        String path = zones.product(product.id());
        Map<String, List<String>> sources = ProductDetailsApi.columnSources(mesh, product);
        List<Pages.RunRow> runs = List.of();
        List<Pages.Check> checks = List.of();
        String checksOf = "";
        List<Pages.Series> series = List.of();
        List<Pages.Feedback> feedback = List.of();
        String rating = "";
        List<String> reasons = List.of();
        String evaluated = "";
        Pages.Preview preview = new Pages.Preview(false, false, List.of(), List.of(), List.of());
        if (readable) {
            runs = runRows.stream()
                    .sorted(Comparator.comparing((LedgerRow row) -> row.instant("started_at")).reversed())
                    .limit(RUNS_SHOWN).map(PortalData::runRow).toList();
            List<LedgerRow> quality = details.rowsOf(QualityMetricsTable.TABLE, product);
            Optional<String> lastChecked = quality.stream().filter(r -> "constraint".equals(r.string("row_type")))
                    .max(Comparator.comparing(r -> r.instant("recorded_at"))).map(r -> r.string("run_id"));
            checks = lastChecked.map(run -> quality.stream().filter(r -> run.equals(r.string("run_id"))
                    && "constraint".equals(r.string("row_type"))).map(PortalData::check).toList()).orElse(List.of());
            checksOf = lastChecked.orElse("");
            series = series(quality);
            List<LedgerRow> given = details.rowsOf(FeedbackTable.TABLE, product).stream()
                    .sorted(Comparator.comparing((LedgerRow row) -> row.instant("recorded_at")).reversed()).toList();
            feedback = given.stream().limit(10).map(row -> new Pages.Feedback(time(row.instant("recorded_at")),
                    Optional.ofNullable(row.string("from_domain")).orElse(""), rating(row),
                    Optional.ofNullable(row.string("comment")).orElse(""))).toList();
            rating = given.isEmpty() ? "" : String.format(Locale.ROOT, "%.1f of 5 from %d ratings",
                    given.stream().mapToInt(PortalData::rating).average().orElse(0), given.size());
            reasons = sla.map(row -> row.strings("reasons")).orElse(List.of());
            evaluated = sla.map(row -> time(row.instant("evaluated_at"))).orElse("");
            ProductDetailsApi.Preview shown = details.preview(ctx, product, 10);
            preview = new Pages.Preview(true, shown.published(), shown.columns(), shown.rows().stream()
                    .map(row -> shown.columns().stream().map(column -> text(((com.fasterxml.jackson.databind
                            .JsonNode) row).get(column))).toList()).toList(), shown.withheld());
        }
        List<AccessRequests.Request> requestsOf = access.concerning(ctx).stream()
                .filter(r -> r.product().equals(product.id())).toList();
        boolean canDecide = role.filter(r -> r.includes(Role.OWNER)).isPresent();
        List<Pages.Request> grants = requestsOf.stream().filter(r -> r.state() == AccessRequests.State.APPROVED)
                .map(PortalData::request).toList();
        List<Pages.Request> pending = requestsOf.stream().filter(r -> r.state() == AccessRequests.State.PENDING)
                .map(PortalData::request).toList();
        Set<String> mine = roles.domains(principal);
        List<String> askFor = mine.stream().filter(d -> !product.access().allows(product.domain(), d)).toList();
        boolean asked = requestsOf.stream().anyMatch(r -> r.state() == AccessRequests.State.PENDING
                && mine.contains(r.consumer()));
        List<String> consumers = new ArrayList<>(new LinkedHashSet<>(product.access().consumers()));
        Pages.Quarantine quarantine = new Pages.Quarantine(false, 0, List.of());
        if (role.isPresent()) {
            var held = requests.tables().quarantine(product.id(), Optional.empty(), 10);
            quarantine = new Pages.Quarantine(true, held.total(), held.records().stream().map(r ->
                    new Pages.Quarantined(time(r.quarantinedAt()), r.runId(), r.input(), r.file() == null ? ""
                            : r.file().substring(r.file().lastIndexOf('/') + 1), String.join("; ", r.reasons()),
                            r.record())).toList());
        }
        return new Pages.Product(frame, card, product.id().name(), product.transform().template(),
                product.output().mode().name().toLowerCase(Locale.ROOT), String.join(", ", product.output().keys()),
                path, "spark.read.format(\"delta\").load(\"" + path + "\")",
                "mesh sql \"SELECT * FROM " + product.id() + " LIMIT 10\"", columns(product, sources), reasons,
                evaluated, runs, checks, checksOf, series, graph(mesh, product), consumers, grants, pending, feedback,
                rating, preview, role.filter(r -> r.includes(Role.MEMBER)).isPresent(), canDecide, askFor,
                List.copyOf(mine), asked, quarantine);
    }

    Pages.ColumnView columns(Pages.Frame frame, ProductSpec product) {
        MeshSpec mesh = requests.mesh();
        return new Pages.ColumnView(frame, product.id().toString(), columns(product,
                ProductDetailsApi.columnSources(mesh, product)), product.inputs().stream().map(PortalData::describe)
                .toList(), graph(mesh, product));
    }

    private static List<Pages.Column> columns(ProductSpec product, Map<String, List<String>> sources) {
        return product.output().schema().stream().map(column -> new Pages.Column(column.name(), column.type(),
                column.required(), product.output().keys().contains(column.name()), column.description(),
                Optional.ofNullable(column.classification()).orElse(""),
                column.protection() == ColumnSpec.Protection.NONE ? "" : column.protection().name()
                        .toLowerCase(Locale.ROOT), sources.getOrDefault(column.name(), List.of()))).toList();
    }

    /**
     * The lineage graph as the chart script draws it: sources and products upstream (left), this product, and the
     * products that read it (right); each node links to its product's column view.
     */
    private static String graph(MeshSpec mesh, ProductSpec product) {
        ObjectNode graph = JSON.createObjectNode();
        ArrayNode nodes = graph.putArray("nodes");
        ArrayNode links = graph.putArray("links");
        String self = product.id().toString();
        node(nodes, self, "product", 1, 0, "/portal/products/" + self + "/lineage");
        int up = 0;
        for (InputSpec input : product.inputs()) {
            String name;
            String kind;
            String href = "";
            if (input instanceof ProductInputSpec read) {
                name = read.product().toString();
                kind = "upstream";
                href = "/portal/products/" + name + "/lineage";
            } else {
                name = describe(input);
                kind = "source";
            }
            node(nodes, name, kind, 0, up++, href);
            links.addObject().put("source", name).put("target", self);
        }
        int down = 0;
        for (String reader : mesh.readersOf(product.id()).stream().map(r -> r.consumer().id().toString())
                .distinct().toList()) {
            node(nodes, reader, "consumer", 2, down++, "/portal/products/" + reader + "/lineage");
            links.addObject().put("source", self).put("target", reader);
        }
        return graph.toString();
    }

    private static void node(ArrayNode nodes, String name, String kind, int layer, int index, String href) {
        nodes.addObject().put("name", name).put("kind", kind).put("x", layer * 300).put("y", index * 70)
                .put("href", href);
    }

    private static String describe(InputSpec input) {
        if (input instanceof ProductInputSpec read) {
            return read.product().toString();
        }
        if (input instanceof FileInputSpec files) {
            return "source " + files.source();
        }
        return input.name() + " (" + input.getClass().getSimpleName().replace("InputSpec", "").toLowerCase(
                Locale.ROOT) + ")";
    }

    /** One chart per metric (entity, instance, name) over time; points whose run failed a check on it are marked. */
    private static List<Pages.Series> series(List<LedgerRow> quality) {
        Set<String> failed = new java.util.HashSet<>();
        for (LedgerRow row : quality) {
            if ("constraint".equals(row.string("row_type")) && "failed".equals(row.string("status"))) {
                failed.add(row.string("run_id") + "|" + row.string("metric_name") + "|" + row.string("instance"));
            }
        }
        Map<String, List<LedgerRow>> byMetric = new LinkedHashMap<>();
        quality.stream().filter(row -> "metric".equals(row.string("row_type")) && row.get("value") != null)
                .sorted(Comparator.comparing(row -> row.instant("recorded_at")))
                .forEach(row -> byMetric.computeIfAbsent(row.string("metric_name") + " of "
                        + row.string("instance"), key -> new ArrayList<>()).add(row));
        List<Pages.Series> series = new ArrayList<>();
        for (Map.Entry<String, List<LedgerRow>> metric : byMetric.entrySet()) {
            ObjectNode json = JSON.createObjectNode().put("title", metric.getKey());
            ArrayNode points = json.putArray("points");
            ArrayNode anomalies = json.putArray("anomalies");
            for (LedgerRow row : metric.getValue()) {
                long at = row.instant("recorded_at").toEpochMilli();
                double value = row.decimal("value");
                points.addArray().add(at).add(value);
                if (failed.contains(row.string("run_id") + "|" + row.string("metric_name") + "|"
                        + row.string("instance"))) {
                    anomalies.addArray().add(at).add(value);
                }
            }
            series.add(new Pages.Series(metric.getKey(), json.toString()));
        }
        return series;
    }

    Pages.Domain domain(Context ctx, Pages.Frame frame, DomainSpec domain) {
        MeshSpec mesh = requests.mesh();
        Principal principal = requests.principal(ctx);
        DomainRoles roles = requests.roles();
        Optional<Role> role = roles.role(principal, domain.name());
        Ledger ledger = ledger();
        List<Pages.Card> products = mesh.products().stream().filter(p -> p.domain().equals(domain.name()))
                .filter(p -> roles.canSee(principal, p)).map(p -> card(principal, roles, p, ledger)).toList();
        List<Pages.Request> pending = role.isEmpty() ? List.of() : access.concerning(ctx).stream()
                .filter(r -> r.product().domain().equals(domain.name()) && r.state() == AccessRequests.State.PENDING)
                .map(PortalData::request).toList();
        List<String> findings = mesh.policies().findings().stream().filter(f -> f.domain().equals(domain.name()))
                .map(Object::toString).toList();
        return new Pages.Domain(frame, domain.name(), role.map(Role::label).orElse(""), domain.owners(),
                domain.members(), products, pending, findings, role.isPresent() ? zoneUsage(domain.name()) : "");
    }

    /** Bytes under the domain's zone, through Hadoop's file system (the local disk or S3 alike). */
    private String zoneUsage(String domain) {
        try {
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(zones.domain(domain));
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(root)) {
                return "nothing stored yet";
            }
            var summary = fs.getContentSummary(root);
            return bytes(summary.getLength()) + " in " + summary.getFileCount() + " files";
        } catch (IOException | RuntimeException e) {
            return "cannot be measured now (" + e.getClass().getSimpleName() + ")";
        }
    }

    Pages.Platform platform(Context ctx, Pages.Frame frame, List<ServerRun> queue) {
        MeshSpec mesh = requests.mesh();
        Principal principal = requests.principal(ctx);
        DomainRoles roles = requests.roles();
        Ledger ledger = ledger();
        List<Pages.Card> breaches = mesh.products().stream().map(p -> card(principal, roles, p, ledger))
                .filter(c -> c.sla().equals("breached")).toList();
        // one scan of the runs table gives both the cards' last publications and each product's last run
        List<Pages.RunRow> failing = ledger.lastRun().values().stream().filter(row -> row.number("checks_failed") > 0
                || "BLOCKED".equals(row.string("status")) || "FAILED".equals(row.string("status")))
                .sorted(Comparator.comparing((LedgerRow row) -> row.instant("started_at")).reversed())
                .map(PortalData::runRow).toList();
        List<Pages.QueuedRun> waiting = queue.stream().filter(run -> !run.done()).map(PortalData::queued).toList();
        var governance = mesh.policies().governance();
        return new Pages.Platform(frame, breaches, failing, waiting,
                governance.map(g -> g.version()).orElse("no governance file"),
                governance.map(g -> g.currentVersionApproved()).orElse(true),
                governance.map(g -> g.approvals() + " of " + g.requiredApprovals() + " required").orElse(""),
                governance.map(g -> g.approvedBy()).orElse(List.of()));
    }

    /**
     * The runs recorded in {@code _platform/runs} of the principal's domains, from every entry point (this server,
     * the CLI, spark-submit, a scheduler), newest first.
     */
    List<Pages.RunRow> recordedRuns(Context ctx, String product, String status, int limit) {
        Principal principal = requests.principal(ctx);
        DomainRoles roles = requests.roles();
        Set<String> domains = roles.domains(principal);
        return requests.tables().rows(RunsTable.TABLE, row -> domains.contains(row.string("domain"))
                        && (product.isEmpty() || (row.string("domain") + "." + row.string("product")).contains(product))
                        && (status.isEmpty() || status.equalsIgnoreCase(row.string("status")))).stream()
                .sorted(Comparator.comparing((LedgerRow row) -> row.instant("started_at")).reversed()).limit(limit)
                .map(PortalData::runRow).toList();
    }

    static Pages.QueuedRun queued(ServerRun run) {
        return new Pages.QueuedRun(run.id(), run.product().toString(), run.state().name().toLowerCase(Locale.ROOT),
                run.principal(), time(run.queuedAt()), run.startedAt().map(PortalData::time).orElse(""),
                run.result().map(r -> r.status().name()).or(run::endNote).orElse(""));
    }

    static Pages.RunRow runRow(LedgerRow row) {
        return new Pages.RunRow(row.string("run_id"), row.string("domain") + "." + row.string("product"),
                row.string("status"), time(row.instant("started_at")), seconds(row.number("duration_ms")),
                row.number("rows_in"), row.number("rows_out"), row.number("rows_quarantined"),
                row.number("checks_passed"), row.number("checks_failed"),
                Optional.ofNullable(row.string("error")).orElse(""));
    }

    private static Pages.Check check(LedgerRow row) {
        Double value = row.decimal("value");
        return new Pages.Check(row.string("constraint"), Optional.ofNullable(row.string("level")).orElse(""),
                "passed".equals(row.string("status")), value == null ? "" : number(value),
                Optional.ofNullable(row.string("message")).orElse(""));
    }

    private static Pages.Request request(AccessRequests.Request r) {
        return new Pages.Request(r.id(), r.product().toString(), r.consumer(), r.purpose(),
                r.state().name().toLowerCase(Locale.ROOT), r.requestedBy(), time(r.requestedAt()),
                r.decidedBy().orElse(""));
    }

    private static int rating(LedgerRow row) {
        return ((Number) row.get("rating")).intValue();
    }

    /** The time of day, to the second (UTC), for what happens within a run. */
    static String clock(Instant at) {
        return CLOCK.format(at);
    }

    static String time(Instant at) {
        return TIME.format(at);
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.4g", value);
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String elapsed(Duration duration) {
        return seconds(duration.toMillis());
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode value) {
        return value == null || value.isNull() ? "" : value.isValueNode() ? value.asText() : value.toString();
    }

    private static String param(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null ? "" : value.length() > 200 ? value.substring(0, 200) : value.strip();
    }
}
