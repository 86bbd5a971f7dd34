package dev.mesh.runtime.ledger;

import static org.apache.spark.sql.functions.col;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.error.MeshException;
import dev.mesh.runtime.result.InputRecord;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.result.RunUsage;
import dev.mesh.spec.ProductId;
import dev.mesh.runtime.spi.MetricHistory;
import dev.mesh.runtime.spi.ConstraintOutcome;
import dev.mesh.runtime.spi.MetricValue;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.runtime.zone.ZoneSize;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import dev.mesh.runtime.spark.DeltaTables;

/**
 * The platform's own Delta tables under {@code <root>/_platform/}: the run ledger ({@code runs}) and the quality
 * metrics ({@code quality_metrics}, one typed row per constraint and per metric). Both are append-only.
 */
public final class PlatformTables {
    public static final String RUNS = "runs";
    public static final String QUALITY_METRICS = "quality_metrics";
    public static final String USAGE = "usage";
    public static final String SLA_STATUS = "sla_status";
    public static final String FEEDBACK = "feedback";

    /** One row per product and SLA evaluation: the status, why, and the measures it was judged on. */
    public static final StructType SLA_STATUS_SCHEMA = new StructType()
            .add("evaluated_at", DataTypes.TimestampType, false)
            .add("domain", DataTypes.StringType, false)
            .add("product", DataTypes.StringType, false)
            .add("status", DataTypes.StringType, false)
            .add("reasons", DataTypes.createArrayType(DataTypes.StringType), false)
            .add("last_success_at", DataTypes.TimestampType, true)
            .add("freshness_s", DataTypes.LongType, true)
            .add("freshness_limit_s", DataTypes.LongType, true)
            .add("quality_score", DataTypes.DoubleType, true)
            .add("min_quality_score", DataTypes.DoubleType, true)
            .add("last_duration_s", DataTypes.DoubleType, true)
            .add("max_duration_s", DataTypes.DoubleType, true)
            .add("success_rate", DataTypes.DoubleType, true)
            .add("min_success_rate", DataTypes.DoubleType, true)
            .add("runs_in_window", DataTypes.LongType, false);

    /** Consumer feedback on a product (the last step of the paper's product lifecycle). */
    public static final StructType FEEDBACK_SCHEMA = new StructType()
            .add("recorded_at", DataTypes.TimestampType, false)
            .add("domain", DataTypes.StringType, false)
            .add("product", DataTypes.StringType, false)
            .add("from_domain", DataTypes.StringType, true)
            .add("rating", DataTypes.IntegerType, false)
            .add("comment", DataTypes.StringType, true);

    public static final StructType RUNS_SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("domain", DataTypes.StringType, false)
            .add("product", DataTypes.StringType, false)
            .add("spec_version", DataTypes.StringType, true)
            .add("spec_hash", DataTypes.StringType, true)
            .add("run_key", DataTypes.StringType, true)
            .add("status", DataTypes.StringType, false)
            .add("started_at", DataTypes.TimestampType, false)
            .add("finished_at", DataTypes.TimestampType, false)
            .add("duration_ms", DataTypes.LongType, false)
            .add("rows_in", DataTypes.LongType, false)
            .add("rows_out", DataTypes.LongType, false)
            .add("rows_quarantined", DataTypes.LongType, false)
            .add("checks_passed", DataTypes.LongType, false)
            .add("checks_failed", DataTypes.LongType, false)
            .add("output_version", DataTypes.LongType, true)
            .add("inputs", DataTypes.StringType, true)
            .add("stage_ms", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true)
            .add("error_code", DataTypes.StringType, true)
            .add("error", DataTypes.StringType, true);

    public static final StructType QUALITY_METRICS_SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("domain", DataTypes.StringType, false)
            .add("product", DataTypes.StringType, false)
            .add("row_type", DataTypes.StringType, false)
            .add("constraint", DataTypes.StringType, true)
            .add("level", DataTypes.StringType, true)
            .add("status", DataTypes.StringType, true)
            .add("entity", DataTypes.StringType, true)
            .add("instance", DataTypes.StringType, true)
            .add("metric_name", DataTypes.StringType, true)
            .add("value", DataTypes.DoubleType, true)
            .add("message", DataTypes.StringType, true)
            .add("recorded_at", DataTypes.TimestampType, false);

