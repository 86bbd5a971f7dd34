package dev.mesh.runtime.spec;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The platform: where zones live ({@code storageRoot}, already resolved to an absolute URI), how Spark is
 * started when the platform starts it, and the folder holding the domains.
 */
public record PlatformSpec(
        String name,
        URI storageRoot,
        String sparkMaster,
        Map<String, String> sparkConf,
        Path domainsDir,
        Path file) {
    public PlatformSpec {
        requireNonNull(name, "name is null");
        requireNonNull(storageRoot, "storageRoot is null");
        requireNonNull(sparkMaster, "sparkMaster is null");
        sparkConf = Map.copyOf(sparkConf);
        requireNonNull(domainsDir, "domainsDir is null");
        requireNonNull(file, "file is null");
    }
}
