package dev.mesh.jobs.cli;

import dev.mesh.runtime.catalog.DomainCatalog;
import dev.mesh.runtime.spec.MeshSpec;
import dev.mesh.runtime.spec.SpecLoad;
import dev.mesh.runtime.spec.SpecLoader;
import dev.mesh.runtime.zone.ZoneLayout;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * One command's view of the mesh: the specs, loaded and validated once (without Spark), and a SparkSession started
 * only when the command needs one.
 */
final class MeshContext implements AutoCloseable {
    private final CliEnvironment environment;
    private final Path platformFile;
    private final Optional<URI> storageRoot;
    private MeshSpec mesh;
    private SparkSession spark;

    MeshContext(CliEnvironment environment, Path platformFile, Optional<URI> storageRoot) {
        this.environment = environment;
        this.platformFile = platformFile;
        this.storageRoot = storageRoot;
    }

    CliEnvironment environment() {
        return environment;
    }

    SpecLoad load() {
        return SpecLoader.create().load(platformFile, storageRoot);
    }

    MeshSpec mesh() {
        if (mesh == null) {
            mesh = load().orThrow();
        }
        return mesh;
    }

    ZoneLayout zones() {
        return new ZoneLayout(mesh().platform().storageRoot());
    }

    SparkSession spark() {
        if (spark == null) {
            spark = environment.sparkFactory().apply(mesh().platform());
        }
        return spark;
    }

    /** The session, with every domain database and published product registered in its catalog. */
    SparkSession sparkWithCatalog() {
        new DomainCatalog(spark(), zones()).registerAll(mesh());
        return spark;
    }

    @Override
    public void close() {
        if (spark != null && environment.stopSpark()) {
            spark.stop();
        }
    }
}
