package dev.mesh.runtime.spi;

import java.util.Map;
import java.util.Optional;

/**
 * The credentials of a storage, resolved from environment variables named in platform.yaml: the platform's own
 * (empty for the AWS default provider chain) and each domain's, for its bucket. S3-shaped: a backend whose store
 * takes another kind of credential would add its own kind here.
 */
public record StorageCredentials(Optional<S3Credentials> platform, Map<String, S3Credentials> domains) {
    public static final StorageCredentials NONE = new StorageCredentials(Optional.empty(), Map.of());

    public StorageCredentials {
        domains = Map.copyOf(domains);
    }

    /** The credentials used for a domain's bucket: its own, else the platform's. */
    public Optional<S3Credentials> forDomain(String domain) {
        return Optional.ofNullable(domains.get(domain)).or(() -> platform);
    }
}
