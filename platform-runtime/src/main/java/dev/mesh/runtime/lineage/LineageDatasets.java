package dev.mesh.runtime.lineage;

import dev.mesh.runtime.spi.StorageBackend;
import dev.mesh.runtime.storage.StorageBackends;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.JdbcInputSpec;
import dev.mesh.spec.model.ProductId;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Names datasets the way OpenLineage's naming conventions do, so a lineage server joins them with what other tools
 * report about the same storage: a local path is namespace {@code file} and the absolute path, an S3 object is
 * {@code s3://BUCKET} and the key, a database table is {@code postgres://HOST:PORT} and {@code DATABASE.TABLE}.
 */
final class LineageDatasets {
    /** A dataset's OpenLineage identity. */
    record Name(String namespace, String name) {}

    private LineageDatasets() {}

    /** A location as the zone layout writes it: file:/..., file:///..., s3a://bucket/key. */
    static Name ofLocation(String location) {
        URI uri = URI.create(location.replace(" ", "%20"));
        String scheme = uri.getScheme() == null ? "file" : uri.getScheme();
        StorageBackend.DatasetName name = StorageBackends.forScheme(scheme).map(backend -> backend.datasetName(uri))
                .orElseGet(() -> StorageBackend.genericName(uri));
        return new Name(name.namespace(), stripTrailingSlash(name.name()));
    }

    static Name ofProduct(ZoneLayout zones, ProductId product) {
        return ofLocation(zones.product(product));
    }

    /**
     * A database input: the URL (from its environment variable) gives only scheme, host, port and database; user,
     * password and parameters never leave it. Without a readable URL, the mesh namespace and the variable's name.
     */
    static Name ofJdbc(JdbcInputSpec input, Map<String, String> environment, String meshNamespace) {
        String table = input.table().orElse(input.name());
        return Optional.ofNullable(environment.get(input.urlEnv()))
                .filter(url -> url.startsWith("jdbc:"))
                .flatMap(url -> {
                    try {
                        URI uri = URI.create(url.substring("jdbc:".length()));
                        if (uri.getHost() == null) {
                            return Optional.empty();
                        }
                        String scheme = "postgresql".equals(uri.getScheme()) ? "postgres" : uri.getScheme();
                        String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
                        return Optional.of(new Name(scheme + "://" + uri.getHost() + (uri.getPort() < 0 ? ""
                                : ":" + uri.getPort()), database.isEmpty() ? table : database + "." + table));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                })
                .orElseGet(() -> new Name(meshNamespace, input.urlEnv() + "." + table));
    }

    private static String stripTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
