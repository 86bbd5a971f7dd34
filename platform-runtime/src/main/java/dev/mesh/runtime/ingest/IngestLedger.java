package dev.mesh.runtime.ingest;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.kernel.KernelDeltaTable;
import dev.mesh.runtime.spark.DeltaLogs;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.ProductSpec;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which landing files a product has published. The truth is in the product's own Delta commits, each of which lists
 * the files it published ({@link CommitMetadata}); this ledger is a compact copy of that list in the domain's
 * {@code _checkpoints} zone, so that a run reads one small table instead of the product's whole history. A run
 * first brings the copy up to date from the commits made since it was last written (after a run killed between its
 * commit and its ledger write), then skips every file in it.
 */
public final class IngestLedger {
    private static final Logger LOG = LoggerFactory.getLogger(IngestLedger.class);
    static final StructType SCHEMA = new StructType()
            .add("input", DataTypes.StringType, false)
            .add("path", DataTypes.StringType, false)
            .add("size", DataTypes.LongType, false)
            .add("modified_ms", DataTypes.LongType, false)
            .add("product_version", DataTypes.LongType, false)
            .add("full_refresh", DataTypes.BooleanType, false)
            .add("table_id", DataTypes.StringType, false)
            .add("run_id", DataTypes.StringType, true)
            .add("recorded_at", DataTypes.TimestampType, false)
            // what identified the file's content when it was published (ETag or SHA-256); null in older rows
            .add("checksum", DataTypes.StringType, true)
            // the version whose batch the file belongs to, when a rebuild republished it; null: product_version
            .add("batch", DataTypes.LongType, true);

    private final SparkSession spark;
    private final ZoneLayout zones;

    public IngestLedger(SparkSession spark, ZoneLayout zones) {
        this.spark = requireNonNull(spark, "spark is null");
        this.zones = requireNonNull(zones, "zones is null");
    }

    /** Where a product's ledger lives: {@code <domain>/_checkpoints/<product>/ingested}. */
    public String path(ProductSpec product) {
        return zones.checkpoints(product.id()) + "/ingested";
    }

    /** The files the product has published, with the commits made since the ledger was last written added first. */
    public IngestedFiles reconcile(ProductSpec product, Instant now) {
        String productPath = zones.product(product.id());
        // the product's version and the ledger read through Delta Kernel: a run that finds nothing new starts no job
        Optional<KernelDeltaTable.Current> current = KernelDeltaTable.at(spark.sparkContext().hadoopConfiguration(),
                productPath).current();
        if (current.isEmpty()) {
            return IngestedFiles.NONE;
        }
        long latest = current.get().version();
        String tableId = current.get().tableId();
        String path = path(product);
        List<Map<String, Object>> rows = new ArrayList<>();
        KernelDeltaTable.at(spark.sparkContext().hadoopConfiguration(), path).scan(row -> {
            if (tableId.equals(row.get("table_id"))) {
                rows.add(row);
            }
        });
        long recordedUpTo = -1;
        long refreshedAt = -1;
        for (Map<String, Object> row : rows) {
            long version = (Long) row.get("product_version");
            recordedUpTo = Math.max(recordedUpTo, version);
            if ((Boolean) row.get("full_refresh")) {
                refreshedAt = Math.max(refreshedAt, version);
            }
        }
        IngestedFiles ingested = IngestedFiles.upTo(latest);
        for (Map<String, Object> row : rows) {
            long version = (Long) row.get("product_version");
            String file = (String) row.get("path");
            if (version >= refreshedAt && !file.isEmpty()) {
                String checksum = row.get("checksum") == null ? "" : (String) row.get("checksum");
                long batch = row.get("batch") == null ? -1 : (Long) row.get("batch");
                ingested = ingested.plus(List.of(new IngestedFile((String) row.get("input"), file,
                        (Long) row.get("size"), (Long) row.get("modified_ms"), checksum, batch)), false, version,
                        latest);
            }
        }
        if (latest <= recordedUpTo) {
            return ingested;
        }
        // commits the ledger has not seen (the range read exactly: others may be committing meanwhile, a VACUUM too)
        List<DeltaLogs.CommitMetadata> commits = DeltaLogs.commits(spark, productPath, recordedUpTo + 1, latest);
        long first = commits.isEmpty() ? latest + 1 : commits.get(0).version();
        if (first > recordedUpTo + 1) {
            throw MeshException.invalidInput("%s: cannot tell which landing files versions %d to %d of the product "
                    + "published (their commits are no longer in its Delta log, and the ingest ledger %s does not "
                    + "list them); rebuild it from all its files: mesh run %s --full-refresh", product.id(),
                    recordedUpTo + 1, first - 1, path, product.id());
        }
        List<Row> missed = new ArrayList<>();
        for (DeltaLogs.CommitMetadata commit : commits) {
            Optional<CommitMetadata.Files> published = CommitMetadata.files(commit.userMetadata());
            if (published.isPresent()) {
                ingested = ingested.plus(published.get().files(), published.get().fullRefresh(), commit.version(),
                        latest);
                missed.addAll(rows(published.get().files(), commit.version(), published.get().fullRefresh(), tableId,
                        published.get().runId(), now));
            }
        }
        if (!missed.isEmpty()) {
            LOG.info("{}: the ingest ledger missed {} file(s) published by version {}; recorded them now",
                    product.id(), missed.size(), latest);
            append(product, missed);
        }
        return ingested;
    }

    /** Records the files that {@code version} of the product published (right after its commit). */
    public void record(ProductSpec product, long version, List<IngestedFile> files, boolean fullRefresh,
            String runId, Instant now) {
        if (files.isEmpty() && !fullRefresh) {
            return;
        }
        String tableId = DeltaLogs.current(spark, zones.product(product.id())).orElseThrow().tableId();
        List<Row> rows = rows(new HashSet<>(files), version, fullRefresh, tableId, runId, now);
        if (rows.isEmpty()) {
            // a rebuild from no files: the marker row makes every earlier row obsolete
            rows = List.of(RowFactory.create("", "", 0L, 0L, version, true, tableId, runId, Timestamp.from(now),
                    null, null));
        }
        append(product, rows);
    }

    /** Appends through Delta Kernel (no Spark job); through Spark when Kernel cannot (a table Spark must widen). */
    private void append(ProductSpec product, List<Row> rows) {
        String path = path(product);
        zones.requireInsideZone(product.domain(), path);
        try {
            KernelDeltaTable.at(spark.sparkContext().hadoopConfiguration(), path).append(SCHEMA, Map.of(), rows);
        } catch (KernelDeltaTable.NeedsSpark e) {
            LOG.debug("{}: the ingest ledger is appended with Spark: {}", product.id(), e.getMessage());
            DeltaTables.append(spark.createDataFrame(rows, SCHEMA), path);
        }
    }

    private static List<Row> rows(Set<IngestedFile> files, long version, boolean fullRefresh, String tableId,
            String runId, Instant now) {
        List<Row> rows = new ArrayList<>();
        for (IngestedFile file : files) {
            rows.add(RowFactory.create(file.input(), file.path(), file.size(), file.modifiedMillis(), version,
                    fullRefresh, tableId, runId, Timestamp.from(now),
                    file.checksum().isEmpty() ? null : file.checksum(), file.batch() >= 0 ? file.batch() : null));
        }
        return rows;
    }
}
