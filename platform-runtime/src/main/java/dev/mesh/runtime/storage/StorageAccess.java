package dev.mesh.runtime.storage;

import static java.util.Objects.requireNonNull;

import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.StorageSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A mesh's storage, resolved: the buckets it uses, the credentials for each, and what keeps one domain's job out of
 * another domain's zone.
 */
public final class StorageAccess {
    private final StorageSpec storage;
    private final StorageCredentials credentials;

    public StorageAccess(StorageSpec storage, StorageCredentials credentials) {
        this.storage = requireNonNull(storage, "storage is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
    }

    public StorageCredentials credentials() {
        return credentials;
    }

    /** The bucket holding the root (platform tables), then each domain's bucket in bucket mode. */
    public List<Bucket> buckets(MeshSpec mesh) {
        if (!storage.isS3()) {
            return List.of();
        }
        Set<String> seen = new LinkedHashSet<>();
        List<Bucket> buckets = new ArrayList<>();
        String rootBucket = URI.create(storage.root().toString()).getHost();
        seen.add(rootBucket);
        buckets.add(new Bucket(rootBucket, credentials.platform()));
        if (storage.zones() == StorageSpec.ZoneMode.BUCKET) {
            mesh.domains().forEach(domain -> {
                String bucket = storage.bucket(domain.name());
                if (seen.add(bucket)) {
                    buckets.add(new Bucket(bucket, credentials.forDomain(domain.name())));
                }
            });
        }
        return buckets;
    }

    /** Fails with a clear error when a bucket of the mesh is missing or its credentials are refused. */
    public void verify(MeshSpec mesh) {
        storage.s3().ifPresent(s3 -> {
            S3Buckets store = new S3Buckets(s3);
            buckets(mesh).forEach(bucket -> store.requireExisting(bucket.name(), bucket.credentials()));
        });
    }

    /** What keeps a domain's job out of other zones, in words for the person running it. */
    public String isolation(MeshSpec mesh) {
        String guard = "the runtime refuses any write outside the running product's zone";
        if (!storage.isS3()) {
            return "zones are folders on one file system: " + guard;
        }
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

    /** A bucket and the credentials used for it. */
    public record Bucket(String name, Optional<S3Credentials> credentials) {}
}
