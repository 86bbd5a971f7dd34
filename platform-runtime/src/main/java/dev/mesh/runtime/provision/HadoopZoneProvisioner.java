package dev.mesh.runtime.provision;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.catalog.DomainCatalog;
import dev.mesh.runtime.kernel.KernelDeltaTable;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.spi.PlatformTable;
import dev.mesh.runtime.storage.StorageAccess;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.SourceSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Provisions zones through Hadoop's FileSystem API, so the same code serves {@code file://} and object stores:
 * the folders of the zone layout, the platform tables, and one catalog database per domain.
 */
public final class HadoopZoneProvisioner implements ZoneProvisioner {
    private final SparkSession spark;
    private final ZoneLayout zones;
    private final StorageAccess storage;

    public HadoopZoneProvisioner(SparkSession spark, ZoneLayout zones, StorageAccess storage) {
        this.spark = requireNonNull(spark, "spark is null");
        this.zones = requireNonNull(zones, "zones is null");
        this.storage = requireNonNull(storage, "storage is null");
    }

    @Override
    public ProvisionReport provision(MeshSpec mesh) {
        List<String> created = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        storage.ensure(mesh, created, unchanged);
        for (DomainSpec domain : mesh.domains()) {
            List<String> folders = new ArrayList<>(zones.domainFolders(domain.name()));
            for (SourceSpec source : domain.sources()) {
                folders.add(zones.landing(domain.name(), source.landing(), ""));
            }
            for (String folder : folders) {
                (mkdirs(folder) ? created : unchanged).add(folder);
            }
        }
        mkdirs(zones.platform());
        for (PlatformTable<?> table : PlatformTable.all()) {
            String path = zones.platformTable(table.name());
            // Kernel answers and creates without a Spark job; only Spark creates a table with properties
            KernelDeltaTable kernel = KernelDeltaTable.at(spark.sparkContext().hadoopConfiguration(), path);
            Optional<List<String>> columns = kernel.columns();
            if (columns.isEmpty()) {
                boolean made = table.properties().isEmpty() ? kernel.create(table.schema())
                        : DeltaTables.createIfAbsent(spark, path, table.schema(), table.properties());
                (made ? created : unchanged).add(path);
            } else if (columns.get().containsAll(List.of(table.schema().fieldNames()))) {
                unchanged.add(path);
            } else {
                // a table an older version created: the columns this version records are added (mesh runs and
                // mesh sla read and append without Spark, which cannot change a table's schema)
                List<String> added = DeltaTables.widen(spark, path, table.schema());
                created.add(path + " (added " + String.join(", ", added) + ")");
            }
        }
        DomainCatalog catalog = new DomainCatalog(spark, zones);
        for (DomainSpec domain : mesh.domains()) {
            String database = "database " + domain.name();
            (catalog.createDatabase(domain.name()) ? created : unchanged).add(database);
        }
        return new ProvisionReport(created, unchanged);
    }

    /** Creates a folder; false when it already existed. */
    private boolean mkdirs(String folder) {
        Path path = new Path(folder);
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(path)) {
                if (!fs.getFileStatus(path).isDirectory()) {
                    throw MeshException.infrastructure("cannot provision " + folder + ": a file is in the way", null);
                }
                return false;
            }
            if (!fs.mkdirs(path)) {
                throw MeshException.infrastructure("cannot create " + folder, null);
            }
            return true;
        } catch (IOException e) {
            throw MeshException.infrastructure("cannot provision " + folder + ": " + e.getMessage(), e);
        }
    }
}
