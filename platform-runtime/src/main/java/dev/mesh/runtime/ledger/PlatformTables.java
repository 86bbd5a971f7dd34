package dev.mesh.runtime.ledger;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.MeshException;
import dev.mesh.error.PlainMessages;
import dev.mesh.runtime.kernel.KernelDeltaTable;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.spi.MetricHistory;
import dev.mesh.runtime.spi.PlatformTable;
import dev.mesh.runtime.storage.StoreOutage;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.runtime.zone.ZoneSize;
import dev.mesh.spec.model.ProductId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The platform's own Delta tables under {@code <root>/_platform/}, each a {@link PlatformTable} that owns its schema and
 * row mapping: appends typed records and answers the runtime's questions of the ledger (was this run key published,
 * what is a product's metric history) without Spark jobs where Delta Kernel can ({@link DirectPlatformTables}: a few
 * file reads and one small Parquet file per append), and with Spark where only Spark can (adding the columns a newer
 * version records, creating a table with properties).
 */
public final class PlatformTables {
    private final SparkSession spark;
    private final ZoneLayout zones;
    /** What runs ask of the ledger, read in one scan when first asked and kept up to date by {@link #recordRun}. */
    private LedgerIndex index;

    public PlatformTables(SparkSession spark, ZoneLayout zones) {
        this.spark = requireNonNull(spark, "spark is null");
        this.zones = requireNonNull(zones, "zones is null");
    }

    public String path(PlatformTable<?> table) {
        return zones.platformTable(table.name());
    }

    public void recordRun(RunResult run) {
        append(RunsTable.TABLE, List.of(run));
        synchronized (this) {
            if (index != null) {
                index.add(run.product().toString(), run.status().name(), run.runKey(), run.runId(),
                        run.judgedChecks());
            }
        }
    }

    /**
     * Appends what an invocation used, in one commit: a row per run that did something (its executor time, bytes and
     * records read and written, files written) and a row per domain zone measured (bytes and files).
     */
    public void recordUsage(List<RunResult> runs, List<ZoneSize> sizes, Instant recordedAt) {
        List<UsageRecord> records = new ArrayList<>();
        runs.stream().filter(run -> run.status() != RunStatus.SKIPPED)
                .forEach(run -> records.add(UsageRecord.Run.of(run)));
        sizes.forEach(size -> records.add(UsageRecord.Zone.of(size, recordedAt)));
        append(UsageTable.TABLE, records);
    }

    /** Appends rows to the audit trail, in one commit. */
    public void audit(List<AuditRecord> records) {
        append(AuditTable.TABLE, records);
    }

    public void recordQuality(RunResult run, Instant recordedAt) {
        append(QualityMetricsTable.TABLE, QualityMetric.of(run, recordedAt));
    }

    /** The run that published this product with this run key, if one did. */
    public synchronized Optional<String> publishedRun(ProductId product, String runKey) {
        return Optional.ofNullable(index().publishedKeys.get(product + "/" + runKey));
    }

    /** Whether a run ever published this product. */
    public synchronized boolean everPublished(ProductId product) {
        return index().published.contains(product.toString());
    }

    /**
     * The fingerprint of the checks the product's whole published table was last judged by: that of the newest run
     * that judged all of it; empty when none did (or a table published before the ledger recorded it).
     */
    public synchronized Optional<String> judgedChecks(ProductId product) {
        return Optional.ofNullable(index().judged.get(product.toString()));
    }

    /** The ledger's index, read once per instance, in one scan without Spark. */
    private LedgerIndex index() {
        if (index == null) {
            LedgerIndex read = new LedgerIndex();
            // the rows of one product in the order of their commits: Kernel scans files in the log's order
            List<LedgerRow> rows = new ArrayList<>();
            direct().scan(RunsTable.TABLE, rows::add);
            rows.sort(java.util.Comparator.comparing(row -> row.instant("finished_at")));
            rows.forEach(row -> read.add(row.string("domain") + "." + row.string("product"), row.string("status"),
                    row.string("run_key"), row.string("run_id"), row.string("judged_checks")));
            index = read;
        }
        return index;
    }

