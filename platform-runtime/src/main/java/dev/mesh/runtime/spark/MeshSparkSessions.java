package dev.mesh.runtime.spark;

import dev.mesh.runtime.storage.LocalDiskSettings;
import dev.mesh.spec.model.PlatformSpec;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession a platform runs on. Settings resolve in a fixed order: what spark-submit (or the JVM's
 * {@code spark.*} system properties) already set wins, then platform.yaml's {@code spark.conf}, then the defaults
 * here. The master from platform.yaml applies only when nothing set one, so the same jar runs unchanged on a cluster.
 */
public final class MeshSparkSessions {
    /** Settings every platform session needs: Delta, and small-machine defaults a platform.yaml may override. */
    static final Map<String, String> REQUIRED = Map.of(
            "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog",
            // SQL of specs is what it says: ${env:...} would put the environment's secrets into a query
            GuardedSessions.VARIABLE_SUBSTITUTION, "false");
    static final Map<String, String> DEFAULTS = Map.of(
            "spark.sql.shuffle.partitions", "8",
            // Delta rebuilds a table's state with this many tasks (default 50); platform tables are small
            "spark.databricks.delta.snapshotPartitions", "2",
            // Delta 3.3 would keep a small table's file list in each commit's checksum, at the price of a Spark job
            // listing the previous version's files in every commit; no reader of this Delta version uses that list
            "spark.databricks.delta.allFilesInCrc.enabled", "false",
            "spark.ui.showConsoleProgress", "false",
            // products run in parallel (mesh run --parallel N) share the executors fairly
            "spark.scheduler.mode", "FAIR",
            "spark.sql.session.timeZone", "UTC",
            "spark.databricks.delta.properties.defaults.setTransactionRetentionDuration", "interval 30 days");

    private MeshSparkSessions() {}

    /**
     * Every setting a platform session gets when neither spark-submit nor platform.yaml sets it, and those it always
     * gets: for a session built elsewhere (the benchmarks') to run products as the platform's sessions do.
     */
    public static Map<String, String> settings() {
        Map<String, String> settings = new java.util.HashMap<>(DEFAULTS);
        settings.putAll(LocalDiskSettings.SPARK);
        settings.putAll(REQUIRED);
        return Map.copyOf(settings);
    }

    public static SparkSession create(PlatformSpec platform, String appName) {
        SparkConf conf = new SparkConf(true);
        if (!conf.contains("spark.master")) {
            conf.setMaster(platform.sparkMaster());
        }
        if (!conf.contains("spark.app.name")) {
            conf.setAppName(appName);
        }
        java.util.Set<String> given = java.util.Arrays.stream(conf.getAll()).map(scala.Tuple2::_1)
                .collect(java.util.stream.Collectors.toSet());
        DEFAULTS.forEach(conf::setIfMissing);
        // commits to local tables that cannot overwrite each other, in Spark's Delta and in Kernel alike; local files
        // written without a process each
        LocalDiskSettings.SPARK.forEach(conf::setIfMissing);
        platform.sparkConf().forEach((key, value) -> {
            if (!given.contains(key)) {
                conf.set(key, value);
            }
        });
        REQUIRED.forEach(conf::set);
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
