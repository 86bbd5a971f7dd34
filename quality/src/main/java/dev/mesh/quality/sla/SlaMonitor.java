package dev.mesh.quality.sla;

import dev.mesh.runtime.ledger.DirectPlatformTables;
import dev.mesh.runtime.ledger.RunsTable;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.stream.Collectors;

/**
 * Evaluates products' SLAs from the run ledger and keeps the history in {@code _platform/sla_status}; reports which
 * products crossed into breach since their last evaluation (for alerts). Reads and appends without Spark
 * ({@link DirectPlatformTables}), so {@code mesh sla} answers in about the time the JVM takes to start.
 */
public final class SlaMonitor {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SlaMonitor.class);

    private final DirectPlatformTables tables;
    private final Clock clock;

    public SlaMonitor(DirectPlatformTables tables, Clock clock) {
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
            Optional<Instant> newestEvent = product.sla().eventTimeColumn()
                    .flatMap(column -> newestEvent(product, column));
            SlaStatus status = SlaEvaluator.evaluate(product, runs.getOrDefault(product.id(), List.of()), now,
                    newestEvent);
            statuses.add(status);
            if (status.level() == SlaStatus.Level.BREACHED
                    && !SlaStatus.Level.BREACHED.name().equals(previous.get(product.id()))) {
                newlyBreached.add(status);
            }
        }
        tables.append(SlaStatusTable.TABLE, statuses);
        return new Evaluation(statuses, newlyBreached);
    }

    /** The newest event time from the table's statistics; when they cannot say, the commit time decides. */
    private Optional<Instant> newestEvent(ProductSpec product, String column) {
        try {
            return tables.newestEventTime(product.id(), column);
        } catch (RuntimeException e) {
            LOG.warn("the newest {} of {} could not be read from its statistics; its freshness is the time of its "
                    + "last publication: {}", column, product.id(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * What the evaluator needs of each product's runs, chosen as the ledger streams by: every run inside the longest
     * SLA window, and each product's latest run and latest successful run whenever they were, so that memory holds
     * the window and not the whole ledger.
     */
    private Map<ProductId, List<RunRecord>> runs(List<ProductSpec> products, Instant now) {
        Map<ProductId, List<RunRecord>> runs = new HashMap<>();
        if (products.isEmpty()) {
            return runs;
        }
        Set<String> domains = products.stream().map(ProductSpec::domain).collect(Collectors.toSet());
        Duration longest = products.stream().map(p -> p.sla().window()).max(Comparator.naturalOrder()).orElseThrow();
        Instant windowStart = now.minus(longest);
        Map<ProductId, RunRecord> latest = new HashMap<>();
        Map<ProductId, RunRecord> latestSuccess = new HashMap<>();
        BinaryOperator<RunRecord> later = (a, b) -> b.finishedAt().isAfter(a.finishedAt()) ? b : a;
        tables.scan(RunsTable.TABLE, row -> {
            RunStatus status = RunStatus.valueOf(row.string("status"));
            if (!domains.contains(row.string("domain")) || status == RunStatus.SKIPPED) {
                return;
            }
            ProductId id = new ProductId(row.string("domain"), row.string("product"));
            RunRecord run = new RunRecord(row.string("run_id"), status, row.instant("started_at"),
                    row.instant("finished_at"), row.number("checks_passed"), row.number("checks_failed"));
            if (!run.finishedAt().isBefore(windowStart)) {
                runs.computeIfAbsent(id, k -> new ArrayList<>()).add(run);
            }
            latest.merge(id, run, later);
            if (status.ok()) {
                latestSuccess.merge(id, run, later);
            }
        });
        // the latest runs from before the window, which the window does not already hold
        for (Map<ProductId, RunRecord> chosen : List.of(latest, latestSuccess)) {
            chosen.forEach((id, run) -> {
                List<RunRecord> of = runs.computeIfAbsent(id, k -> new ArrayList<>());
                if (run.finishedAt().isBefore(windowStart) && !of.contains(run)) {
                    of.add(run);
                }
            });
        }
        return runs;
    }

    /** Each product's level at its latest evaluation. */
    private Map<ProductId, String> previousLevels() {
        Map<ProductId, Instant> evaluatedAt = new HashMap<>();
        Map<ProductId, String> levels = new HashMap<>();
        tables.scan(SlaStatusTable.TABLE, row -> {
            ProductId id = new ProductId(row.string("domain"), row.string("product"));
            Instant at = row.instant("evaluated_at");
            Instant before = evaluatedAt.get(id);
            if (before == null || at.isAfter(before)) {
                evaluatedAt.put(id, at);
                levels.put(id, row.string("status"));
            }
        });
        return levels;
    }
}
