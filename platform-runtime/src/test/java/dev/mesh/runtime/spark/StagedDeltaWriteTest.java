package dev.mesh.runtime.spark;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mesh.runtime.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A staged write that first asks whether any file may hold rows in a key range (the question a merge of new keys asks
 * before it appends): the answer comes from the files' statistics, and it binds the commit: a writer that commits
 * files in between makes it fail as a lost race, as a MERGE would, instead of letting both batches in.
 */
class StagedDeltaWriteTest {
    @TempDir
    Path dir;

    @Test
    void theRangeQuestionIsAnsweredByStatisticsAndRefusesACommitAfterAnotherWritersFiles() throws Exception {
        SparkSession spark = SharedSpark.session();
        String path = "file:" + dir.resolve("orders");
        keys(spark, 1, 10).repartition(2).write().format("delta").save(path);

        StagedDeltaWrite overlapping = StagedDeltaWrite.begin(spark, path, keys(spark, 5, 12).schema(), List.of());
        assertThat(overlapping.holdsNoRowsWhere(range(5, 12))).isFalse();

        // two writers of new keys from the same version: both see no file in their range
        StagedDeltaWrite first = StagedDeltaWrite.begin(spark, path, keys(spark, 20, 25).schema(), List.of());
        StagedDeltaWrite second = StagedDeltaWrite.begin(spark, path, keys(spark, 22, 30).schema(), List.of());
        assertThat(first.holdsNoRowsWhere(range(20, 25))).isTrue();
        assertThat(second.holdsNoRowsWhere(range(22, 30))).isTrue();
        first.write(keys(spark, 20, 25));
        second.write(keys(spark, 22, 30));
        assertThat(first.commit(false, List.of(), "first", "{}")).isEqualTo(1);

        // the second's answer did not see the first's files (keys 22 to 25 among them): its commit is refused
        Throwable refused = catchThrowable(() -> second.commit(false, List.of(), "second", "{}"));
        assertThat(refused).isNotNull();
        assertThat(DeltaTables.concurrentModification((RuntimeException) refused)).as(refused.toString()).isTrue();
        second.abandon();

        Dataset<Row> table = spark.read().format("delta").load(path);
        assertThat(table.count()).isEqualTo(10 + 6);
        assertThat(table.groupBy("id").count().where("count > 1").count()).isZero();
        // the refused write's files are gone; those in the table are the first's and the original's
        try (Stream<Path> parquet = Files.list(dir.resolve("orders"))) {
            assertThat(parquet.filter(file -> file.toString().endsWith(".parquet")).count())
                    .isEqualTo(table.inputFiles().length);
        }
    }

    private static Dataset<Row> keys(SparkSession spark, long from, long to) {
        return spark.range(from, to + 1).toDF().withColumn("amount", col("id").multiply(10));
    }

    private static Column range(long low, long high) {
        return col("id").geq(low).and(col("id").leq(high));
    }
}
