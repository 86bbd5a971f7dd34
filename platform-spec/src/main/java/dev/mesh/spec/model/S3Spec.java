package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach an S3-compatible store through Hadoop S3A. Credentials are never part of a spec: {@code credentials}
 * names the environment variables that hold them (or the default AWS provider chain), and {@code domainCredentials}
 * may give each domain credentials of its own for its bucket (least privilege, where the store enforces it).
 * {@code timeout} bounds how long a store that stopped answering (down, or hanging) may hold a run before the run
 * fails: its retries are sized to it.
 */
public record S3Spec(
        Optional<String> endpoint,
        String region,
        boolean pathStyleAccess,
        CredentialsSpec credentials,
        Map<String, CredentialsSpec> domainCredentials,
        Duration timeout) {
    /** How long a store that stopped answering may hold a run, unless platform.yaml says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    public S3Spec {
        endpoint = endpoint == null ? Optional.empty() : endpoint;
        requireNonNull(region, "region is null");
        requireNonNull(credentials, "credentials is null");
        domainCredentials = Map.copyOf(domainCredentials);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    /** Credentials by reference: two environment variables, or the default AWS provider chain. */
    public record CredentialsSpec(String accessKeyEnv, String secretKeyEnv, boolean defaultChain) {
        public static final CredentialsSpec DEFAULT_CHAIN = new CredentialsSpec(null, null, true);

        public static CredentialsSpec fromEnvironment(String accessKeyEnv, String secretKeyEnv) {
            return new CredentialsSpec(requireNonNull(accessKeyEnv, "accessKeyEnv is null"),
                    requireNonNull(secretKeyEnv, "secretKeyEnv is null"), false);
        }
    }
}
