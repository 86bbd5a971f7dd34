package dev.mesh.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.jobs.cli.CliEnvironment;
import dev.mesh.jobs.cli.MeshCli;
import dev.mesh.runtime.run.Extensions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

    /** local[2], no UI, few shuffle partitions, UTC, Delta. */
    static SparkSession session() {
        return SparkSession.builder().master("local[2]").appName("bench")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.databricks.delta.snapshotPartitions", "2")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .getOrCreate();
    }

    /** A forced run of the product (the same data again): the CLI in this JVM, on this session. */
    static Round forcedRun(SparkSession spark, Path root, String product) throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        CliEnvironment environment = new CliEnvironment(new PrintStream(json, true, StandardCharsets.UTF_8),
                System.err, platform -> spark, false, Extensions.load(), Clock.systemUTC(), Path.of(".."), Map.of());
        long start = System.nanoTime();
        int code = MeshCli.execute(environment, "--platform", root.resolve("platform.yaml").toString(), "run",
                product, "--force", "--output", "json");
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (code != 0) {
            throw new IllegalStateException(product + " failed with exit code " + code);
        }
        String line = json.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow();
        Map<String, Long> stages = new LinkedHashMap<>();
        JSON.readTree(line).path("stage_ms").fields()
                .forEachRemaining(stage -> stages.put(stage.getKey(), stage.getValue().asLong()));
        return new Round(millis, stages);
    }

    static double median(List<? extends Number> values) {
        List<Double> sorted = new ArrayList<>(values.stream().map(Number::doubleValue).toList());
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
