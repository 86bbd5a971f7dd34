package dev.mesh.runtime.storage;

import dev.mesh.spec.model.S3Spec;
import dev.mesh.spec.model.StorageSpec;
import java.time.Duration;
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
        LocalDiskLogStore.configureKernel(conf);
        apply(conf, storage, credentials);
        return conf;
    }

    private static void apply(Configuration conf, StorageSpec storage, StorageCredentials credentials) {
        if (storage.s3().isEmpty()) {
            return;
        }
        S3Spec s3 = storage.s3().get();
        s3.endpoint().ifPresent(endpoint -> {
            conf.set("fs.s3a.endpoint", endpoint);
            conf.setBoolean("fs.s3a.connection.ssl.enabled", endpoint.startsWith("https://"));
        });
        conf.set("fs.s3a.endpoint.region", s3.region());
        conf.setBoolean("fs.s3a.path.style.access", s3.pathStyleAccess());
        // S3-compatible servers differ in the ETags of multipart copies; the client-side check works with all
        conf.set("fs.s3a.change.detection.mode", "client");
        bound(conf, s3.timeout());
        set(conf, "fs.s3a.", credentials.platform());
        for (String domain : credentials.domains().keySet()) {
            if (storage.zones() == StorageSpec.ZoneMode.BUCKET) {
                set(conf, "fs.s3a.bucket." + storage.bucket(domain) + ".", credentials.forDomain(domain));
            }
        }
    }

    /** Attempts per S3 operation: S3A's own retry policy, the AWS SDK's retries turned off under it. */
    static final int ATTEMPTS = 3;
    /** How many operations a run may make against a store that stopped answering before it gives up. */
    static final int FAILING_OPERATIONS = 4;
    /** The backoff between attempts (S3A's exponential policy from {@code fs.s3a.retry.interval}), per operation. */
    static final long BACKOFF_MILLIS = 1500;

    /**
     * Bounds how long a store that does not answer may hold a run. Hadoop's defaults retry for many minutes (the SDK's
     * 20 attempts inside S3A's 7 retries with backoff, 200 s socket timeouts). Here an operation makes {@value
     * #ATTEMPTS} attempts with short backoff, a run that meets a dead store fails after a few operations (Delta probes
     * the log, then the publish, then the run record: {@value #FAILING_OPERATIONS} at most were seen), and an attempt
     * waits for a connection, or for the next bytes of an answer (a transfer that keeps moving is never cut), at most
     * what the timeout leaves for it after the backoffs: so the run ends within about {@code timeout}.
     */
    static void bound(Configuration conf, Duration timeout) {
        long perAttempt = Math.max(1000, (timeout.toMillis() - FAILING_OPERATIONS * BACKOFF_MILLIS)
                / (ATTEMPTS * FAILING_OPERATIONS));
        conf.setInt("fs.s3a.attempts.maximum", 0);
        conf.setInt("fs.s3a.retry.limit", ATTEMPTS - 1);
        conf.set("fs.s3a.retry.interval", "500ms");
        conf.setInt("fs.s3a.retry.throttle.limit", ATTEMPTS - 1);
        conf.set("fs.s3a.retry.throttle.interval", "500ms");
        conf.setInt("fs.s3a.connection.establish.timeout", (int) perAttempt);
        conf.setInt("fs.s3a.connection.timeout", (int) perAttempt);
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
