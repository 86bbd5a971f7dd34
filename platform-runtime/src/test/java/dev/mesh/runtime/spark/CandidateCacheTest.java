package dev.mesh.runtime.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which candidates are materialized again: only those that are more than projections of materialized rows. */
class CandidateCacheTest {
    SparkSession spark;
    Dataset<Row> parsed;

    @BeforeEach
    void materializedInput() {
        spark = SharedSpark.session();
        parsed = spark.range(100).selectExpr("id", "CAST(id AS STRING) AS text", "id % 7 = 0 AS bad")
                .persist(StorageLevel.MEMORY_AND_DISK());
        parsed.count();
        // as the file reader hands its rows over: observed (records read) before the rejected are split off
        parsed.observe("candidate_input_read", functions.count(functions.lit(1)))
                .where("NOT bad").select("id", "text").createOrReplaceTempView("candidate_input");
    }

    @AfterEach
    void release() {
        parsed.unpersist(true);
    }

    @Test
    void projectionsAndFiltersOfMaterializedRowsAreReadAgainNotCopied() {
        Dataset<Row> ingest = spark.table("candidate_input").selectExpr("CAST(id AS INT) AS id", "upper(text) AS t",
                "id > 50 AS big").where("id IS NOT NULL");
        assertThat(CandidateCache.cheapOverCachedInputs(ingest)).isTrue();
        assertThat(CandidateCache.materializeIfCostly(ingest).storageLevel()).isEqualTo(StorageLevel.NONE());
        assertThat(CandidateCache.cheapOverCachedInputs(spark.table("candidate_input")
                .unionByName(spark.table("candidate_input")))).isTrue();
    }

    @Test
    void joinsAggregationsWindowsUncachedReadsAndRandomnessAreMaterialized() {
        Dataset<Row> input = spark.table("candidate_input");
        assertThat(CandidateCache.cheapOverCachedInputs(input.join(input.withColumnRenamed("text", "t2"), "id")))
                .isFalse();
        assertThat(CandidateCache.cheapOverCachedInputs(input.groupBy("text").count())).isFalse();
        assertThat(CandidateCache.cheapOverCachedInputs(input.selectExpr("id",
                "row_number() OVER (ORDER BY id) AS n"))).isFalse();
        assertThat(CandidateCache.cheapOverCachedInputs(spark.range(10).toDF())).isFalse();
        assertThat(CandidateCache.cheapOverCachedInputs(input.selectExpr("id", "rand() AS r"))).isFalse();
        Dataset<Row> materialized = CandidateCache.materializeIfCostly(input.groupBy("text").count());
        assertThat(materialized.storageLevel()).isEqualTo(StorageLevel.MEMORY_AND_DISK());
        materialized.unpersist(true);
    }
}
