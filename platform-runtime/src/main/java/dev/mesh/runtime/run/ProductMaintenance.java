package dev.mesh.runtime.run;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.storage.StoreOutage;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.PolicyRule;
import dev.mesh.spec.ProductSpec;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;

/**
 * Applies a domain's retention policy to one product ({@code mesh maintain}): Delta VACUUM removes the files of
 * versions older than the retention of published versions, and quarantined records older than the quarantine's
 * retention are deleted (and their files vacuumed the same way). Without a retention rule, versions are kept for
 * Delta's default of seven days and quarantined records for good.
 */
public final class ProductMaintenance {
    /** Delta's own default retention of removed files. */
    public static final Duration DEFAULT_VERSIONS = Duration.ofDays(7);
    private static final String RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";
    private static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";

    private final SparkSession spark;
    private final ZoneLayout zones;

    public ProductMaintenance(SparkSession spark, ZoneLayout zones) {
        // a session of its own: the retention check is lifted for this work only
        this.spark = requireNonNull(spark, "spark is null").newSession();
        this.spark.conf().set(RETENTION_CHECK, "false");
        // VACUUM lists the table in as many tasks as this says (10,000 by default): a few per core is plenty
        this.spark.conf().set(LISTING_PARALLELISM,
                Integer.toString(Math.max(2, this.spark.sparkContext().defaultParallelism() * 4)));
        this.zones = requireNonNull(zones, "zones is null");
    }

    /** What maintaining one product did. */
    public record Outcome(ProductSpec product, Duration versions, Optional<Duration> quarantine, long filesRemoved,
            long recordsDeleted) {}

    public Outcome maintain(ProductSpec product, Optional<PolicyRule.Retention> rule, Instant now) {
        Duration versions = rule.map(PolicyRule.Retention::versions).orElse(DEFAULT_VERSIONS);
        Optional<Duration> quarantine = rule.flatMap(PolicyRule.Retention::quarantine);
        String path = zones.product(product.id());
        String quarantinePath = zones.quarantine(product.id());
        zones.requireInsideZone(product.domain(), path);
        try {
            long removed = vacuum(path, versions);
            long deleted = 0;
            if (DeltaTables.exists(spark, quarantinePath)) {
                if (quarantine.isPresent()) {
                    Timestamp cutoff = Timestamp.from(now.minus(quarantine.get()));
                    DeltaTable table = DeltaTable.forPath(spark, quarantinePath);
                    deleted = table.toDF().where(col("quarantined_at").lt(cutoff)).count();
                    if (deleted > 0) {
                        table.delete(col("quarantined_at").lt(cutoff));
                    }
                }
                removed += vacuum(quarantinePath, versions);
            }
            return new Outcome(product, versions, quarantine, removed, deleted);
        } catch (MeshException e) {
            throw e;
        } catch (Exception e) {
            // Delta and S3A throw checked IOExceptions undeclared through Scala
            throw MeshException.infrastructure(product.id() + ": cannot maintain " + path + ": "
                    + StoreOutage.describe(e, zones.storage()).orElse(e.getMessage()), e);
        }
    }

    /** Vacuums the table at {@code path}, if there is one; the number of data files it removed. */
    private long vacuum(String path, Duration retention) throws IOException {
        if (!DeltaTables.exists(spark, path)) {
            return 0;
        }
        long before = dataFiles(path);
        DeltaTable.forPath(spark, path).vacuum(retention.toMillis() / 3_600_000.0);
        return before - dataFiles(path);
    }

    private long dataFiles(String location) throws IOException {
        Path root = new Path(location);
        FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        long files = 0;
        RemoteIterator<LocatedFileStatus> all = fs.listFiles(root, true);
        while (all.hasNext()) {
            LocatedFileStatus file = all.next();
            if (!file.getPath().toString().contains("/_delta_log/") && file.getPath().getName().endsWith(".parquet")) {
                files++;
            }
        }
        return files;
    }
}
