package dev.mesh.bench;

import org.apache.spark.sql.SparkSession;

/** The session every benchmark runs on: local[2], no UI, few shuffle partitions, UTC, Delta. */
final class BenchSpark {
    private BenchSpark() {}

    static SparkSession session() {
        return SparkSession.builder().master("local[2]").appName("bench")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.databricks.delta.snapshotPartitions", "2")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .getOrCreate();
    }
}