    /** Infrastructure usage: a row per run (kind run) and per domain zone measured (kind zone). */
    public static final StructType USAGE_SCHEMA = new StructType()
            .add("kind", DataTypes.StringType, false)
            .add("recorded_at", DataTypes.TimestampType, false)
            .add("domain", DataTypes.StringType, false)
            .add("product", DataTypes.StringType, true)
            .add("run_id", DataTypes.StringType, true)
            .add("zone", DataTypes.StringType, true)
            .add("cpu_ms", DataTypes.LongType, true)
            .add("task_ms", DataTypes.LongType, true)
            .add("bytes_read", DataTypes.LongType, true)
            .add("records_read", DataTypes.LongType, true)
            .add("bytes_written", DataTypes.LongType, true)
            .add("records_written", DataTypes.LongType, true)
            .add("files_written", DataTypes.LongType, true)
            .add("bytes", DataTypes.LongType, true)
            .add("files", DataTypes.LongType, true);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SparkSession spark;
    private final ZoneLayout zones;
    private Map<String, String> publishedKeys;

    public PlatformTables(SparkSession spark, ZoneLayout zones) {
        this.spark = requireNonNull(spark, "spark is null");
        this.zones = requireNonNull(zones, "zones is null");
    }

    public static Map<String, StructType> schemas() {
        Map<String, StructType> schemas = new LinkedHashMap<>();
        schemas.put(RUNS, RUNS_SCHEMA);
        schemas.put(QUALITY_METRICS, QUALITY_METRICS_SCHEMA);
        schemas.put(USAGE, USAGE_SCHEMA);
        schemas.put(SLA_STATUS, SLA_STATUS_SCHEMA);
        schemas.put(FEEDBACK, FEEDBACK_SCHEMA);
        return schemas;
    }

    public String path(String table) {
        return zones.platformTable(table);
    }

    public void recordRun(RunResult run) {
        Row row = RowFactory.create(
                run.runId(), run.product().domain(), run.product().name(), run.specVersion(), run.specHash(),
                run.runKey(), run.status().name(), Timestamp.from(run.startedAt()), Timestamp.from(run.finishedAt()),
                run.duration().toMillis(), run.rowsIn(), run.rowsOut(), run.rowsQuarantined(), run.gate().passed(),
                run.gate().failed(), run.outputVersion(), inputsJson(run.inputs()),
                run.stageMillis(),
                run.failure().map(Enum::name).orElse(null), run.error().isEmpty() ? null : run.error());
        append(RUNS, RUNS_SCHEMA, List.of(row));
        synchronized (this) {
            if (publishedKeys != null && run.status() == RunStatus.PUBLISHED) {
                publishedKeys.put(run.product() + "/" + run.runKey(), run.runId());
            }
        }
    }

    public void recordUsage(RunResult run) {
        if (run.status() == RunStatus.SKIPPED) {
            return;
        }
        RunUsage u = run.usage();
        append(USAGE, USAGE_SCHEMA, List.of(RowFactory.create("run", Timestamp.from(run.finishedAt()),
                run.product().domain(), run.product().name(), run.runId(), null, u.cpuMillis(), u.taskMillis(),
                u.bytesRead(), u.recordsRead(), u.bytesWritten(), u.recordsWritten(), u.filesWritten(), null, null)));
    }

    /** Appends the measured size of domain zones: one row per domain and zone folder. */
    public void recordZones(List<ZoneSize> sizes, Instant recordedAt) {
        if (sizes.isEmpty()) {
            return;
        }
        List<Row> rows = new ArrayList<>();
        for (ZoneSize size : sizes) {
            rows.add(RowFactory.create("zone", Timestamp.from(recordedAt), size.domain(), null, null, size.zone(),
                    null, null, null, null, null, null, null, size.bytes(), size.files()));
        }
        append(USAGE, USAGE_SCHEMA, rows);
    }

