package dev.mesh.runtime.spi;

import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.StorageSpec;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/**
 * One kind of storage the zones can live on, chosen by the URI scheme of {@code storage.root}: what Hadoop needs to
 * reach it, where its credentials come from, the containers (buckets) the zones use and how to create and check them,
 * how the store is named when it does not answer, what keeps domains apart in it, and how its datasets are named in
 * lineage. The built-in backends are {@code file} and {@code s3a}; a new one is this interface, its Hadoop file
 * system on the classpath, and a line in {@code META-INF/services/dev.mesh.runtime.spi.StorageBackend}.
 */
public interface StorageBackend {
    /** The URI schemes it serves; the first is the one a storage root is written with. */
    Set<String> schemes();

    /** Resolves the credentials {@code storage} names from {@code environment}; fails naming a missing variable. */
    StorageCredentials credentials(StorageSpec storage, Map<String, String> environment);

    /**
     * Sets what Hadoop needs to reach the store into {@code hadoop}: settings, and above all credentials, go into the
     * Hadoop configuration, never into SparkConf, which Spark prints.
     */
    void configure(Configuration hadoop, StorageSpec storage, StorageCredentials credentials);

    /** The containers the mesh's zones use, the root's first, each with the credentials used for it. */
    List<Container> containers(StorageSpec storage, StorageCredentials credentials, MeshSpec mesh);

    /** Fails with a clear error unless the container exists and its credentials are accepted. */
    void requireExisting(StorageSpec storage, Container container);

    /** Creates the container unless it exists; whether it created it. */
    boolean ensure(StorageSpec storage, Container container);

    /** The store in words, for a one-line message when it does not answer: "the store at http://host:9000". */
    String describe(StorageSpec storage);

    /** What keeps one domain's job out of another domain's zone on this store, ending with the runtime's own guard. */
    String isolation(StorageSpec storage, StorageCredentials credentials, MeshSpec mesh, String guard);

    /** A location's OpenLineage identity, by the naming conventions other tools use for the same storage. */
    default DatasetName datasetName(URI location) {
        return genericName(location);
    }

    /** {@code scheme://authority} and the path: how a location on a store without conventions of its own is named. */
    static DatasetName genericName(URI location) {
        return new DatasetName(location.getScheme() + "://" + (location.getAuthority() == null ? ""
                : location.getAuthority()), location.getPath() == null ? "" : location.getPath());
    }

    /** A container (bucket) and the credentials used for it. */
    record Container(String name, Optional<S3Credentials> credentials) {}

    /** A dataset's OpenLineage identity. */
    record DatasetName(String namespace, String name) {}
}
