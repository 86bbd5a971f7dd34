package dev.mesh.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * mesh serve against the command line, both as a user runs them (bin/mesh, separate JVMs): a quickstart product
 * rebuilt through the API (queued, followed until it ends) against {@code bin/mesh run --full-refresh} of the same
 * product; catalog and run
 * status requests per second with 50 clients, and their p50 and p99 latency; the server's resident memory as 200
 * runs go by, and what each of those runs of a product of 25 rows took end to end, against the same product as a
 * whole {@code bin/mesh run} command. Writes bench/out/serve.csv.
 *   bench/serve.sh [SCALE_FACTOR=0.01] [ROUNDS=5] [RUNS=200]
 */
public final class ServeBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LISTENING = Pattern.compile("mesh serve: http://127\\.0\\.0\\.1:(\\d+)/api/v1");
    private static final String PRODUCT = "sales.orders";
    private static final String SMALL = "customer.nations";
    /** sales.orders merges new landing files: each round rebuilds it from all of them, as --full-refresh does. */
    private static final String REBUILD = "{\"fullRefresh\": true}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int port;
    private String token;

    public static void main(String[] args) throws Exception {
        String scale = args.length > 0 ? args[0] : "0.01";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        new ServeBench().run(scale, rounds, runs);
    }

    private void run(String scale, int rounds, int runs) throws Exception {
        Path mesh = Files.createTempDirectory("mesh-serve-bench");
        copy(HOME.resolve("examples"), mesh);
        Path platform = mesh.resolve("platform.yaml");
        Files.writeString(platform, Files.readString(platform)
                .replace("root: ../mesh-data", "root: zones").replace("../mesh-data/_lineage", "zones/_lineage")
                + "server:\n  admins: [bench]\n  concurrentRuns: 1\n  queuedPerPrincipal: 1000\n");
        mesh("quickstart", "--platform", platform.toString(), "--no-run", "--scale", scale);
        mesh("run", "--platform", platform.toString(), "--all");
        token = mesh("token", "create", "--platform", platform.toString(), "--principal", "bench", "--role", "admin")
                .strip();

        List<Long> cold = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            mesh("run", "--platform", platform.toString(), PRODUCT, "--full-refresh");
            cold.add(millisSince(start));
        }

        // a product of a few rows (25 nations) as a whole cold command: a JVM, a session, the run, the summary
        List<Long> smallCold = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            mesh("run", "--platform", platform.toString(), SMALL, "--force");
            smallCold.add(millisSince(start));
        }

        Path log = mesh.resolve("serve.log");
        Process server = new ProcessBuilder("bash", HOME.resolve("bin/mesh").toString(), "--platform",
                platform.toString(), "serve", "--port", "0").redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        List<String> csv = new ArrayList<>(List.of("measure,round,value"));
        try {
            port = awaitPort(log, server);
            long first = timedRun(PRODUCT, REBUILD);
            List<Long> warm = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                warm.add(timedRun(PRODUCT, REBUILD));
            }
            for (int i = 0; i < rounds; i++) {
                csv.add("cli_run_ms," + i + "," + cold.get(i));
                csv.add("api_run_ms," + i + "," + warm.get(i));
            }
            csv.add("api_first_run_ms,0," + first);
            String runId = lastRun();
            Load load = load(50, 200, runId);
            csv.add("requests_per_second,0," + String.format(Locale.ROOT, "%.0f", load.perSecond()));
            csv.add("request_p50_ms,0," + String.format(Locale.ROOT, "%.2f", load.p50()));
            csv.add("request_p99_ms,0," + String.format(Locale.ROOT, "%.2f", load.p99()));
            csv.add("request_errors,0," + load.errors());

            List<String> memory = new ArrayList<>();
            List<Long> smallWarm = new ArrayList<>();
            long pid = serverPid(server);
            for (int i = 1; i <= runs; i++) {
                smallWarm.add(timedRun(SMALL, "{\"force\": true}"));
                if (i % 50 == 0 || i == 1) {
                    long rss = rssKib(pid);
                    long heap = heapAfterFullGcMib(pid);
                    csv.add("rss_mib_after_runs," + i + "," + rss / 1024);
                    csv.add("heap_after_gc_mib_after_runs," + i + "," + heap);
                    memory.add(i + " runs: " + rss / 1024 + " MiB resident, " + heap + " MiB heap after a full GC");
                }
            }
            for (int i = 0; i < rounds; i++) {
                csv.add("few_rows_cli_run_ms," + i + "," + smallCold.get(i));
            }
            for (int i = 0; i < smallWarm.size(); i++) {
                csv.add("few_rows_api_run_ms," + i + "," + smallWarm.get(i));
            }
            double cliMedian = median(cold);
            double apiMedian = median(warm);
            System.out.printf(Locale.ROOT, "%n%s at SF %s, %d rounds each (median):%n", PRODUCT, scale, rounds);
            System.out.printf(Locale.ROOT, "  bin/mesh run (a JVM and a session each)   %8.0f ms%n", cliMedian);
            System.out.printf(Locale.ROOT, "  API run, warm server (queue to finished)  %8.0f ms  (first: %d ms)%n",
                    apiMedian, first);
            System.out.printf(Locale.ROOT, "  the warm run is %.1fx faster end to end%n", cliMedian / apiMedian);
            List<Long> sortedWarm = new ArrayList<>(smallWarm);
            Collections.sort(sortedWarm);
            System.out.printf(Locale.ROOT, "%s (25 rows), end to end: bin/mesh run %.0f ms (median of %d); API run, "
                    + "warm server, median %.0f ms, p90 %d ms of %d runs%n", SMALL, median(smallCold), rounds,
                    median(smallWarm), sortedWarm.get((int) Math.floor(0.9 * (sortedWarm.size() - 1))),
                    smallWarm.size());
            System.out.printf(Locale.ROOT, "catalog and run status, 50 clients x 200 requests: %.0f requests/s, "
                    + "p50 %.2f ms, p99 %.2f ms, %d errors%n", load.perSecond(), load.p50(), load.p99(),
                    load.errors());
            System.out.println("server memory with " + SMALL + " run again and again: " + String.join("; ", memory));
        } finally {
            server.destroy();
            server.waitFor(60, TimeUnit.SECONDS);
        }
        Path out = Files.createDirectories(HOME.resolve("bench/out")).resolve("serve.csv");
        Files.write(out, csv);
        System.out.println("rounds in " + out);
    }

    private record Load(double perSecond, double p50, double p99, long errors) {}

    private Load load(int clients, int each, String runId) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<Long>>> futures = new ArrayList<>();
        long[] errors = new long[1];
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                List<Long> micros = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    String path = i % 2 == 0 ? "/api/v1/products" : "/api/v1/runs/" + runId;
                    long t = System.nanoTime();
                    HttpResponse<Void> response = http.send(request(path).GET().build(),
                            HttpResponse.BodyHandlers.discarding());
                    micros.add((System.nanoTime() - t) / 1000);
                    if (response.statusCode() != 200) {
                        synchronized (errors) {
                            errors[0]++;
                        }
                    }
                }
                return micros;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> future : futures) {
            all.addAll(future.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Collections.sort(all);
        return new Load(all.size() / seconds, all.get(all.size() / 2) / 1000.0,
                all.get((int) (all.size() * 0.99)) / 1000.0, errors[0]);
    }

    /** Queues a run and polls until it ends; the wall time from the request to the end. */
    private long timedRun(String product, String body) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> queued = http.send(request("/api/v1/products/" + product + "/runs")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (queued.statusCode() != 202) {
            throw new IllegalStateException("queueing failed: " + queued.body());
        }
        String id = JSON.readTree(queued.body()).path("id").asText();
        while (true) {
            JsonNode run = JSON.readTree(http.send(request("/api/v1/runs/" + id).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (run.path("state").asText().equals("finished")) {
                String status = run.path("result").path("status").asText();
                if (!status.equals("PUBLISHED")) {
                    throw new IllegalStateException(product + " ended " + run);
                }
                return millisSince(start);
            }
            Thread.sleep(10);
        }
    }

    private String lastRun() throws Exception {
        return JSON.readTree(http.send(request("/api/v1/runs").GET().build(), HttpResponse.BodyHandlers.ofString())
                .body()).path("runs").get(0).path("id").asText();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + token);
    }

    /** Runs bin/mesh; its standard output. */
    private static String mesh(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", HOME.resolve("bin/mesh").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("bin/mesh " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    private static int awaitPort(Path log, Process server) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            Matcher listening = LISTENING.matcher(Files.readString(log));
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            if (!server.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server did not start: " + Files.readString(log));
    }

    /** The server's JVM: the child of the bin/mesh script (which execs java, so the same process). */
    private static long serverPid(Process server) {
        return server.descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).findFirst()
                .orElse(server.pid());
    }

    /** The heap in use after a full collection ({@code jcmd GC.run}, then {@code GC.heap_info}). */
    private static long heapAfterFullGcMib(long pid) throws Exception {
        jcmd(pid, "GC.run");
        Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(jcmd(pid, "GC.heap_info"));
        return used.find() ? Long.parseLong(used.group(1)) / 1024 : -1;
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process process = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out;
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
