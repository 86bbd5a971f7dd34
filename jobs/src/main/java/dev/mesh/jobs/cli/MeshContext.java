package dev.mesh.jobs.cli;

import dev.mesh.quality.alert.AlertSender;
import dev.mesh.runtime.Mesh;
import dev.mesh.runtime.ledger.DirectPlatformTables;
import dev.mesh.runtime.provision.ProvisionReport;
import dev.mesh.runtime.storage.StorageAccess;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.SpecLoad;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.StorageSpec;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * One command's view of the mesh: the runtime's facade ({@link Mesh}), opened with what the CLI's environment gives
 * (variables, how sessions are made, extensions, clock), and the few things only a command needs (the alert targets).
 */
final class MeshContext implements AutoCloseable {
    private final CliEnvironment environment;
    private final Path platformFile;
    private final Optional<URI> storageRoot;
    private final Mesh mesh;

    MeshContext(CliEnvironment environment, Path platformFile, Optional<URI> storageRoot) {
        this(environment, platformFile, storageRoot, Optional.empty(), Map.of());
    }

    private MeshContext(CliEnvironment environment, Path platformFile, Optional<URI> storageRoot,
            Optional<StorageSpec> storage, Map<String, String> extraVariables) {
        this.environment = environment;
        this.platformFile = platformFile;
        this.storageRoot = storageRoot;
        Mesh.Builder builder = Mesh.at(platformFile).storageRoot(storageRoot).variables(environment.variables())
                .variables(extraVariables).spark(environment.sparkFactory(), environment.stopSpark())
                .extensions(environment.extensions()).clock(environment.clock());
        storage.ifPresent(builder::storage);
        this.mesh = builder.open();
    }

    /** The same command on other storage, with extra variables (the local S3 mode's generated credentials). */
    MeshContext withStorage(StorageSpec other, Map<String, String> extraVariables) {
        return new MeshContext(environment, platformFile, storageRoot, Optional.of(other), extraVariables);
    }

    /** The runtime's facade, which does the command's work. */
    Mesh runtime() {
        return mesh;
    }

    CliEnvironment environment() {
        return environment;
    }

    SpecLoad load() {
        return mesh.load();
    }

    MeshSpec mesh() {
        return mesh.spec();
    }

    /** Fails, naming the nearest domain, unless the mesh has a domain of this name. */
    void requireDomain(String name, String what) {
        mesh.requireDomain(name, what);
    }

    ZoneLayout zones() {
        return mesh.zones();
    }

    StorageAccess storage() {
        return mesh.storage();
    }

    SparkSession spark() {
        return mesh.spark();
    }

    Map<String, String> variables() {
        return mesh.variables();
    }

    /** The alert targets of platform.yaml (webhook URLs resolved from the environment). */
    AlertSender alerts() {
        return AlertSender.create(mesh().platform().alerts(), mesh.variables());
    }

    ProvisionReport provision(boolean asked) {
        return mesh.provision(asked);
    }

    DirectPlatformTables directTables() {
        return mesh.platformTables();
    }

    SparkSession verifiedSpark() {
        return mesh.verifiedSpark();
    }

    boolean hasPlatform() {
        return mesh.hasPlatform();
    }

    SparkSession defaultSpark() {
        return mesh.defaultSpark();
    }

    SparkSession sparkWithCatalog() {
        return mesh.sparkWithCatalog();
    }

    @Override
    public void close() {
        mesh.close();
    }
}
