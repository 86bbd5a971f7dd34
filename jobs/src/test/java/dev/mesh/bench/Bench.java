package dev.mesh.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.jobs.cli.CliEnvironment;
import dev.mesh.jobs.cli.MeshCli;
import dev.mesh.runtime.run.Extensions;
import dev.mesh.runtime.spark.MeshSparkSessions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** What the benchmarks share: their session, a product run through the CLI with its stage split, the median. */
final class Bench {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One product run: the command's wall time and the run's own stage split. */
    record Round(long millis, Map<String, Long> stages) {}

    private Bench() {}

    /** The platform's session settings on local[2], no UI, few shuffle partitions. */
    static SparkSession session() {
        SparkSession.Builder builder = SparkSession.builder().master("local[2]").appName("bench");
        // the platform's own session settings (its log store and local file system among them), then the bench's
        MeshSparkSessions.settings().forEach(builder::config);
        return builder.config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    /** A forced run of the product (the same data again): the CLI in this JVM, on this session. */
    static Round forcedRun(SparkSession spark, Path root, String product) throws IOException {
        Run run = run(spark, root, Map.of(), product, "--force");
        return new Round(run.millis(), run.stages());
    }

    /** One {@code mesh run} of one product: the command's wall time, the run's own time, status and stage split. */
    record Run(long millis, long productMillis, String status, Map<String, Long> stages) {
        /** The stages as {@code name=ms} pairs separated by {@code ;}, for a CSV cell. */
        String stageCell() {
            return String.join(";", stages.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
    }

    /** {@code mesh run PRODUCT ARGS... --output json} through the CLI in this JVM, on this session. */
    static Run run(SparkSession spark, Path root, Map<String, String> env, String product, String... args)
            throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        CliEnvironment environment = new CliEnvironment(new PrintStream(json, true, StandardCharsets.UTF_8),
                System.err, platform -> spark, false, Extensions.load(), Clock.systemUTC(), Path.of(".."), env);
        List<String> command = new ArrayList<>(List.of("--platform", root.resolve("platform.yaml").toString(), "run",
                product, "--output", "json"));
        command.addAll(List.of(args));
        long start = System.nanoTime();
        int code = MeshCli.execute(environment, command.toArray(String[]::new));
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (code != 0) {
            throw new IllegalStateException("mesh run " + product + " " + String.join(" ", args)
                    + " failed with exit code " + code);
        }
        String line = json.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow();
        JsonNode run = JSON.readTree(line);
        Map<String, Long> stages = new LinkedHashMap<>();
        run.path("stage_ms").fields().forEachRemaining(stage -> stages.put(stage.getKey(), stage.getValue().asLong()));
        return new Run(millis, run.path("duration_ms").asLong(), run.path("status").asText(), stages);
    }

    /** Writes {@code lines} to {@code bench/out/NAME} (the script runs from a module's folder) and says where. */
    static void writeCsv(String name, List<String> lines) throws IOException {
        Path out = Path.of("../bench/out", name);
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        System.out.println("rounds written to bench/out/" + name);
    }

    /** The bytes of the files directly in {@code folder} (a landing zone the bench generated). */
    static long bytesIn(Path folder) throws IOException {
        long bytes = 0;
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                bytes += Files.size(file);
            }
        }
        return bytes;
    }

    static double median(List<? extends Number> values) {
        List<Double> sorted = new ArrayList<>(values.stream().map(Number::doubleValue).toList());
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
