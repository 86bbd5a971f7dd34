package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;

/**
 * Where zones live. {@code root} holds the platform tables and, with {@link ZoneMode#PREFIX}, every domain's zone
 * as a folder; with {@link ZoneMode#BUCKET} each domain's zone is a bucket of its own, named by
 * {@code bucketPattern} ({@code {domain}} replaced by the domain's name). {@code s3} is set for {@code s3a://} roots.
 */
public record StorageSpec(URI root, ZoneMode zones, String bucketPattern, Optional<S3Spec> s3) {
    public StorageSpec {
        requireNonNull(root, "root is null");
        requireNonNull(zones, "zones is null");
        bucketPattern = bucketPattern == null ? "" : bucketPattern;
        s3 = s3 == null ? Optional.empty() : s3;
    }

    public static StorageSpec local(URI root) {
        return new StorageSpec(root, ZoneMode.PREFIX, "", Optional.empty());
    }

    public boolean isS3() {
        return "s3a".equals(root.getScheme());
    }

    /** The bucket of a domain's zone in bucket mode. */
    public String bucket(String domain) {
        return bucketPattern.replace("{domain}", domain.replace('_', '-'));
    }

    /** How domains' zones are laid out on the store. */
    public enum ZoneMode {
        /** One folder (or key prefix) per domain under the root. */
        PREFIX,
        /** One bucket per domain; the root holds only the platform tables. */
        BUCKET
    }
}
