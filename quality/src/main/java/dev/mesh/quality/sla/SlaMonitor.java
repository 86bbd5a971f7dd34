package dev.mesh.quality.sla;

import static org.apache.spark.sql.functions.col;

import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.row_number;

import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.ledger.RunsTable;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.spec.ProductId;
import dev.mesh.spec.ProductSpec;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Evaluates products' SLAs from the run ledger and keeps the history in {@code _platform/sla_status}; reports which
 * products crossed into breach since their last evaluation (for alerts).
 */
public final class SlaMonitor {
    private final PlatformTables tables;
    private final Clock clock;

    public SlaMonitor(PlatformTables tables, Clock clock) {
        this.tables = tables;
        this.clock = clock;
    }

    /** The statuses now, and the products newly breached. */
    public record Evaluation(List<SlaStatus> statuses, List<SlaStatus> newlyBreached) {}

    public Evaluation evaluate(List<ProductSpec> products) {
        Instant now = clock.instant();
        Map<ProductId, List<RunRecord>> runs = runs(products, now);
        Map<ProductId, String> previous = previousLevels();
        List<SlaStatus> statuses = new ArrayList<>();
        List<SlaStatus> newlyBreached = new ArrayList<>();
        for (ProductSpec product : products) {
            SlaStatus status = SlaEvaluator.evaluate(product, runs.getOrDefault(product.id(), List.of()), now);
            statuses.add(status);
            if (status.level() == SlaStatus.Level.BREACHED
                    && !SlaStatus.Level.BREACHED.name().equals(previous.get(product.id()))) {
                newlyBreached.add(status);
            }
        }
        record(statuses);
        return new Evaluation(statuses, newlyBreached);
    }

    /**
     * What the evaluator needs of each product's runs, chosen in Spark: every run inside the longest SLA window, and
     * each product's latest run and latest successful run whenever they were, so the driver never holds the whole
     * ledger.
     */
    private Map<ProductId, List<RunRecord>> runs(List<ProductSpec> products, Instant now) {
        Map<ProductId, List<RunRecord>> runs = new HashMap<>();
        if (!tables.exists(RunsTable.TABLE) || products.isEmpty()) {
            return runs;
        }
        List<String> domains = products.stream().map(ProductSpec::domain).distinct().toList();
        Duration longest = products.stream().map(p -> p.sla().window()).max(Comparator.naturalOrder()).orElseThrow();
        Dataset<Row> ledger = tables.read(RunsTable.TABLE).where(col("domain").isin(domains.toArray())
                .and(col("status").notEqual(RunStatus.SKIPPED.name())));
        Column succeeded = col("status").isin(Arrays.stream(RunStatus.values()).filter(RunStatus::ok)
                .map(RunStatus::name).toArray());
        WindowSpec byProduct = Window.partitionBy("domain", "product").orderBy(col("finished_at").desc());
        Dataset<Row> chosen = ledger
                .withColumn("latest", row_number().over(byProduct))
                .withColumn("latest_success", row_number().over(Window.partitionBy(col("domain"), col("product"),
                        succeeded).orderBy(col("finished_at").desc())))
                .where(col("finished_at").geq(Timestamp.from(now.minus(longest)))
                        .or(col("latest").equalTo(1))
                        .or(succeeded.and(col("latest_success").equalTo(1))));
        for (Row row : chosen.select("domain", "product", "run_id", "status", "started_at", "finished_at",
                "checks_passed", "checks_failed").collectAsList()) {
            ProductId id = new ProductId(row.getString(0), row.getString(1));
            runs.computeIfAbsent(id, k -> new ArrayList<>()).add(new RunRecord(row.getString(2),
                    RunStatus.valueOf(row.getString(3)), row.getTimestamp(4).toInstant(),
                    row.getTimestamp(5).toInstant(), row.getLong(6), row.getLong(7)));
        }
        return runs;
    }

    /** Each product's level at its latest evaluation, chosen in Spark. */
    private Map<ProductId, String> previousLevels() {
        Map<ProductId, String> levels = new HashMap<>();
        if (!tables.exists(SlaStatusTable.TABLE)) {
            return levels;
        }
        for (Row row : tables.read(SlaStatusTable.TABLE).groupBy("domain", "product")
                .agg(max_by(col("status"), col("evaluated_at"))).collectAsList()) {
            levels.put(new ProductId(row.getString(0), row.getString(1)), row.getString(2));
        }
        return levels;
    }

    private void record(List<SlaStatus> statuses) {
        tables.append(SlaStatusTable.TABLE, statuses);
    }
}
