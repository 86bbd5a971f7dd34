package dev.mesh.runtime.storage;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.spi.S3Credentials;
import dev.mesh.runtime.spi.StorageBackend;
import dev.mesh.runtime.spi.StorageCredentials;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.S3Spec;
import dev.mesh.spec.model.S3Spec.CredentialsSpec;
import dev.mesh.spec.model.StorageSpec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/**
 * Zones on S3 or an S3-compatible store through Hadoop S3A: endpoint, region, path-style access and bounded retries
 * in Hadoop's configuration, credentials from the environment variables platform.yaml names (the platform's, and a
 * domain's own for its bucket in bucket mode), buckets checked and created with the AWS SDK ({@link S3Buckets}).
 */
public final class S3aBackend implements StorageBackend {
    static final String SIMPLE_PROVIDER = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider";
    static final String DEFAULT_PROVIDER = "com.amazonaws.auth.DefaultAWSCredentialsProviderChain";
    /** Attempts per S3 operation: S3A's own retry policy, the AWS SDK's retries turned off under it. */
    static final int ATTEMPTS = 3;
    /** How many operations a run may make against a store that stopped answering before it gives up. */
    static final int FAILING_OPERATIONS = 4;
    /** The backoff between attempts (S3A's exponential policy from {@code fs.s3a.retry.interval}), per operation. */
    static final long BACKOFF_MILLIS = 1500;

    @Override
    public Set<String> schemes() {
        // s3 and s3n name the same objects in lineage; roots are written s3a://
        return new LinkedHashSet<>(List.of("s3a", "s3", "s3n"));
    }

    @Override
    public StorageCredentials credentials(StorageSpec storage, Map<String, String> environment) {
        S3Spec s3 = s3(storage);
        Optional<S3Credentials> platform = resolve(s3.credentials(), "storage.s3.credentials", environment);
        Map<String, S3Credentials> domains = new LinkedHashMap<>();
        s3.domainCredentials().forEach((domain, spec) -> resolve(spec, "storage.s3.domainCredentials." + domain,
                environment).ifPresent(credentials -> domains.put(domain, credentials)));
        return new StorageCredentials(platform, domains);
    }

    @Override
    public void configure(Configuration conf, StorageSpec storage, StorageCredentials credentials) {
        S3Spec s3 = s3(storage);
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

    @Override
    public List<Container> containers(StorageSpec storage, StorageCredentials credentials, MeshSpec mesh) {
        Set<String> seen = new LinkedHashSet<>();
        List<Container> containers = new ArrayList<>();
        String rootBucket = URI.create(storage.root().toString()).getHost();
        seen.add(rootBucket);
        containers.add(new Container(rootBucket, credentials.platform()));
        if (storage.zones() == StorageSpec.ZoneMode.BUCKET) {
            mesh.domains().forEach(domain -> {
                String bucket = storage.bucket(domain.name());
                if (seen.add(bucket)) {
                    containers.add(new Container(bucket, credentials.forDomain(domain.name())));
                }
            });
        }
        return containers;
    }

    @Override
    public void requireExisting(StorageSpec storage, Container container) {
        new S3Buckets(s3(storage)).requireExisting(container.name(), container.credentials());
    }

    @Override
    public boolean ensure(StorageSpec storage, Container container) {
        return new S3Buckets(s3(storage)).ensure(container.name(), container.credentials());
    }

    @Override
    public String describe(StorageSpec storage) {
        return s3(storage).endpoint().map(endpoint -> "the store at " + endpoint).orElse("the S3 store");
    }

    @Override
    public String isolation(StorageSpec storage, StorageCredentials credentials, MeshSpec mesh, String guard) {
        if (storage.zones() == StorageSpec.ZoneMode.PREFIX) {
            return "zones are prefixes of one bucket under one identity, so the store cannot tell domains apart: "
                    + guard;
        }
        boolean everyDomainHasItsOwn = mesh.domains().stream()
                .allMatch(domain -> credentials.domains().containsKey(domain.name()));
        if (everyDomainHasItsOwn) {
            return "each domain's zone is a bucket accessed with that domain's own credentials, so the store enforces "
                    + "what its policies allow; and " + guard;
        }
        return "zones are buckets, but not every domain has credentials of its own, so the store enforces no "
                + "separation for those: " + guard;
    }

    @Override
    public DatasetName datasetName(URI location) {
        String path = location.getPath() == null ? "" : location.getPath();
        return new DatasetName("s3://" + location.getHost(), path.startsWith("/") ? path.substring(1) : path);
    }

    private static S3Spec s3(StorageSpec storage) {
        return storage.s3().orElseThrow(() -> MeshException.invalidInput("storage root %s is on S3 but "
                + "platform.yaml has no storage.s3 settings (endpoint, region, credentials)", storage.root()));
    }

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

    private static Optional<S3Credentials> resolve(CredentialsSpec spec, String path, Map<String, String> environment) {
        if (spec.defaultChain()) {
            return Optional.empty();
        }
        String accessKey = variable(environment, spec.accessKeyEnv(), path + ".accessKeyEnv");
        String secretKey = variable(environment, spec.secretKeyEnv(), path + ".secretKeyEnv");
        return Optional.of(new S3Credentials(accessKey, secretKey, spec.accessKeyEnv() + "/" + spec.secretKeyEnv()));
    }

    private static String variable(Map<String, String> environment, String name, String path) {
        String value = environment.get(name);
        if (value == null || value.isEmpty()) {
            throw MeshException.invalidInput("environment variable %s is not set; platform.yaml's %s names it as "
                    + "the source of an S3 credential", name, path);
        }
        return value;
    }
}
