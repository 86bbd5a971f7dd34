package dev.mesh.runtime.storage;

import dev.mesh.runtime.spi.StorageBackend;
import dev.mesh.runtime.spi.StorageCredentials;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.StorageSpec;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/** Zones as folders on the local (or a mounted) file system: no settings, no credentials, no containers. */
public final class LocalFileBackend implements StorageBackend {
    @Override
    public Set<String> schemes() {
        return Set.of("file");
    }

    @Override
    public StorageCredentials credentials(StorageSpec storage, Map<String, String> environment) {
        return StorageCredentials.NONE;
    }

    @Override
    public void configure(Configuration hadoop, StorageSpec storage, StorageCredentials credentials) {
        // Hadoop's local file system needs nothing
    }

    @Override
    public List<Container> containers(StorageSpec storage, StorageCredentials credentials, MeshSpec mesh) {
        return List.of();
    }

    @Override
    public void requireExisting(StorageSpec storage, Container container) {
        // no containers
    }

    @Override
    public boolean ensure(StorageSpec storage, Container container) {
        return false;
    }

    @Override
    public String describe(StorageSpec storage) {
        return "the storage at " + storage.root();
    }

    @Override
    public String isolation(StorageSpec storage, StorageCredentials credentials, MeshSpec mesh, String guard) {
        return "zones are folders on one file system: " + guard;
    }

    @Override
    public DatasetName datasetName(URI location) {
        return new DatasetName("file", location.getPath() == null ? location.toString() : location.getPath());
    }
}
