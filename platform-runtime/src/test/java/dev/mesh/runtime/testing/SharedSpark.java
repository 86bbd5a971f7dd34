package dev.mesh.runtime.testing;

import dev.mesh.runtime.storage.LocalDiskSettings;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of a test JVM (Surefire reuses one fork per module): local[2], two shuffle partitions, no UI,
 * Delta enabled. Tests isolate themselves by temporary paths, never by starting sessions of their own.
 */
public final class SharedSpark {
    private static SparkSession session;

    private SharedSpark() {}

    public static synchronized SparkSession session() {
        if (session == null) {
            SparkSession.Builder builder = SparkSession.builder()
                    .master("local[2]")
                    .appName("mesh-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.databricks.delta.snapshotPartitions", "2")
                    .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                    .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1");
            // the platform's sessions use the local disk through its log store and file system: so do the tests'
            LocalDiskSettings.SPARK.forEach(builder::config);
            session = builder.getOrCreate();
            SparkSession started = session;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "stop-shared-spark"));
        }
        return session;
    }
}
