package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.spec.testing.TestMesh;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mesh serve} (a child JVM, the packaged jar) killed with SIGKILL while a run it was asked for is going and
 * two more wait in its queue: started again, it records the killed run UNFINISHED, runs the two that waited, and the
 * product holds every landed row exactly once. Then SIGTERM while a run is going: the run finishes and is recorded.
 */
class ServeKillIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("mesh serve: http://127\\.0\\.0\\.1:(\\d+)/api/v1");
    private static final int ROWS = 20_000;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aServerKilledMidRunLosesAndDuplicatesNothingAndRunsWhatWasQueued() throws Exception {
        TestMesh mesh = ShopMesh.csvOrders(dir, "merge", ", options: { header: \"true\" }");
        mesh.write("platform.yaml", Files.readString(mesh.platformFile())
                + "server:\n  concurrentRuns: 1\n  queuedPerPrincipal: 5\n");
        StringBuilder csv = new StringBuilder("order_id,amount,status\n");
        for (int id = 1; id <= ROWS; id++) {
            csv.append(id).append(',').append(id % 100).append(".25,NEW\n");
        }
        mesh.land("shop", "orders", "day1.csv", csv.toString());
        assertThat(ShopMesh.run(mesh, "provision").exitCode()).isZero();
        CliHarness.Result created = ShopMesh.run(mesh, "token", "create", "--principal", "scheduler", "--domain",
                "shop", "--role", "member");
        String token = created.out().strip();

        Process first = serve(mesh, "first");
        int port = port(mesh, "first", first);
        String killed = queue(port, token);
        List<String> waiting = List.of(queue(port, token), queue(port, token));
        long deadline = System.currentTimeMillis() + 120_000;
        // the first publication reads, rules and writes its files in one pass: its write stage
        while (!stagesOf(port, token, killed).contains("write")) {
            assertThat(System.currentTimeMillis()).as("run %s reaches its write stage", killed).isLessThan(deadline);
            Thread.sleep(20);
        }
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isEqualTo(137);

        Process second = serve(mesh, "second");
        try {
            int again = port(mesh, "second", second);
            for (String id : waiting) {
                JsonNode run = awaitEnd(again, token, id);
                assertThat(run.path("result").path("status").asText()).as(run.toString())
                        .isIn("PUBLISHED", "UP_TO_DATE");
            }
            assertThat(get(again, token, "/api/v1/runs/" + killed).statusCode()).isEqualTo(404);

            // SIGTERM while a run is going: the server stops taking runs and lets it finish
            String lastRun = queue(again, token, "{\"fullRefresh\": true}");
            long until = System.currentTimeMillis() + 120_000;
            // a rebuild's stages are resolve, plan, write, ...: any of them means the run is going
            while (stagesOf(again, token, lastRun).isEmpty()) {
                assertThat(System.currentTimeMillis()).as("run %s is going", lastRun).isLessThan(until);
                Thread.sleep(20);
            }
            second.destroy();
            assertThat(second.waitFor(90, TimeUnit.SECONDS)).as("the server stops after SIGTERM").isTrue();
            assertThat(QualityGateTest.table(mesh, "_platform/run_queue").where("run_id = '" + lastRun
                    + "' and event = 'finished'").select("status").collectAsList()).extracting(row -> row.getString(0))
                    .containsExactly("PUBLISHED");
        } finally {
            second.destroyForcibly();
            second.waitFor(60, TimeUnit.SECONDS);
        }

        Set<Long> ids = new HashSet<>();
        List<Row> rows = QualityGateTest.table(mesh, "shop/products/orders").select("order_id").collectAsList();
        rows.forEach(row -> assertThat(ids.add(row.getLong(0))).as("order %d once", row.getLong(0)).isTrue());
        assertThat(ids).hasSize(ROWS);
        List<String> queueRows = new ArrayList<>();
        for (Row row : QualityGateTest.table(mesh, "_platform/run_queue").where("run_id = '" + killed
                + "' and event = 'finished'").collectAsList()) {
            queueRows.add(row.getAs("status"));
        }
        assertThat(queueRows).containsExactly("UNFINISHED");
        assertThat(QualityGateTest.table(mesh, "_platform/runs").where("run_id = '" + killed + "'")
                .select("status").collectAsList()).extracting(row -> row.getString(0)).containsExactly("UNFINISHED");
    }

    private Process serve(TestMesh mesh, String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", CliHarness.HOME.resolve("bin/mesh").toString(),
                "--platform", mesh.platformFile().toString(), "serve", "--port", "0")
                .redirectErrorStream(true).redirectOutput(mesh.dir().resolve(name + ".log").toFile());
        builder.environment().put("MESH_HEAP", "-Xmx1500m");
        return builder.start();
    }

    private static int port(TestMesh mesh, String name, Process process) throws Exception {
        Path log = mesh.dir().resolve(name + ".log");
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            Matcher listening = LISTENING.matcher(Files.readString(log));
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            assertThat(process.isAlive()).as("the server is up: %s", Files.readString(log)).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("the server did not start: " + Files.readString(log));
    }

    private String queue(int port, String token) throws Exception {
        return queue(port, token, "{}");
    }

    private String queue(int port, String token, String body) throws Exception {
        HttpResponse<String> response = http.send(request(port, token, "/api/v1/products/shop.orders/runs")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).path("id").asText();
    }

    private List<String> stagesOf(int port, String token, String id) throws Exception {
        List<String> stages = new ArrayList<>();
        JSON.readTree(get(port, token, "/api/v1/runs/" + id).body()).path("stages")
                .forEach(stage -> stages.add(stage.path("stage").asText()));
        return stages;
    }

    private JsonNode awaitEnd(int port, String token, String id) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (true) {
            JsonNode run = JSON.readTree(get(port, token, "/api/v1/runs/" + id).body());
            if (run.path("state").asText().equals("finished")) {
                return run;
            }
            assertThat(System.currentTimeMillis()).as("run %s ends: %s", id, run).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private HttpResponse<String> get(int port, String token, String path) throws Exception {
        return http.send(request(port, token, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(int port, String token, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
    }
}
