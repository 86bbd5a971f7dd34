package dev.mesh.runtime.storage;

import dev.mesh.spec.S3Spec;
import dev.mesh.spec.StorageSpec;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * Points Hadoop S3A at the platform's store. Settings, and above all credentials, go into the SparkContext's Hadoop
 * configuration, never into SparkConf: Spark prints its conf (spark-submit --verbose, the environment page, event
 * logs) but not the Hadoop configuration, which it still ships to executors with every file scan and write.
 */
public final class StorageConfigurer {
    static final String SIMPLE_PROVIDER = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider";
    static final String DEFAULT_PROVIDER = "com.amazonaws.auth.DefaultAWSCredentialsProviderChain";

    private StorageConfigurer() {}

    public static void apply(SparkSession spark, StorageSpec storage, StorageCredentials credentials) {
        if (storage.s3().isEmpty()) {
            return;
        }
        S3Spec s3 = storage.s3().get();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        s3.endpoint().ifPresent(endpoint -> {
            conf.set("fs.s3a.endpoint", endpoint);
            conf.setBoolean("fs.s3a.connection.ssl.enabled", endpoint.startsWith("https://"));
        });
        conf.set("fs.s3a.endpoint.region", s3.region());
        conf.setBoolean("fs.s3a.path.style.access", s3.pathStyleAccess());
        // S3-compatible servers differ in the ETags of multipart copies; the client-side check works with all
        conf.set("fs.s3a.change.detection.mode", "client");
        set(conf, "fs.s3a.", credentials.platform());
        for (String domain : credentials.domains().keySet()) {
            if (storage.zones() == StorageSpec.ZoneMode.BUCKET) {
                set(conf, "fs.s3a.bucket." + storage.bucket(domain) + ".", credentials.forDomain(domain));
            }
        }
    }

    private static void set(Configuration conf, String prefix, Optional<S3Credentials> credentials) {
        if (credentials.isPresent()) {
            conf.set(prefix + "aws.credentials.provider", SIMPLE_PROVIDER);
            conf.set(prefix + "access.key", credentials.get().accessKey());
            conf.set(prefix + "secret.key", credentials.get().secretKey());
        } else {
            conf.set(prefix + "aws.credentials.provider", DEFAULT_PROVIDER);
            conf.unset(prefix + "access.key");
            conf.unset(prefix + "secret.key");
        }
    }
}
