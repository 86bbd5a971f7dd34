package dev.mesh.runtime.storage;

import dev.mesh.error.MeshException;
import dev.mesh.spec.model.S3Spec;
import dev.mesh.spec.model.S3Spec.CredentialsSpec;
import dev.mesh.spec.model.StorageSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The credentials of a storage, resolved from environment variables named in platform.yaml: the platform's own
 * (empty for the AWS default provider chain) and each domain's, for its bucket.
 */
public record StorageCredentials(Optional<S3Credentials> platform, Map<String, S3Credentials> domains) {
    public static final StorageCredentials NONE = new StorageCredentials(Optional.empty(), Map.of());

    public StorageCredentials {
        domains = Map.copyOf(domains);
    }

    /** Resolves every credential reference of {@code storage} in {@code environment}. */
    public static StorageCredentials resolve(StorageSpec storage, Map<String, String> environment) {
        if (storage.s3().isEmpty()) {
            return NONE;
        }
        S3Spec s3 = storage.s3().get();
        Optional<S3Credentials> platform = resolve(s3.credentials(), "storage.s3.credentials", environment);
        Map<String, S3Credentials> domains = new LinkedHashMap<>();
        s3.domainCredentials().forEach((domain, spec) -> resolve(spec, "storage.s3.domainCredentials." + domain,
                environment).ifPresent(credentials -> domains.put(domain, credentials)));
        return new StorageCredentials(platform, domains);
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

    /** The credentials used for a domain's bucket: its own, else the platform's. */
    public Optional<S3Credentials> forDomain(String domain) {
        return Optional.ofNullable(domains.get(domain)).or(() -> platform);
    }
}
