package dev.mesh.runtime.storage;

import dev.mesh.runtime.spi.StorageCredentials;
import dev.mesh.spec.model.StorageSpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * Points Hadoop at the platform's store, through the storage backend of its root's scheme. Settings, and above all credentials, go into the SparkContext's Hadoop
 * configuration, never into SparkConf: Spark prints its conf (spark-submit --verbose, the environment page, event
 * logs) but not the Hadoop configuration, which it still ships to executors with every file scan and write.
 */
public final class StorageConfigurer {
    private StorageConfigurer() {}

    public static void apply(SparkSession spark, StorageSpec storage, StorageCredentials credentials) {
        apply(spark.sparkContext().hadoopConfiguration(), storage, credentials);
    }

    /** The same settings in a Hadoop configuration of its own: for the commands that read the ledger without Spark. */
    public static Configuration hadoopConfiguration(java.util.Map<String, String> sparkConf, StorageSpec storage,
            StorageCredentials credentials) {
        Configuration conf = new Configuration();
        // what Spark would copy into its Hadoop configuration from the platform's spark settings
        sparkConf.forEach((key, value) -> {
            if (key.startsWith("spark.hadoop.")) {
                conf.set(key.substring("spark.hadoop.".length()), value);
            }
        });
        LocalDiskSettings.configure(conf);
        apply(conf, storage, credentials);
        return conf;
    }

    private static void apply(Configuration conf, StorageSpec storage, StorageCredentials credentials) {
        StorageBackends.of(storage).configure(conf, storage, credentials);
    }
}
