package dev.mesh.runtime.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which candidates a run may write in one pass: projections, filters and unions that read each observed input once
 * and whole, and give each row the same values every time they run.
 */
class SinglePassPlanTest {
    private static final Set<String> READ = Set.of("single_pass_read");

    SparkSession spark;

    @BeforeEach
    void observedInput() {
        spark = SharedSpark.session();
        spark.range(100).selectExpr("id", "CAST(id AS STRING) AS text", "id % 7 = 0 AS bad")
                .observe("single_pass_read", functions.count(functions.lit(1)).as("records"))
                .where("NOT bad").select("id", "text").createOrReplaceTempView("single_pass_input");
    }

    @Test
    void projectionsFiltersAndFileNamesReadTheInputOnce() {
        Dataset<Row> input = spark.table("single_pass_input");
        assertThat(SinglePassPlan.readsEachInputOnce(input.selectExpr("CAST(id AS INT) AS id", "upper(text) AS t",
                "input_file_name() AS file").where("id > 3"), READ)).isTrue();
        assertThat(SinglePassPlan.readsEachInputOnce(spark.sql("SELECT id, text FROM single_pass_input "
                + "WHERE text LIKE '1%'"), READ)).isTrue();
    }

    @Test
    void joinsAggregatesLimitsRandomnessSubqueriesAndSecondReadsAreNot() {
        Dataset<Row> input = spark.table("single_pass_input");
        assertThat(SinglePassPlan.readsEachInputOnce(input.join(spark.range(5).toDF("id"), "id"), READ)).isFalse();
        assertThat(SinglePassPlan.readsEachInputOnce(input.groupBy("text").count(), READ)).isFalse();
        assertThat(SinglePassPlan.readsEachInputOnce(input.limit(10), READ)).isFalse();
        assertThat(SinglePassPlan.readsEachInputOnce(input.selectExpr("id", "rand() AS r"), READ)).isFalse();
        assertThat(SinglePassPlan.readsEachInputOnce(spark.sql("SELECT * FROM single_pass_input "
                + "WHERE id IN (SELECT id FROM single_pass_input WHERE id > 50)"), READ)).isFalse();
        // the same input twice: its observation would count its records twice
        assertThat(SinglePassPlan.readsEachInputOnce(input.unionByName(input), READ)).isFalse();
        // an input the plan does not read at all was not observed
        assertThat(SinglePassPlan.readsEachInputOnce(spark.range(3).toDF(), READ)).isFalse();
    }
}
