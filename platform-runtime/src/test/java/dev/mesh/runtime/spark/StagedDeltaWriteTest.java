package dev.mesh.runtime.spark;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mesh.runtime.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
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
        assertLostRace(() -> second.commit(false, List.of(), "second", "{}"));
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

    @Test
    void anOverwriteRemovesEveryFileOfTheVersionItReadAsTheLogSpellsIt() throws Exception {
        SparkSession spark = SharedSpark.session();
        String path = "file:" + dir.resolve("by_region");
        // partition values that need escaping in a path, and a null one
        Dataset<Row> first = spark.sql("SELECT CAST(id AS BIGINT) AS id, region FROM VALUES (1, 'a b/c%'), (2, 'é'), "
                + "(3, CAST(NULL AS STRING)), (4, 'a b/c%') AS t(id, region)");
        first.write().format("delta").partitionBy("region").save(path);
        spark.range(5, 7).selectExpr("id", "'é' AS region").write().format("delta").mode("append").save(path);
        Set<String> before = Set.of(spark.read().format("delta").load(path).inputFiles());

        Dataset<Row> next = spark.sql("SELECT 10L AS id, 'x' AS region");
        StagedDeltaWrite write = StagedDeltaWrite.begin(spark, path, next.schema(), List.of("region"));
        assertThat(write.takesExactly(next.schema(), List.of("region"))).isTrue();
        assertThat(write.takesExactly(next.schema(), List.of())).isFalse();
        // what the write must know of the version it read comes from the log: no Spark job rebuilds its state
        assertThat(jobsDuring(spark, () -> assertThat(write.alreadyCommitted("overwrite-1")).isFalse())).isZero();
        write.write(next);
        long[] version = new long[1];
        assertThat(jobsDuring(spark, () -> version[0] = write.commit(true, List.of("region"), "overwrite-1", "{}")))
                .isZero();

        assertThat(version[0]).isEqualTo(2);
        assertThat(spark.read().format("delta").load(path).collectAsList()).map(Row::toString)
                .containsExactly("[10,x]");
        // Delta's own replay of the log agrees: no file of the version read is left live
        assertThat(Set.of(spark.read().format("delta").load(path).inputFiles())).doesNotContainAnyElementsOf(before);
        assertThat(spark.read().format("delta").option("versionAsOf", 1).load(path).count()).isEqualTo(6);
        // a second write under the same id finds it made, from the log
        StagedDeltaWrite again = StagedDeltaWrite.begin(spark, path, next.schema(), List.of("region"));
        assertThat(again.alreadyCommitted("overwrite-1")).isTrue();
        assertThat(again.alreadyCommitted("overwrite-2")).isFalse();
    }

    @Test
    void aTableWithTableFeaturesIsOverwrittenByDeltasOwnState() {
        SparkSession spark = SharedSpark.session();
        String path = "file:" + dir.resolve("with_vectors");
        // deletion vectors: reader version 3, writer version 7; a delete leaves a file with a vector
        keys(spark, 1, 10).coalesce(1).write().format("delta").option("delta.enableDeletionVectors", "true")
                .save(path);
        io.delta.tables.DeltaTable.forPath(spark, path).delete("id = 3");

        StagedDeltaWrite write = StagedDeltaWrite.begin(spark, path, keys(spark, 20, 21).schema(), List.of());
        assertThat(write.alreadyCommitted("vectors")).isFalse();
        write.write(keys(spark, 20, 21));
        write.commit(true, List.of(), "vectors", "{}");

        assertThat(spark.read().format("delta").load(path).orderBy("id").collectAsList()).map(Row::toString)
                .containsExactly("[20,200]", "[21,210]");
        assertThat(StagedDeltaWrite.begin(spark, path, keys(spark, 20, 21).schema(), List.of())
                .alreadyCommitted("vectors")).isTrue();
    }

    @Test
    void anOverwriteLosesToAWriterThatCommittedAfterTheVersionItRead() {
        SparkSession spark = SharedSpark.session();
        String path = "file:" + dir.resolve("orders");
        keys(spark, 1, 10).write().format("delta").save(path);

        StagedDeltaWrite overwrite = StagedDeltaWrite.begin(spark, path, keys(spark, 1, 3).schema(), List.of());
        assertThat(overwrite.alreadyCommitted("overwrite")).isFalse();
        overwrite.write(keys(spark, 1, 3));
        // another writer appends in between: the overwrite would remove only the files it saw
        keys(spark, 11, 12).write().format("delta").mode("append").save(path);

        assertLostRace(() -> overwrite.commit(true, List.of(), "overwrite", "{}"));
        overwrite.abandon();
        assertThat(spark.read().format("delta").load(path).count()).isEqualTo(12);
    }

    @Test
    void twoWritersUnderOneIdCommitOnce() {
        SparkSession spark = SharedSpark.session();
        String path = "file:" + dir.resolve("once");
        keys(spark, 1, 2).write().format("delta").save(path);

        StagedDeltaWrite first = StagedDeltaWrite.begin(spark, path, keys(spark, 3, 4).schema(), List.of());
        StagedDeltaWrite second = StagedDeltaWrite.begin(spark, path, keys(spark, 3, 4).schema(), List.of());
        assertThat(first.alreadyCommitted("run-key")).isFalse();
        assertThat(second.alreadyCommitted("run-key")).isFalse();
        first.write(keys(spark, 3, 4));
        second.write(keys(spark, 3, 4));
        first.commit(false, List.of(), "run-key", "{}");

        assertLostRace(() -> second.commit(false, List.of(), "run-key", "{}"));
        second.abandon();
        assertThat(spark.read().format("delta").load(path).count()).isEqualTo(4);
    }

    /** {@code commit} is refused as a lost race: Delta's concurrent modification, nothing committed. */
    private static void assertLostRace(Runnable commit) {
        Throwable refused = catchThrowable(commit::run);
        assertThat(refused).isNotNull();
        assertThat(DeltaTables.concurrentModification((RuntimeException) refused)).as(refused.toString()).isTrue();
    }

    /** The Spark jobs that {@code work} started. */
    private static int jobsDuring(SparkSession spark, Runnable work) throws TimeoutException {
        AtomicInteger jobs = new AtomicInteger();
        SparkListener counter = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
                jobs.incrementAndGet();
            }
        };
        spark.sparkContext().listenerBus().waitUntilEmpty();
        spark.sparkContext().addSparkListener(counter);
        try {
            work.run();
            spark.sparkContext().listenerBus().waitUntilEmpty();
            return jobs.get();
        } finally {
            spark.sparkContext().removeSparkListener(counter);
        }
    }

    private static Dataset<Row> keys(SparkSession spark, long from, long to) {
        return spark.range(from, to + 1).toDF().withColumn("amount", col("id").multiply(10));
    }

    private static Column range(long low, long high) {
        return col("id").geq(low).and(col("id").leq(high));
    }
}
