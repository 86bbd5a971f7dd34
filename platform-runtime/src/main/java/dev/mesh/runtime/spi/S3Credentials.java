package dev.mesh.runtime.spi;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.Secrets;

/** An access key and its secret, resolved from the environment. Never printed: see {@link #toString()}. */
public record S3Credentials(String accessKey, String secretKey, String source) {
    public S3Credentials {
        requireNonNull(accessKey, "accessKey is null");
        requireNonNull(secretKey, "secretKey is null");
        requireNonNull(source, "source is null");
        Secrets.register(accessKey);
        Secrets.register(secretKey);
    }

    @Override
    public String toString() {
        return "S3Credentials[from " + source + "]";
    }
}
