package dev.mesh.runtime.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers that race for the same version of a table on the local disk: every commit lands once, as its own version,
 * whether Kernel or Spark made it, through {@link dev.mesh.runtime.storage.LocalDiskLogStore}. With Delta's default
 * store a quickstart's two products recorded their runs at once and one record was lost, the table left unreadable.
 */
class ConcurrentCommitsTest {
    private static final StructType SCHEMA = new StructType().add("writer", DataTypes.StringType, false)
            .add("n", DataTypes.LongType, false);
    private static final int APPENDS = 12;

    @TempDir
    Path dir;

    @Test
    void racingKernelAndSparkAppendsEachLandOnce() throws Exception {
        SparkSession spark = SharedSpark.session();
        String path = "file:" + dir.resolve("runs");
        KernelDeltaTable.at(spark.sparkContext().hadoopConfiguration(), path).create(SCHEMA);
        List<String> writers = List.of("kernel-a", "kernel-b", "kernel-c", "kernel-d", "spark");
        CyclicBarrier together = new CyclicBarrier(writers.size() - 1);
        ExecutorService pool = Executors.newFixedThreadPool(writers.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (String writer : writers) {
                done.add(pool.submit(() -> {
                    for (long n = 0; n < APPENDS; n++) {
                        List<Row> row = List.of(RowFactory.create(writer, n));
                        if (writer.equals("spark")) {
                            spark.createDataFrame(row, SCHEMA).write().format("delta").mode("append").save(path);
                        } else {
                            together.await();
                            KernelDeltaTable.at(spark.sparkContext().hadoopConfiguration(), path)
                                    .append(SCHEMA, Map.of(), row);
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

        List<Map<String, Object>> kernelRows = new ArrayList<>();
        KernelDeltaTable.at(spark.sparkContext().hadoopConfiguration(), path).scan(kernelRows::add);
        assertThat(kernelRows).hasSize(writers.size() * APPENDS);
        assertThat(spark.read().format("delta").load(path).distinct().count()).isEqualTo(writers.size() * APPENDS);
        try (Stream<Path> log = Files.list(dir.resolve("runs/_delta_log"))) {
            List<String> names = log.map(file -> file.getFileName().toString()).toList();
            // one commit per append, and the appends' merges of small files (which change no row)
            long merges = names.stream().filter(name -> name.matches("\\d{20}\\.json"))
                    .filter(name -> operation(dir.resolve("runs/_delta_log").resolve(name)).equals("Manual Update"))
                    .count();
            assertThat(names.stream().filter(name -> name.matches("\\d{20}\\.json")))
                    .hasSize(writers.size() * APPENDS + 1 + (int) merges);
            // every commit went through the platform's log store, Spark's as Kernel's: none has a Hadoop checksum
            assertThat(names).noneMatch(name -> name.matches("\\.\\d{20}\\.json\\.crc"));
        }
    }

    /**
     * Kernel writers that each find no table and create it with their first rows: one creation wins, and the others,
     * refused, append their rows to the table it made (a run's ingest ledger and another's, the first time).
     */
    @Test
    void writersCreatingOneTableAtOnceEachLandTheirRows() throws Exception {
        SparkSession spark = SharedSpark.session();
        int writers = 4;
        for (int trial = 0; trial < 5; trial++) {
            Path table = dir.resolve("ledger" + trial);
            String path = "file:" + table;
            CyclicBarrier together = new CyclicBarrier(writers);
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                List<Future<Long>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    String writer = "w" + w;
                    done.add(pool.submit(() -> {
                        together.await();
                        return KernelDeltaTable.at(spark.sparkContext().hadoopConfiguration(), path)
                                .append(SCHEMA, Map.of(), List.of(RowFactory.create(writer, 1L)));
                    }));
                }
                List<Long> versions = new ArrayList<>();
                for (Future<Long> each : done) {
                    versions.add(each.get());
                }
                assertThat(versions).containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
            } finally {
                pool.shutdownNow();
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            KernelDeltaTable.at(spark.sparkContext().hadoopConfiguration(), path).scan(rows::add);
            assertThat(rows).extracting(row -> row.get("writer")).containsExactlyInAnyOrder("w0", "w1", "w2", "w3");
            // a refused creation's files are deleted: every data file is one the log lists
            try (Stream<Path> files = Files.list(table)) {
                assertThat(files.filter(file -> file.toString().endsWith(".parquet"))).hasSize(writers);
            }
        }
    }


    private static String operation(Path commit) {
        try {
            for (String line : Files.readAllLines(commit)) {
                if (line.startsWith("{\"commitInfo\"")) {
                    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line)
                            .at("/commitInfo/operation").asText();
                }
            }
            return "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
