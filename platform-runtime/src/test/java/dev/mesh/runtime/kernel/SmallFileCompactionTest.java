package dev.mesh.runtime.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.runtime.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appends merge a table's small files as they go: every version keeps exactly its rows (Spark and Kernel read the
 * same values before and after, nulls, lists and maps included), the merged file keeps statistics that Spark's data
 * skipping and a reader of the newest rows still skip it by, racing compactions and appends lose and duplicate
 * nothing, and an append-only table keeps its files as written.
 */
class SmallFileCompactionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("at", DataTypes.TimestampType, false)
            .add("count", DataTypes.LongType, true)
            .add("score", DataTypes.DoubleType, true)
            .add("tags", DataTypes.createArrayType(DataTypes.StringType), true)
            .add("stages", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true);
    private static final Instant AT = Instant.parse("2026-11-26T10:15:30.123456Z");

    @TempDir
    Path dir;

    @Test
    void appendsMergeTheirSmallFilesAndEveryVersionKeepsItsRows() throws IOException {
        SparkSession spark = SharedSpark.session();
        Path table = dir.resolve("runs");
        String path = table.toUri().toString();
        KernelDeltaTable kernel = kernel(path);
        List<Row> expected = new ArrayList<>();
        for (int n = 0; n < 3 * KernelDeltaTable.COMPACT_EVERY + 3; n++) {
            expected.add(row(n));
            kernel.append(SCHEMA, Map.of(), List.of(row(n)));
        }
        // the rows as Spark gives them back (Scala lists and maps)
        assertThat(spark.read().format("delta").load(path).collectAsList())
                .containsExactlyInAnyOrderElementsOf(spark.createDataFrame(expected, SCHEMA).collectAsList());

        List<String> compactions = commits(table, "Manual Update");
        assertThat(compactions).as("a compaction every %d commits", KernelDeltaTable.COMPACT_EVERY).hasSize(3);
        for (String commit : compactions) {
            long version = Long.parseLong(commit.substring(0, 20));
            assertThat(spark.read().format("delta").option("versionAsOf", version).load(path).collectAsList())
                    .as("version %d, a compaction", version).containsExactlyInAnyOrderElementsOf(spark.read()
                            .format("delta").option("versionAsOf", version - 1).load(path).collectAsList());
            for (String line : Files.readAllLines(table.resolve("_delta_log").resolve(commit))) {
                JsonNode action = JSON.readTree(line);
                if (action.has("add") || action.has("remove")) {
                    JsonNode file = action.has("add") ? action.get("add") : action.get("remove");
                    assertThat(file.get("dataChange").asBoolean()).as(line).isFalse();
                }
            }
        }
        // 27 appends: merged at versions 9 (nine files), 17 and 25 (the merged file and seven); four appends since
        assertThat(spark.read().format("delta").load(path).inputFiles()).as("one merged file and the appends since")
                .hasSize(5);
        List<Map<String, Object>> kernelRows = new ArrayList<>();
        kernel.scan(kernelRows::add);
        assertThat(kernelRows).hasSize(expected.size());
        Map<String, Object> first = kernelRows.stream().filter(r -> r.get("id").equals("r00")).findFirst()
                .orElseThrow();
        assertThat(first).containsEntry("at", AT).containsEntry("count", 0L).containsEntry("score", 0.5)
                .containsEntry("tags", List.of("t0", "x")).containsEntry("stages", Map.of("read", 0L));
        Map<String, Object> nulls = kernelRows.stream().filter(r -> r.get("id").equals("r01")).findFirst()
                .orElseThrow();
        assertThat(nulls.get("count")).isNull();
        assertThat(nulls.get("tags")).isNull();
        assertThat(kernel.rowsFromStatistics()).contains((long) expected.size());
        assertThat(kernel.newestValue("at")).contains(at(expected.size() - 1).truncatedTo(
                java.time.temporal.ChronoUnit.MILLIS));
    }

    /**
     * The merged file's statistics are its files' merged: Spark's data skipping leaves it out of a filter on the
     * later rows (its data files deleted here, so that opening one fails), and finds a row in it by its exact
     * microsecond; a reader of the newest rows does not open it.
     */
    @Test
    void theMergedFileKeepsTheStatisticsReadersSkipItBy() throws IOException {
        SparkSession spark = SharedSpark.session();
        Path table = dir.resolve("runs");
        String path = table.toUri().toString();
        KernelDeltaTable kernel = kernel(path);
        for (int n = 0; n < 7; n++) {
            kernel.append(SCHEMA, Map.of(), List.of(row(n)));
        }
        assertThat(kernel.compact(KernelDeltaTable.SMALL_FILE_BYTES, 2)).map(KernelDeltaTable.Compaction::filesMerged)
                .contains(7);
        for (int n = 7; n < 9; n++) {
            kernel.append(SCHEMA, Map.of(), List.of(row(n)));
        }
        JsonNode merged = addsOf(table, commits(table, "Manual Update").get(0)).get(0);
        JsonNode stats = JSON.readTree(merged.get("stats").asText());
        assertThat(stats.get("numRecords").asLong()).isEqualTo(7);
        assertThat(stats.at("/minValues/at").asText()).isEqualTo("2026-11-26T10:15:30.123Z");
        assertThat(stats.at("/maxValues/count").asLong()).isEqualTo(6);
        assertThat(stats.at("/minValues/count").asLong()).isZero();
        assertThat(stats.at("/nullCount/count").asLong()).isEqualTo(3);
        assertThat(spark.read().format("delta").load(path).where("count = 4").count()).isEqualTo(1);
        assertThat(spark.read().format("delta").load(path).where(functions.col("at").equalTo(
                Timestamp.from(at(3)))).count()).isEqualTo(1);

        Files.delete(table.resolve(merged.get("path").asText()));
        Instant later = at(7);
        assertThat(spark.read().format("delta").load(path).where(functions.col("at").geq(Timestamp.from(later)))
                .collectAsList()).extracting(r -> r.getString(0)).containsExactlyInAnyOrder("r07", "r08");
        List<Object> ids = new ArrayList<>();
        kernel.scanNewestFirst("at", max -> max.isPresent() && !max.get().isBefore(later), r -> ids.add(r.get("id")));
        assertThat(ids).containsExactlyInAnyOrder("r07", "r08");
    }

    /** Compactions and appends racing on one table: each row is there once, and every compaction that won is one. */
    @Test
    void racingCompactionsAndAppendsLoseAndDuplicateNothing() throws Exception {
        Path table = dir.resolve("runs");
        String path = table.toUri().toString();
        for (int n = 0; n < 6; n++) {
            kernel(path).append(SCHEMA, Map.of(), List.of(row(n)));
        }
        int writers = 4;
        int rounds = 6;
        CyclicBarrier together = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Optional<KernelDeltaTable.Compaction>> compactions = java.util.Collections.synchronizedList(
                new ArrayList<>());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int round = 0; round < rounds; round++) {
                        together.await();
                        if (writer % 2 == 0) {
                            compactions.add(kernel(path).compact(KernelDeltaTable.SMALL_FILE_BYTES, 2));
                        } else {
                            kernel(path).append(SCHEMA, Map.of(), List.of(row(100 + writer * rounds + round)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> each : done) {
                each.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<Row> rows = SharedSpark.session().read().format("delta").load(path).collectAsList();
        assertThat(rows).hasSize(6 + (writers / 2) * rounds);
        assertThat(rows.stream().map(r -> r.getString(0)).distinct()).hasSize(rows.size());
        long won = compactions.stream().filter(Optional::isPresent).count();
        assertThat(won).as("some compactions won").isPositive();
        // the appends may have merged files too
        int merges = commits(table, "Manual Update").size();
        assertThat(merges).isGreaterThanOrEqualTo((int) won);
        try (Stream<Path> files = Files.list(table)) {
            long dataFiles = files.filter(file -> file.toString().endsWith(".parquet")).count();
            assertThat(dataFiles).as("a compaction that lost deleted what it wrote")
                    .isEqualTo(6 + (writers / 2) * rounds + merges);
        }
    }

    @Test
    void anAppendOnlyTableKeepsItsFilesAsWritten() {
        SparkSession spark = SharedSpark.session();
        String path = "file:" + dir.resolve("audit");
        // as provisioning creates the audit trail
        dev.mesh.runtime.spark.DeltaTables.createIfAbsent(spark, path, SCHEMA, Map.of("delta.appendOnly", "true"));
        for (int n = 0; n < 12; n++) {
            kernel(path).append(SCHEMA, Map.of("delta.appendOnly", "true"), List.of(row(n)));
        }

        assertThat(kernel(path).compact(KernelDeltaTable.SMALL_FILE_BYTES, 2)).isEmpty();
        assertThat(spark.read().format("delta").load(path).inputFiles()).hasSize(12);
    }

    /** mesh maintain vacuums the platform tables: the files merged away go, every row stays. */
    @Test
    void maintenanceDeletesTheFilesMergedAway() throws IOException {
        SparkSession spark = SharedSpark.session();
        dev.mesh.runtime.zone.ZoneLayout zones = new dev.mesh.runtime.zone.ZoneLayout(dir.resolve("zones").toUri());
        Path table = dir.resolve("zones").resolve(dev.mesh.runtime.zone.ZoneLayout.PLATFORM).resolve("runs");
        String path = table.toUri().toString();
        for (int n = 0; n < 10; n++) {
            kernel(path).append(SCHEMA, Map.of(), List.of(row(n)));
        }
        assertThat(commits(table, "Manual Update")).hasSize(1);
        assertThat(dataFiles(table)).isEqualTo(11);

        long removed = new dev.mesh.runtime.run.ProductMaintenance(spark, zones, Duration.ZERO)
                .maintainPlatformTables(Duration.ZERO);

        assertThat(removed).as("the nine files merged into one").isEqualTo(9);
        assertThat(dataFiles(table)).isEqualTo(2);
        assertThat(spark.read().format("delta").load(path).count()).isEqualTo(10);
        assertThat(new dev.mesh.runtime.run.ProductMaintenance(spark, zones).maintainPlatformTables(Duration.ZERO))
                .as("mesh maintain keeps the platform's least retention").isZero();
    }

    private static long dataFiles(Path table) throws IOException {
        try (Stream<Path> files = Files.list(table)) {
            return files.filter(file -> file.toString().endsWith(".parquet")).count();
        }
    }

    @Test
    void mergedStatisticsBoundOnlyWhatEveryFileBounds() throws IOException {
        List<JsonNode> files = List.of(
                JSON.readTree("{\"numRecords\":2,\"minValues\":{\"at\":\"2026-01-02T00:00:00.000Z\",\"n\":5},"
                        + "\"maxValues\":{\"at\":\"2026-01-03T00:00:00.000Z\",\"n\":9},"
                        + "\"nullCount\":{\"at\":0,\"n\":0,\"empty\":2,\"s\":0}}"),
                JSON.readTree("{\"numRecords\":3,\"minValues\":{\"at\":\"2025-12-31T23:59:59.999+00:00\",\"n\":-1,"
                        + "\"s\":\"a\"},\"maxValues\":{\"at\":\"2026-01-02T12:00:00.000Z\",\"n\":7,\"s\":\"b\"},"
                        + "\"nullCount\":{\"at\":0,\"n\":1,\"empty\":3,\"s\":0}}"),
                JSON.readTree("{\"numRecords\":1,\"minValues\":{\"at\":\"2026-01-01T00:00:00.000Z\"},"
                        + "\"maxValues\":{\"at\":\"2026-01-01T00:00:00.000Z\"},\"nullCount\":{\"at\":0}}"));

        JsonNode merged = JSON.readTree(RowStatistics.merged(files).orElseThrow().serializeAsJson());

        assertThat(merged.get("numRecords").asLong()).isEqualTo(6);
        assertThat(merged.at("/minValues/at").asText()).isEqualTo("2025-12-31T23:59:59.999+00:00");
        assertThat(merged.at("/maxValues/at").asText()).isEqualTo("2026-01-03T00:00:00.000Z");
        assertThat(merged.at("/nullCount/at").asLong()).isZero();
        assertThat(merged.path("nullCount").has("n")).as("the third file does not count n's nulls").isFalse();
        assertThat(merged.path("minValues").has("n")).isFalse();
        assertThat(merged.path("minValues").has("s")).as("strings are not merged").isFalse();
        assertThat(RowStatistics.merged(List.of(JSON.readTree("{\"minValues\":{}}")))).isEmpty();
    }

    private static KernelDeltaTable kernel(String path) {
        Configuration hadoop = SharedSpark.session().sparkContext().hadoopConfiguration();
        return KernelDeltaTable.at(hadoop, path);
    }

    private static Instant at(int n) {
        return AT.plus(Duration.ofMinutes(n));
    }

    /** Row n: every other one with nulls where the table allows them. */
    private static Row row(int n) {
        boolean full = n % 2 == 0;
        return RowFactory.create(String.format("r%02d", n), Timestamp.from(at(n)), full ? (long) n : null,
                full ? n + 0.5 : null, full ? Arrays.asList("t" + n, "x") : null,
                full ? new TreeMap<>(Map.of("read", (long) n)) : null);
    }

    /** The commit files whose operation is this one, oldest first. */
    private static List<String> commits(Path table, String operation) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> log = Files.list(table.resolve("_delta_log"))) {
            for (Path commit : log.filter(file -> file.getFileName().toString().matches("\\d{20}\\.json")).sorted()
                    .toList()) {
                for (String line : Files.readAllLines(commit)) {
                    if (operation.equals(JSON.readTree(line).at("/commitInfo/operation").asText())) {
                        found.add(commit.getFileName().toString());
                    }
                }
            }
        }
        return found;
    }

    private static List<JsonNode> addsOf(Path table, String commit) throws IOException {
        List<JsonNode> adds = new ArrayList<>();
        for (String line : Files.readAllLines(table.resolve("_delta_log").resolve(commit))) {
            JsonNode action = JSON.readTree(line);
            if (action.has("add")) {
                adds.add(action.get("add"));
            }
        }
        return adds;
    }
}
