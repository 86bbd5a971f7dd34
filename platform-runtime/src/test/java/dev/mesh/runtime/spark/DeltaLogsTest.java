package dev.mesh.runtime.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The latest commit as the log holds it: what {@code DeltaTable.history(1)} says, without its Spark job. */
class DeltaLogsTest {
    @TempDir
    Path dir;

    @Test
    void latestCommitIsWhatHistorySaysForWritesAndMerges() {
        SparkSession spark = SharedSpark.session();
        String path = "file:" + dir.resolve("table");
        assertThat(DeltaLogs.lastCommit(spark, path)).isEmpty();

        spark.range(30).repartition(3).write().format("delta").save(path);
        DeltaTables.Commit created = DeltaLogs.lastCommit(spark, path).orElseThrow();
        assertThat(created.version()).isZero();
        assertThat(created.filesAdded()).isEqualTo(3);
        assertThat(created.operationMetrics()).isEqualTo(history(spark, path));

        DeltaTable.forPath(spark, path).as("t").merge(spark.range(25, 40).toDF().as("s"), "t.id = s.id")
                .whenMatched().updateAll().whenNotMatched().insertAll().execute();
        DeltaTables.Commit merged = DeltaLogs.lastCommit(spark, path).orElseThrow();
        assertThat(merged.version()).isEqualTo(1);
        assertThat(merged.operationMetrics()).isEqualTo(history(spark, path))
                .containsEntry("numTargetRowsInserted", "10");
        assertThat(merged.filesAdded()).isPositive();
        assertThat(DeltaTables.latestVersion(spark, path)).contains(1L);
    }

    private static Map<String, String> history(SparkSession spark, String path) {
        Row last = DeltaTable.forPath(spark, path).history(1).select("operationMetrics").head();
        return Map.copyOf(last.getJavaMap(0));
    }
}