    public void recordQuality(RunResult run, Instant recordedAt) {
        Timestamp at = Timestamp.from(recordedAt);
        String domain = run.product().domain();
        String product = run.product().name();
        List<Row> rows = new ArrayList<>();
        for (ConstraintOutcome c : run.gate().constraints()) {
            rows.add(RowFactory.create(run.runId(), domain, product, "constraint", c.constraint(), c.level().name(),
                    c.passed() ? "passed" : "failed", null, c.instance(), c.metricName(), c.value(), c.message(), at));
        }
        for (MetricValue m : run.gate().metrics()) {
            rows.add(RowFactory.create(run.runId(), domain, product, "metric", null, null,
                    m.error().isEmpty() ? "computed" : "failed", m.entity(), m.instance(), m.name(), m.value(),
                    m.error(), at));
        }
        if (!rows.isEmpty()) {
            append(QUALITY_METRICS, QUALITY_METRICS_SCHEMA, rows);
        }
    }

    /**
     * The run that published this product with this run key, if one did. The ledger's published keys are read
     * once per instance (one small scan) and kept up to date by {@link #recordRun}.
     */
    public synchronized Optional<String> publishedRun(ProductId product,
            String runKey) {
        if (publishedKeys == null) {
            publishedKeys = new HashMap<>();
            if (exists(RUNS)) {
                read(RUNS).where(col("status").equalTo(RunStatus.PUBLISHED.name()))
                        .select("domain", "product", "run_key", "run_id")
                        .collectAsList()
                        .forEach(row -> publishedKeys.put(row.getString(0) + "." + row.getString(1) + "/"
                                + row.getString(2), row.getString(3)));
            }
        }
        return Optional.ofNullable(publishedKeys.get(product + "/" + runKey));
    }

    /**
     * The metrics of the product's earlier published runs, oldest first, read in one query: the history anomaly
     * rules are judged against.
     */
    public MetricHistory metricHistory(ProductId product) {
        if (!exists(QUALITY_METRICS) || !exists(RUNS)) {
            return MetricHistory.EMPTY;
        }
        Dataset<Row> published = read(RUNS)
                .where(col("domain").equalTo(product.domain())
                        .and(col("product").equalTo(product.name()))
                        .and(col("status").equalTo(RunStatus.PUBLISHED.name())))
                .select("run_id", "started_at");
        List<Row> rows = read(QUALITY_METRICS)
                .where(col("domain").equalTo(product.domain())
                        .and(col("product").equalTo(product.name()))
                        .and(col("row_type").equalTo("metric"))
                        .and(col("value").isNotNull()))
                .join(published, "run_id")
                .orderBy("started_at")
                .select("metric_name", "instance", "value")
                .collectAsList();
        Map<String, List<Double>> series = new HashMap<>();
        for (Row row : rows) {
            series.computeIfAbsent(row.getString(0) + "/" + row.getString(1), k -> new ArrayList<>())
                    .add(row.getDouble(2));
        }
        return (name, instance) -> List.copyOf(series.getOrDefault(name + "/" + instance, List.of()));
    }

    public Dataset<Row> read(String table) {
        return spark.read().format("delta").load(path(table));
    }

    public boolean exists(String table) {
        return DeltaTables.exists(spark, path(table));
    }

    /** Appends rows to a platform table (one Delta commit). */
    public void append(String table, StructType schema, List<Row> rows) {
        try {
            spark.createDataFrame(rows, schema).write().format("delta").mode("append").save(path(table));
        } catch (RuntimeException e) {
            throw MeshException.infrastructure("cannot append to platform table " + path(table) + ": "
                    + e.getMessage(), e);
        }
    }

    private static String inputsJson(List<InputRecord> inputs) {
        try {
            return JSON.writeValueAsString(inputs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
