package dev.mesh.runtime.storage;

import static java.util.Objects.requireNonNull;

import dev.mesh.runtime.spi.StorageBackend;
import dev.mesh.runtime.spi.StorageCredentials;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.StorageSpec;
import java.util.List;

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

    /** The buckets (containers) holding the root (platform tables), then each domain's in bucket mode. */
    public List<StorageBackend.Container> buckets(MeshSpec mesh) {
        return backend().containers(storage, credentials, mesh);
    }

    /** Fails with a clear error when a bucket of the mesh is missing or its credentials are refused. */
    public void verify(MeshSpec mesh) {
        buckets(mesh).forEach(bucket -> backend().requireExisting(storage, bucket));
    }

    /** Creates each bucket of the mesh that is missing; the names of those it created, then of those that existed. */
    public void ensure(MeshSpec mesh, List<String> created, List<String> unchanged) {
        for (StorageBackend.Container bucket : buckets(mesh)) {
            (backend().ensure(storage, bucket) ? created : unchanged).add("bucket " + bucket.name());
        }
    }

    /** What keeps a domain's job out of other zones, in words for the person running it. */
    public String isolation(MeshSpec mesh) {
        return backend().isolation(storage, credentials, mesh,
                "the runtime refuses any write outside the running product's zone");
    }

    private StorageBackend backend() {
        return StorageBackends.of(storage);
    }
}