    /** Published run keys, products ever published, and the checks each product's table was last judged by. */
    private static final class LedgerIndex {
        private final Map<String, String> publishedKeys = new HashMap<>();
        private final java.util.Set<String> published = new java.util.HashSet<>();
        private final Map<String, String> judged = new HashMap<>();

        void add(String product, String status, String runKey, String runId, String judgedChecks) {
            if (RunStatus.PUBLISHED.name().equals(status)) {
                publishedKeys.put(product + "/" + runKey, runId);
                published.add(product);
            }
            if (judgedChecks != null && !judgedChecks.isEmpty()) {
                judged.put(product, judgedChecks);
            }
        }
    }

    /**
     * The metrics of the product's earlier published runs, oldest first: the history anomaly rules are judged
     * against. Read without Spark (two small scans), since a run asks before its checks.
     */
    public MetricHistory metricHistory(ProductId product) {
        DirectPlatformTables direct = direct();
        Map<String, Instant> published = new HashMap<>();
        direct.scan(RunsTable.TABLE, row -> {
            if (ofProduct(row, product) && RunStatus.PUBLISHED.name().equals(row.string("status"))) {
                published.put(row.string("run_id"), row.instant("started_at"));
            }
        });
        if (published.isEmpty()) {
            return MetricHistory.EMPTY;
        }
        List<LedgerRow> metrics = direct.rows(QualityMetricsTable.TABLE, row -> ofProduct(row, product)
                && QualityMetric.Kind.METRIC.column().equals(row.string("row_type")) && !row.isNull("value")
                && published.containsKey(row.string("run_id")));
        metrics.sort(java.util.Comparator.comparing(row -> published.get(row.string("run_id"))));
        Map<String, List<Double>> series = new HashMap<>();
        for (LedgerRow row : metrics) {
            series.computeIfAbsent(row.string("metric_name") + "/" + row.string("instance"), k -> new ArrayList<>())
                    .add(row.decimal("value"));
        }
        return (name, instance) -> List.copyOf(series.getOrDefault(name + "/" + instance, List.of()));
    }

    private static boolean ofProduct(LedgerRow row, ProductId product) {
        return product.domain().equals(row.string("domain")) && product.name().equals(row.string("product"));
    }

    /** The same tables, read and appended without Spark (Delta Kernel over this session's Hadoop configuration). */
    public DirectPlatformTables direct() {
        return new DirectPlatformTables(spark.sparkContext().hadoopConfiguration(), zones);
    }

    public Dataset<Row> read(PlatformTable<?> table) {
        return spark.read().format("delta").load(path(table));
    }

    public boolean exists(PlatformTable<?> table) {
        return DeltaTables.exists(spark, path(table));
    }

    /**
     * Appends the records to their table in one Delta commit (none when there are none): through Delta Kernel, which
     * writes the file and commits without a Spark job, or with Spark when only Spark can (the table lacks a column this
     * version records, or is to be created with properties).
     */
    public <R> void append(PlatformTable<R> table, List<? extends R> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            direct().tryAppend(table, records);
            return;
        } catch (KernelDeltaTable.NeedsSpark e) {
            // below
        }
        List<Row> rows = records.stream().map(table::toRow).toList();
        try {
            if (!table.properties().isEmpty()) {
                // a table with properties is created with them, whoever writes first
                DeltaTables.createIfAbsent(spark, path(table), table.schema(), table.properties());
            }
            DeltaTables.append(spark.createDataFrame(rows, table.schema()), path(table));
        } catch (Exception e) {
            // Delta and S3A throw checked IOExceptions undeclared through Scala
            throw MeshException.infrastructure("cannot record in platform table " + path(table) + ": "
                    + StoreOutage.describe(e, zones.storage()).orElse(PlainMessages.of(e)), e);
        }
    }
}
