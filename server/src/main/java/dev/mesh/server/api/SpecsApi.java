package dev.mesh.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.runtime.run.SchemaCompatibility;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.server.auth.Role;
import dev.mesh.server.http.HttpProblem;
import dev.mesh.server.http.Json;
import dev.mesh.spec.SpecLoad;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.PolicyFinding;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.SpecProblem;
import dev.mesh.spec.yaml.YamlDocument;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * {@code POST /api/v1/specs/check}: what a pull request's CI calls with a proposed product spec. The answer is the
 * mesh as it would be with it: every problem validation finds (in that file and in the ones it breaks), the policy
 * findings, and the spec against the contract the product is published under (breaking changes, the downstream
 * columns they break, consumers pinned to the old major). Nothing is written.
 */
public final class SpecsApi {
    private static final Set<String> FIELDS = Set.of("spec");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final Requests requests;
    private final BiFunction<Path, String, SpecLoad> proposing;
    private final SparkSession spark;
    private final ZoneLayout zones;

    public SpecsApi(Requests requests, BiFunction<Path, String, SpecLoad> proposing, SparkSession spark,
            ZoneLayout zones) {
        this.requests = requests;
        this.proposing = proposing;
        this.spark = spark;
        this.zones = zones;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/specs/check", this::check);
    }

    private void check(Context ctx) {
        ObjectNode body = Json.object(ctx, FIELDS);
        String text = Json.string(body, "spec").orElseThrow(() -> HttpProblem.badRequest(
                "$.spec: the proposed product spec, as the text of its YAML file"));
        ProductId id = productOf(text);
        MeshSpec current = requests.mesh();
        if (current.domain(id.domain()).isEmpty()) {
            throw HttpProblem.badRequest("$.spec: domain '" + id.domain() + "' is not in the mesh");
        }
        requests.requireRole(ctx, id.domain(), Role.MEMBER, "propose a spec for " + id, id.toString());
        Path file = specFile(current, id);
        SpecLoad load = proposing.apply(file, text);

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("product", id.toString());
        answer.put("file", current.platform().domainsDir().relativize(file).toString());
        answer.put("valid", load.mesh().isPresent());
        answer.put("problems", load.problems().stream().map(SpecsApi::problem).toList());
        List<Map<String, Object>> findings = new ArrayList<>();
        for (PolicyFinding finding : load.policies().findings()) {
            Map<String, Object> one = new LinkedHashMap<>(problem(finding.location()));
            one.put("rule", finding.ruleId());
            one.put("severity", finding.severity().name().toLowerCase(Locale.ROOT));
            findings.add(one);
        }
        answer.put("policies", findings);
        Map<String, Object> compatibility = new LinkedHashMap<>();
        Optional<ProductSpec> proposed = load.mesh().flatMap(mesh -> mesh.product(id));
        if (proposed.isPresent()) {
            SchemaCompatibility.Verdict verdict = SchemaCompatibility.judge(spark, zones.product(id), proposed.get(),
                    load.mesh().get());
            compatibility.put("compatible", verdict.refusal().isEmpty());
            compatibility.put("breaking", verdict.breaking());
            compatibility.put("downstream", verdict.downstream());
            compatibility.put("refusal", verdict.refusal().orElse(null));
        } else {
            compatibility.put("compatible", null);
            compatibility.put("breaking", List.of());
            compatibility.put("downstream", List.of());
            compatibility.put("refusal", "not judged: the specs are not valid with this change");
        }
        answer.put("compatibility", compatibility);
        answer.put("ok", load.mesh().isPresent() && compatibility.get("compatible") == Boolean.TRUE);
        Json.respond(ctx, 200, answer);
    }

    /** The product a spec declares, from its {@code domain} and {@code name}; 400 if it names none. */
    private static ProductId productOf(String text) {
        YamlDocument document = YamlDocument.parse("proposed spec", text.getBytes(StandardCharsets.UTF_8),
                new ArrayList<>());
        boolean map = document.root().isMap();
        String domain = map ? document.root().optionalString("domain").orElse("") : "";
        String name = map ? document.root().optionalString("name").orElse("") : "";
        if (!NAME.matcher(domain).matches() || !NAME.matcher(name).matches()) {
            throw HttpProblem.badRequest("$.spec: a product spec names its domain and name (lower case letters, "
                    + "digits and _), e.g. domain: sales and name: orders");
        }
        return new ProductId(domain, name);
    }

    /** Where the spec lives, or would: its existing file (.yaml or .yml), else {@code NAME.yaml}. */
    private static Path specFile(MeshSpec mesh, ProductId id) {
        Optional<ProductSpec> existing = mesh.product(id);
        if (existing.isPresent()) {
            return existing.get().file().toAbsolutePath().normalize();
        }
        Path folder = mesh.platform().domainsDir().resolve(id.domain()).resolve("products");
        Path yml = folder.resolve(id.name() + ".yml");
        return (Files.exists(yml) ? yml : folder.resolve(id.name() + ".yaml")).toAbsolutePath().normalize();
    }

    private static Map<String, Object> problem(SpecProblem problem) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("file", problem.file());
        view.put("field", problem.path());
        view.put("line", problem.line());
        view.put("message", problem.message());
        return view;
    }
}
