package dev.mesh.runtime.run;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.ledger.InflightRuns;
import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.ledger.RunsTable;
import dev.mesh.runtime.spark.DeltaLogs;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.storage.StoreOutage;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.PolicyRule;
import dev.mesh.spec.model.ProductSpec;
import io.delta.tables.DeltaTable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
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
    /**
     * The least retention maintenance applies, whatever a policy says: a reader's query or a run's uncommitted files
     * younger than this are never vacuumed away. Raised further to cover the product's longest run.
     */
    public static final Duration MIN_VERSIONS = PolicyRule.Retention.MIN_VERSIONS;
    private static final String RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";
    private static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";

    private final SparkSession spark;
    private final ZoneLayout zones;
    private final Duration minimum;

    public ProductMaintenance(SparkSession spark, ZoneLayout zones) {
        this(spark, zones, MIN_VERSIONS);
    }

    /**
     * Maintenance that keeps versions at least {@code minimum} (and the product's longest run): {@code mesh maintain}
     * keeps {@link #MIN_VERSIONS}; a test of VACUUM itself, which cannot wait an hour, keeps less.
     */
    public ProductMaintenance(SparkSession spark, ZoneLayout zones, Duration minimum) {
        this.minimum = requireNonNull(minimum, "minimum is null");
        // a session of its own: the retention check is lifted for this work only
        this.spark = requireNonNull(spark, "spark is null").newSession();
        this.spark.conf().set(RETENTION_CHECK, "false");
        // VACUUM lists the table in as many tasks as this says (10,000 by default): a few per core is plenty
        this.spark.conf().set(LISTING_PARALLELISM,
                Integer.toString(Math.max(2, this.spark.sparkContext().defaultParallelism() * 4)));
        this.zones = requireNonNull(zones, "zones is null");
    }

    /**
     * What maintaining one product did; {@code raisedBecause} says why the versions were kept longer than the policy
     * asked, if they were.
     */
    public record Outcome(ProductSpec product, Duration versions, Optional<Duration> quarantine, long filesRemoved,
            long recordsDeleted, Optional<String> raisedBecause) {}

    public Outcome maintain(ProductSpec product, Optional<PolicyRule.Retention> rule, Instant now) {
        Duration asked = rule.map(PolicyRule.Retention::versions).orElse(DEFAULT_VERSIONS);
        Retention retention = retention(product, asked, now);
        Duration versions = retention.kept();
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
            // the ingest ledger's small files, once appends merged them
            String ledger = zones.checkpoints(product.id()) + "/ingested";
            zones.requireInsideZone(product.domain(), ledger);
            removed += vacuum(ledger, versions);
            return new Outcome(product, versions, quarantine, removed, deleted, retention.raisedBecause());
        } catch (MeshException e) {
            throw e;
        } catch (Exception e) {
            // Delta and S3A throw checked IOExceptions undeclared through Scala
            throw MeshException.infrastructure(product.id() + ": cannot maintain " + path + ": "
                    + StoreOutage.describe(e, zones.storage()).orElse(e.getMessage()), e);
        }
    }

    /**
     * Vacuums every platform table ({@code _platform/*}): the small files that appends merged away, once no version
     * younger than {@code versions} (at least the platform's least) reads them. Data files removed.
     */
    public long maintainPlatformTables(Duration versions) {
        Duration kept = versions.compareTo(minimum) < 0 ? minimum : versions;
        Path root = new Path(zones.platform());
        try {
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            FileStatus[] tables;
            try {
                tables = fs.listStatus(root);
            } catch (FileNotFoundException none) {
                return 0;
            }
            long removed = 0;
            for (FileStatus table : tables) {
                if (table.isDirectory()) {
                    removed += vacuum(table.getPath().toString(), kept);
                }
            }
            return removed;
        } catch (MeshException e) {
            throw e;
        } catch (Exception e) {
            throw MeshException.infrastructure("cannot maintain the platform tables in " + root + ": "
                    + StoreOutage.describe(e, zones.storage()).orElse(e.getMessage()), e);
        }
    }

    private record Retention(Duration kept, Optional<String> raisedBecause) {}

    /**
     * The retention VACUUM applies: what the policy asks, but at least {@link #MIN_VERSIONS}, twice the product's
     * longest recorded run, its SLA's longest allowed run, and the age of a run of it still in progress, so that files
     * a concurrent run wrote and has not committed yet, or a reader's snapshot still lists, are never removed.
     * (Delta's own check, which would refuse anything under seven days, is off in this session for that reason.)
     */
    private Retention retention(ProductSpec product, Duration asked, Instant now) {
        Duration kept = asked;
        Optional<String> why = Optional.empty();
        if (kept.compareTo(minimum) < 0) {
            kept = minimum;
            why = Optional.of("the platform keeps at least " + minimum);
        }
        PlatformTables tables = new PlatformTables(spark, zones);
        long longestMillis = tables.exists(RunsTable.TABLE) ? tables.direct().rows(RunsTable.TABLE, row ->
                        product.domain().equals(row.string("domain")) && product.name().equals(row.string("product")))
                .stream().mapToLong(row -> row.number("duration_ms")).max().orElse(0) : 0;
        Duration longestRun = Duration.ofMillis(longestMillis).multipliedBy(2);
        if (longestRun.compareTo(kept) > 0) {
            kept = longestRun;
            why = Optional.of("twice its longest run (" + Duration.ofMillis(longestMillis) + ")");
        }
        Optional<Duration> slaRun = product.sla().durationLimit();
        if (slaRun.isPresent() && slaRun.get().compareTo(kept) > 0) {
            kept = slaRun.get();
            why = Optional.of("its SLA allows a run of " + slaRun.get());
        }
        for (InflightRuns.Marker running : new InflightRuns(spark, zones).markers(product.id())) {
            // in whole minutes, rounded up: what is kept is read by people
            Duration age = Duration.ofMinutes(Duration.between(running.startedAt(), now).plus(minimum)
                    .plusSeconds(59).toMinutes());
            if (age.compareTo(kept) > 0) {
                kept = age;
                why = Optional.of("run " + running.runId() + " of it started at " + running.startedAt()
                        + " and has not finished");
            }
        }
        return new Retention(kept, why);
    }

    /** Vacuums the table at {@code path}, if there is one; the number of data files it removed. */
    private long vacuum(String path, Duration retention) throws IOException {
        if (!DeltaTables.exists(spark, path)) {
            return 0;
        }
        long before = dataFiles(path);
        long version = DeltaLogs.current(spark, path).map(DeltaLogs.TableVersion::version).orElse(-1L);
        DeltaTable.forPath(spark, path).vacuum(retention.toMillis() / 3_600_000.0);
        // what VACUUM says it deleted; counting files would count a concurrent run's new ones too
        long counted = before - dataFiles(path);
        return DeltaLogs.vacuumedFiles(spark, path, version).orElse(Math.max(0, counted));
    }

    /**
     * Counts the table's Parquet data files. The walk skips {@code _delta_log} and tolerates entries that vanish while
     * it runs (a concurrent commit renames its temporary checksum files away), and it asks only for names and kinds:
     * a located listing asks the local file system for each file's permissions and fails on a file gone meanwhile.
     */
    private long dataFiles(String location) throws IOException {
        Path root = new Path(location);
        return dataFiles(root.getFileSystem(spark.sparkContext().hadoopConfiguration()), root);
    }

    private static long dataFiles(FileSystem fs, Path directory) throws IOException {
        FileStatus[] entries;
        try {
            entries = fs.listStatus(directory);
        } catch (FileNotFoundException gone) {
            return 0;
        }
        long files = 0;
        for (FileStatus entry : entries) {
            String name = entry.getPath().getName();
            if (entry.isDirectory()) {
                files += name.equals("_delta_log") ? 0 : dataFiles(fs, entry.getPath());
            } else if (name.endsWith(".parquet")) {
                files++;
            }
        }
        return files;
    }
}
