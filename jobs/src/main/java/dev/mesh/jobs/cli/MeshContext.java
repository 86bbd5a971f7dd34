package dev.mesh.jobs.cli;

import dev.mesh.quality.alert.AlertSender;
import dev.mesh.runtime.catalog.DomainCatalog;
import dev.mesh.spec.MeshSpec;
import dev.mesh.spec.SpecLoad;
import dev.mesh.spec.SpecLoader;
import dev.mesh.spec.StorageSpec;
import dev.mesh.runtime.storage.StorageAccess;
import dev.mesh.runtime.storage.StorageConfigurer;
import dev.mesh.runtime.storage.StorageCredentials;
import dev.mesh.runtime.provision.HadoopZoneProvisioner;
import dev.mesh.runtime.zone.ZoneLayout;
import java.util.List;
import java.util.Map;
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
    private final StorageSpec storageOverride;
    private final Map<String, String> variables;
    private MeshSpec mesh;
    private SparkSession spark;
    private StorageAccess storage;

    MeshContext(CliEnvironment environment, Path platformFile, Optional<URI> storageRoot) {
        this(environment, platformFile, storageRoot, null, environment.variables());
    }

    private MeshContext(CliEnvironment environment, Path platformFile, Optional<URI> storageRoot,
            StorageSpec storageOverride, Map<String, String> variables) {
        this.environment = environment;
        this.platformFile = platformFile;
        this.storageRoot = storageRoot;
        this.storageOverride = storageOverride;
        this.variables = variables;
    }

    /** The same command on other storage, with extra variables (the local S3 mode's generated credentials). */
    MeshContext withStorage(StorageSpec other, Map<String, String> extraVariables) {
        Map<String, String> all = new java.util.HashMap<>(variables);
        all.putAll(extraVariables);
        return new MeshContext(environment, platformFile, storageRoot, other, all);
    }

    CliEnvironment environment() {
        return environment;
    }

    SpecLoad load() {
        return SpecLoader.create().load(platformFile, storageRoot);
    }

    MeshSpec mesh() {
        if (mesh == null) {
            MeshSpec loaded = load().orThrow();
            mesh = storageOverride == null ? loaded : loaded.withPlatform(loaded.platform().withStorage(storageOverride));
            dev.mesh.runtime.storage.Secrets.registerAll(variables, mesh.secretVariables());
        }
        return mesh;
    }

    /** Fails, naming the nearest domain, unless the mesh has a domain of this name. */
    void requireDomain(String name, String what) {
        if (mesh().domain(name).isEmpty()) {
            throw dev.mesh.error.MeshException.invalidInput("%sno domain '%s' in the mesh%s", what, name,
                    dev.mesh.spec.NearestNames.suggestion(name, mesh().domains().stream()
                            .map(dev.mesh.spec.DomainSpec::name).toList()));
        }
    }

    ZoneLayout zones() {
        return new ZoneLayout(mesh().platform().storage());
    }

    /** The storage with its credentials resolved from the environment (before Spark starts). */
    StorageAccess storage() {
        if (storage == null) {
            StorageSpec spec = mesh().platform().storage();
            storage = new StorageAccess(spec, StorageCredentials.resolve(spec, variables));
        }
        return storage;
    }

    SparkSession spark() {
        if (spark == null) {
            StorageAccess access = storage();
            spark = environment.sparkFactory().apply(mesh().platform());
            StorageConfigurer.apply(spark, mesh().platform().storage(), access.credentials());
        }
        return spark;
    }

    /** The environment variables specs name, with the ones this command adds (the local S3 mode's credentials). */
    Map<String, String> variables() {
        return variables;
    }

    /** The alert targets of platform.yaml (webhook URLs resolved from the environment). */
    AlertSender alerts() {
        return AlertSender.create(mesh().platform().alerts(), variables);
    }

    /**
     * Provisions the mesh's zones and platform tables, and records it in the audit trail: always when asked for
     * ({@code mesh provision}), else when it created something (the commands that provision before they work).
     */
    dev.mesh.runtime.provision.ProvisionReport provision(boolean asked) {
        dev.mesh.runtime.provision.ProvisionReport report = new HadoopZoneProvisioner(spark(), zones(), storage())
                .provision(mesh());
        if (!asked && report.changedNothing()) {
            return report;
        }
        new dev.mesh.runtime.ledger.PlatformTables(spark(), zones()).audit(List.of(
                dev.mesh.runtime.run.AuditListener.provisioned(variables, environment.clock().instant(), "mesh",
                        report.created().size() + " created, " + report.unchanged().size() + " already there")));
        return report;
    }

    /**
     * The platform tables without Spark (Delta Kernel), once the mesh's buckets are known to exist and accept the
     * credentials: through the session's Hadoop configuration when one is running, else through one of their own.
     */
    dev.mesh.runtime.ledger.DirectPlatformTables directTables() {
        storage().verify(mesh());
        org.apache.hadoop.conf.Configuration hadoop = spark != null ? spark.sparkContext().hadoopConfiguration()
                : StorageConfigurer.hadoopConfiguration(mesh().platform().sparkConf(), mesh().platform().storage(),
                        storage().credentials());
        return new dev.mesh.runtime.ledger.DirectPlatformTables(hadoop, zones());
    }

    /** The session, once the mesh's buckets are known to exist and accept the credentials. */
    SparkSession verifiedSpark() {
        storage().verify(mesh());
        return spark();
    }

    boolean hasPlatform() {
        return java.nio.file.Files.isRegularFile(platformFile);
    }

    /** A session for work that needs no mesh (profiling a file): local, with the platform's defaults. */
    SparkSession defaultSpark() {
        if (spark == null) {
            spark = environment.sparkFactory().apply(new dev.mesh.spec.PlatformSpec("mesh",
                    StorageSpec.local(Path.of("").toAbsolutePath().toUri()), "local[*]", Map.of(),
                    Path.of("domains"), java.util.List.of(), java.util.Optional.empty(),
                    java.util.Optional.empty(), platformFile));
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
