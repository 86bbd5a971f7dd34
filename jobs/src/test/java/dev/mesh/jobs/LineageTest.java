package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.mesh.jobs.standards.StandardSchemas;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenLineage events of real runs, sent to a file and to an HTTP server on loopback (and to a dead one, which must
 * not matter), each validated against the OpenLineage JSON schema and its facet schemas.
 */
class LineageTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String API_KEY = "ol-key-7f3a9c";

    @TempDir
    Path dir;
    HttpServer server;
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void lineageServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/lineage", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            received.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void everyRunEmitsValidStartAndEndEventsToEveryWorkingTransport() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        ProductYaml.product("shop", "daily").reads("orders", "shop.orders")
                .sql("SELECT count(*) AS orders, max(upper(status)) AS top_status FROM orders WHERE amount > 0")
                .schema("{ name: orders, type: bigint, description: orders seen so far }",
                        "{ name: top_status, type: string }").writeTo(mesh);
        ProductYaml.product("shop", "refunds").files("pos", "{ source: pos.refunds, format: csv, path: none }")
                .schema("{ name: refund_id, type: bigint }").writeTo(mesh);
        mesh.write("domains/shop/domain.yaml", TestMesh.SHOP_DOMAIN
                + "  - { name: pos.refunds, landing: refunds }\n");
        Path events = dir.resolve("lineage/events.jsonl");
        mesh.write("platform.yaml", Files.readString(mesh.platformFile()) + """
                lineage:
                  namespace: shop-mesh
                  transports:
                    - { type: file, path: lineage/events.jsonl }
                    - { type: http, url: "http://127.0.0.1:%d", apiKeyEnv: LINEAGE_KEY }
                    - { type: http, url: "http://127.0.0.1:%d", timeout: PT4S }
                """.formatted(server.getAddress().getPort(), deadPort));
        Map<String, String> env = Map.of("LINEAGE_KEY", API_KEY);

        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,5.50,PAID\n");
        CliHarness.Result first = run(mesh, env, "run", "shop.orders", "shop.daily");
        assertThat(first.exitCode()).as(first.err()).isZero();
        mesh.land("shop", "orders", "day2.csv", "order_id,amount,status\n3,7.00,LOST\n");
        CliHarness.Result blocked = run(mesh, env, "run", "shop.orders");
        assertThat(blocked.exitCode()).isEqualTo(3);
        CliHarness.Result failed = run(mesh, env, "run", "shop.refunds");
        assertThat(failed.exitCode()).isEqualTo(2);

        List<JsonNode> written = new ArrayList<>();
        for (String line : Files.readAllLines(events)) {
            written.add(JSON.readTree(line));
        }
        assertThat(written).extracting(e -> e.get("job").get("name").asText() + " " + e.get("eventType").asText())
                .containsExactly("shop.orders START", "shop.orders COMPLETE", "shop.daily START",
                        "shop.daily COMPLETE", "shop.orders START", "shop.orders ABORT", "shop.refunds START",
                        "shop.refunds FAIL");
        assertThat(received).containsExactlyElementsOf(written);
        assertThat(authorizations).containsOnly("Bearer " + API_KEY);
        assertThat(written).allSatisfy(e -> assertThat(e.get("job").get("namespace").asText())
                .isEqualTo("shop-mesh"));

        StandardSchemas schemas = StandardSchemas.openLineageShared();
        for (JsonNode event : written) {
            assertThat(schemas.eventProblems(event)).as(event.toPrettyString()).isEmpty();
            assertThat(event.toString()).doesNotContain(API_KEY);
        }
        // the validation can fail: an event without its time, a facet the wrong shape
        com.fasterxml.jackson.databind.node.ObjectNode broken = written.get(1).deepCopy();
        broken.remove("eventTime");
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.get("outputs").get(0).get("facets").get("schema"))
                .put("fields", "order_id");
        assertThat(schemas.eventProblems(broken)).anyMatch(p -> p.contains("eventTime"))
                .anyMatch(p -> p.contains("schema"));

        // run ids are the platform's, paired START/end; the parent is the invocation, shared within one command
        Set<String> ledger = QualityGateTest.table(mesh, "_platform/runs").select("run_id").collectAsList().stream()
                .map(row -> row.getString(0)).collect(Collectors.toSet());
        for (int i = 0; i < written.size(); i += 2) {
            String runId = runId(written.get(i));
            assertThat(runId(written.get(i + 1))).isEqualTo(runId);
            assertThat(ledger).contains(runId);
        }
        assertThat(parent(written.get(0))).isEqualTo(parent(written.get(3)));
        assertThat(parent(written.get(4))).isNotEqualTo(parent(written.get(0)));
        assertThat(written.get(0).get("run").get("facets").get("parent").get("job").get("name").asText())
                .isEqualTo("invocation");

        // the orders run: landing files in, product out, with schema, version, owner and the gate's verdicts
        JsonNode ordersDone = written.get(1);
        JsonNode landing = ordersDone.get("inputs").get(0);
        assertThat(landing.get("namespace").asText()).isEqualTo("file");
        assertThat(landing.get("name").asText()).isEqualTo(mesh.zones().resolve("shop/landing/orders").toString());
        assertThat(landing.get("inputFacets").get("inputStatistics").get("rowCount").asLong()).isEqualTo(2);
        JsonNode orders = ordersDone.get("outputs").get(0);
        assertThat(orders.get("name").asText()).isEqualTo(mesh.zones().resolve("shop/products/orders").toString());
        assertThat(orders.get("facets").get("symlinks").get("identifiers").get(0).get("name").asText())
                .isEqualTo("shop.orders");
        assertThat(orders.get("facets").get("schema").get("fields")).extracting(f -> f.get("name").asText()
                + " " + f.get("type").asText()).containsExactly("order_id bigint", "amount decimal(10,2)",
                "status string");
        String ordersVersion = orders.get("facets").get("version").get("datasetVersion").asText();
        JsonNode verdicts = orders.get("facets").get("dataQualityAssertions").get("assertions");
        assertThat(verdicts).isNotEmpty().allSatisfy(a -> assertThat(a.get("success").asBoolean()).isTrue());
        assertThat(verdicts.toString()).contains("allowedValues(status)");
        assertThat(orders.get("facets").get("dataQualityMetrics").get("rowCount").asLong()).isEqualTo(2);
        assertThat(orders.get("outputFacets").get("outputStatistics").get("rowCount").asLong()).isEqualTo(2);
        assertThat(ordersDone.get("job").get("facets").get("ownership").get("owners").get(0).get("name").asText())
                .isEqualTo("shop@example.com");

        // the consumer read the version the producer had just published, and says so
        JsonNode dailyDone = written.get(3);
        JsonNode upstream = dailyDone.get("inputs").get(0);
        assertThat(upstream.get("name").asText()).isEqualTo(orders.get("name").asText());
        assertThat(upstream.get("facets").get("version").get("datasetVersion").asText()).isEqualTo(ordersVersion);
        assertThat(upstream.get("facets").get("symlinks").get("identifiers").get(0).get("name").asText())
                .isEqualTo("shop.orders");
        JsonNode dailyField = dailyDone.get("outputs").get(0).get("facets").get("schema").get("fields").get(0);
        assertThat(dailyField.get("description").asText()).isEqualTo("orders seen so far");
        // column lineage, from the plan the run analysed: the columns each output column derives from, and those
        // that decide its rows
        JsonNode columns = dailyDone.get("outputs").get(0).get("facets").get("columnLineage");
        assertThat(columns.get("fields").get("orders").get("inputFields")).isEmpty();
        JsonNode topStatus = columns.get("fields").get("top_status").get("inputFields");
        assertThat(topStatus).hasSize(1);
        assertThat(topStatus.get(0).get("namespace").asText()).isEqualTo(orders.get("namespace").asText());
        assertThat(topStatus.get(0).get("name").asText()).isEqualTo(orders.get("name").asText());
        assertThat(topStatus.get(0).get("field").asText()).isEqualTo("status");
        assertThat(topStatus.get(0).get("transformations").get(0).toString())
                .isEqualTo("{\"type\":\"DIRECT\",\"subtype\":\"AGGREGATION\"}");
        assertThat(columns.get("dataset")).extracting(f -> f.get("field").asText() + " "
                + f.get("transformations").get(0).get("type").asText() + " "
                + f.get("transformations").get(0).get("subtype").asText()).containsExactly("amount INDIRECT FILTER");
        JsonNode ingested = orders.get("facets").get("columnLineage").get("fields");
        assertThat(ingested.fieldNames()).toIterable().containsExactly("order_id", "amount", "status");
        assertThat(ingested.get("amount").get("inputFields").get(0).get("name").asText())
                .isEqualTo(landing.get("name").asText());
        assertThat(ingested.get("amount").get("inputFields").get(0).get("field").asText()).isEqualTo("amount");

        // a blocked gate aborts with the failing verdict and no new version; a failure carries its message
        JsonNode aborted = written.get(5);
        assertThat(aborted.get("outputs").get(0).get("facets").has("version")).isFalse();
        assertThat(aborted.get("outputs").get(0).get("facets").get("dataQualityAssertions").get("assertions"))
                .anySatisfy(a -> assertThat(a.get("success").asBoolean()).isFalse());
        assertThat(written.get(7).get("run").get("facets").get("errorMessage").get("message").asText())
                .contains("no files to ingest");

        List<Row> published = QualityGateTest.table(mesh, "shop/products/orders").collectAsList();
        assertThat(published).hasSize(2);

        // --output json carries the same lineage
        CliHarness.Result json = run(mesh, env, "run", "shop.daily", "--full-refresh", "--output", "json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode line = JSON.readTree(json.out().strip().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(line.get("columns").get("top_status").toString())
                .isEqualTo("[{\"input\":\"orders\",\"column\":\"status\",\"how\":\"aggregation\"}]");
        assertThat(line.get("rows_decided_by").toString())
                .isEqualTo("[{\"input\":\"orders\",\"column\":\"amount\",\"how\":\"filter\"}]");

        // mesh lineage: the graph from the specs, with what the last published runs read
        CliHarness.Result daily = run(mesh, env, "lineage", "shop.daily");
        assertThat(daily.exitCode()).as(daily.err()).isZero();
        assertThat(daily.out()).contains("upstream:\n  <- shop.orders (product, input 'orders'; the last published "
                + "run read version " + ordersVersion + ")\n    <- source pos.orders (csv files, input 'pos') at "
                + "file:" + mesh.zones().resolve("shop/landing/orders") + ";")
                .contains("; the last published run read 2 records")
                .contains("downstream:\n  (none)");
        CliHarness.Result ordersLineage = run(mesh, env, "lineage", "shop.orders");
        assertThat(ordersLineage.out()).contains("downstream:\n  -> shop.daily (reads shop.orders as 'orders'; its "
                + "last published run read version " + ordersVersion + ")");
        assertThat(run(mesh, env, "lineage", "shop.nothing").exitCode()).isEqualTo(2);
    }

    private static String runId(JsonNode event) {
        return UUID.fromString(event.get("run").get("runId").asText()).toString();
    }

    private static String parent(JsonNode event) {
        return event.get("run").get("facets").get("parent").get("run").get("runId").asText();
    }

    private static CliHarness.Result run(TestMesh mesh, Map<String, String> env, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--platform";
        all[1] = mesh.platformFile().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliHarness.runAt(Clock.systemUTC(), env, all);
    }
}
