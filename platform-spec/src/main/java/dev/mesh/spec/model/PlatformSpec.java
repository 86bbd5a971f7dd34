package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The platform: where zones live ({@code storage}, its root already resolved to an absolute URI), how Spark is
 * started when the platform starts it, the folder holding the domains, where run events go ({@code lineage}), and
 * how {@code mesh serve} runs ({@code server}).
 */
public record PlatformSpec(
        String name,
        StorageSpec storage,
        String sparkMaster,
        Map<String, String> sparkConf,
        Path domainsDir,
        java.util.List<AlertSpec> alerts,
        java.util.Optional<Path> governanceFile,
        java.util.Optional<LineageSpec> lineage,
        ServerSpec server,
        Path file) {
    public PlatformSpec {
        requireNonNull(name, "name is null");
        requireNonNull(storage, "storage is null");
        requireNonNull(sparkMaster, "sparkMaster is null");
        sparkConf = Map.copyOf(sparkConf);
        requireNonNull(domainsDir, "domainsDir is null");
        alerts = java.util.List.copyOf(alerts);
        requireNonNull(governanceFile, "governanceFile is null");
        requireNonNull(lineage, "lineage is null");
        requireNonNull(server, "server is null");
        requireNonNull(file, "file is null");
    }

    public URI storageRoot() {
        return storage.root();
    }

    /** The same platform on another Spark master (mesh serve's own session, when runs go to a cluster). */
    public PlatformSpec withSparkMaster(String master) {
        return new PlatformSpec(name, storage, master, sparkConf, domainsDir, alerts, governanceFile, lineage, server,
                file);
    }

    /** The same platform with another storage (an override on the command line, the local S3 mode). */
    public PlatformSpec withStorage(StorageSpec other) {
        return new PlatformSpec(name, other, sparkMaster, sparkConf, domainsDir, alerts, governanceFile, lineage,
                server, file);
    }
}
