package dev.mesh.quality.sla;

import static org.apache.spark.sql.functions.col;

import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.spec.ProductId;
import dev.mesh.spec.ProductSpec;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

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
        Map<ProductId, List<RunRecord>> runs = runs(products);
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

    private Map<ProductId, List<RunRecord>> runs(List<ProductSpec> products) {
        Map<ProductId, List<RunRecord>> runs = new HashMap<>();
        if (!tables.exists(PlatformTables.RUNS) || products.isEmpty()) {
            return runs;
        }
        List<String> domains = products.stream().map(ProductSpec::domain).distinct().toList();
        for (Row row : tables.read(PlatformTables.RUNS).where(col("domain").isin(domains.toArray()))
                .select("domain", "product", "run_id", "status", "started_at", "finished_at", "checks_passed",
                        "checks_failed").collectAsList()) {
            ProductId id = new ProductId(row.getString(0), row.getString(1));
            runs.computeIfAbsent(id, k -> new ArrayList<>()).add(new RunRecord(row.getString(2), RunStatus.valueOf(row.getString(3)),
                    row.getTimestamp(4).toInstant(), row.getTimestamp(5).toInstant(), row.getLong(6),
                    row.getLong(7)));
        }
        return runs;
    }

    /** Each product's level at its latest evaluation. */
    private Map<ProductId, String> previousLevels() {
        Map<ProductId, String> levels = new HashMap<>();
        Map<ProductId, Timestamp> at = new HashMap<>();
        if (!tables.exists(PlatformTables.SLA_STATUS)) {
            return levels;
        }
        for (Row row : tables.read(PlatformTables.SLA_STATUS).select("domain", "product", "status", "evaluated_at")
                .collectAsList()) {
            ProductId id = new ProductId(row.getString(0), row.getString(1));
            if (!at.containsKey(id) || at.get(id).before(row.getTimestamp(3))) {
                at.put(id, row.getTimestamp(3));
                levels.put(id, row.getString(2));
            }
        }
        return levels;
    }

    private void record(List<SlaStatus> statuses) {
        List<Row> rows = new ArrayList<>();
        for (SlaStatus s : statuses) {
            rows.add(RowFactory.create(Timestamp.from(s.evaluatedAt()), s.product().domain(), s.product().name(),
                    s.level().name(), s.reasons().toArray(String[]::new),
                    s.lastSuccessAt() == null ? null : Timestamp.from(s.lastSuccessAt()),
                    s.freshness() == null ? null : s.freshness().toSeconds(),
                    s.freshnessLimit() == null ? null : s.freshnessLimit().toSeconds(),
                    s.qualityScore(), s.minQualityScore(),
                    s.lastDuration() == null ? null : s.lastDuration().toMillis() / 1000.0,
                    s.maxDuration() == null ? null : s.maxDuration().toMillis() / 1000.0,
                    s.successRate(), s.minSuccessRate(), s.runsInWindow()));
        }
        if (!rows.isEmpty()) {
            tables.append(PlatformTables.SLA_STATUS, PlatformTables.SLA_STATUS_SCHEMA, rows);
        }
    }
}
