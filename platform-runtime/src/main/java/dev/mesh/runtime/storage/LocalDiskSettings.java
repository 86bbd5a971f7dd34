package dev.mesh.runtime.storage;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * What the platform changes in how Spark, Delta and Kernel use the local disk: commits that cannot overwrite each
 * other ({@link LocalDiskLogStore}) and files written without a process per file ({@link LocalDiskFileSystem}). A
 * setting already given (platform.yaml, spark-submit) wins.
 */
public final class LocalDiskSettings {
    /** The Hadoop settings, for a configuration of its own (the commands that read the ledger without Spark). */
    private static final Map<String, String> HADOOP = Map.of(
            LocalDiskLogStore.KERNEL_SETTING, LocalDiskLogStore.class.getName(),
            "fs.file.impl", LocalDiskFileSystem.class.getName(),
            "fs.AbstractFileSystem.file.impl", LocalDiskFileSystem.Context.class.getName());

    /** The same for a SparkSession, whose Hadoop configuration (on the driver and executors alike) gets them. */
    public static final Map<String, String> SPARK = spark();

    private LocalDiskSettings() {}

    /** Sets in {@code conf} what nothing but Hadoop's own defaults ({@code core-default.xml}) set already. */
    public static void configure(Configuration conf) {
        HADOOP.forEach((key, value) -> {
            String[] sources = conf.get(key) == null ? null : conf.getPropertySources(key);
            if (sources == null || java.util.Arrays.stream(sources).allMatch(source -> source.endsWith("-default.xml"))) {
                conf.set(key, value);
            }
        });
    }

    private static Map<String, String> spark() {
        java.util.Map<String, String> settings = new java.util.HashMap<>();
        settings.put("spark.delta.logStore.file.impl", LocalDiskLogStore.class.getName());
        HADOOP.forEach((key, value) -> settings.put("spark.hadoop." + key, value));
        return Map.copyOf(settings);
    }
}
