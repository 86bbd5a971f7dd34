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

    /**
     * How long after it finished a run is recorded, at most: an evaluation reads the runs that finished since
     * this long before the previous one, so that a run finishing as it read is not missed.
     */
    static final Duration RECORDED_WITHIN = Duration.ofHours(1);

    public Evaluation evaluate(List<ProductSpec> products) {
        Instant now = clock.instant();
        Map<ProductId, Prior> prior = priorEvaluations(products);
        Map<ProductId, List<RunRecord>> runs = runs(products, now, prior);
        List<SlaStatus> statuses = new ArrayList<>();
        List<SlaStatus> newlyBreached = new ArrayList<>();
        for (ProductSpec product : products) {
            Optional<Instant> newestEvent = product.sla().eventTimeColumn()
                    .flatMap(column -> newestEvent(product, column));
            Optional<Prior> before = Optional.ofNullable(prior.get(product.id()));
            SlaStatus status = SlaEvaluator.evaluate(product, runs.getOrDefault(product.id(), List.of()), now,
                    newestEvent, before.map(Prior::carried).orElse(SlaEvaluator.Earlier.NOTHING));
            statuses.add(status);
            if (status.level() == SlaStatus.Level.BREACHED
                    && before.map(p -> !SlaStatus.Level.BREACHED.name().equals(p.level())).orElse(true)) {
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
     * A product's latest evaluation: when, its level, and what the runs until then established (its last
     * publication and the last run's duration), which the runs since add to.
     */
    private record Prior(Instant evaluatedAt, String level, Instant lastSuccessAt, Duration lastDuration) {
        SlaEvaluator.Earlier carried() {
            return new SlaEvaluator.Earlier(lastSuccessAt, lastDuration);
        }
    }

    /**
     * Each product's latest evaluation, the status table's files read newest first until every product's is found
     * and no older file can hold a later one (a product never evaluated before has the whole table read, once).
     */
    private Map<ProductId, Prior> priorEvaluations(List<ProductSpec> products) {
        Set<ProductId> wanted = products.stream().map(ProductSpec::id).collect(Collectors.toSet());
        Map<ProductId, Prior> found = new HashMap<>();
        tables.scanNewestFirst(SlaStatusTable.TABLE, "evaluated_at", newest -> newest.isEmpty()
                || !found.keySet().containsAll(wanted)
                || found.values().stream().anyMatch(prior -> !newest.get().isBefore(prior.evaluatedAt())), row -> {
                    ProductId id = new ProductId(row.string("domain"), row.string("product"));
                    Instant at = row.instant("evaluated_at");
                    Prior before = found.get(id);
                    if (wanted.contains(id) && (before == null || at.isAfter(before.evaluatedAt()))) {
                        Double seconds = row.decimal("last_duration_s");
                        found.put(id, new Prior(at, row.string("status"), row.instant("last_success_at"),
                                seconds == null ? null : Duration.ofMillis(Math.round(seconds * 1000))));
                    }
                });
        return found;
    }

    /**
     * What the evaluator needs of each product's runs, chosen as the ledger streams by: every run inside the longest
     * SLA window, every run since a little before each product's latest evaluation (which carries what the runs
     * before established), and each product's latest run and latest publication among those read, so that memory
     * holds the window and not the whole ledger. Only the files that can hold such runs are read, by their
     * statistics; all of them when a product was never evaluated, or was last evaluated after {@code now} (a clock
     * moved back).
     */
    private Map<ProductId, List<RunRecord>> runs(List<ProductSpec> products, Instant now, Map<ProductId, Prior> prior) {
        Map<ProductId, List<RunRecord>> runs = new HashMap<>();
        if (products.isEmpty()) {
            return runs;
        }
        Set<String> domains = products.stream().map(ProductSpec::domain).collect(Collectors.toSet());
        Duration longest = products.stream().map(p -> p.sla().window()).max(Comparator.naturalOrder()).orElseThrow();
        Instant windowStart = now.minus(longest);
        Instant from = windowStart;
        for (ProductSpec product : products) {
            Prior before = prior.get(product.id());
            if (before == null || before.evaluatedAt().isAfter(now)) {
                from = Instant.MIN;
                break;
            }
            Instant since = before.evaluatedAt().minus(RECORDED_WITHIN);
            from = since.isBefore(from) ? since : from;
        }
        Instant readFrom = from;
        Map<ProductId, RunRecord> latest = new HashMap<>();
        Map<ProductId, RunRecord> latestPublished = new HashMap<>();
        BinaryOperator<RunRecord> later = (a, b) -> b.finishedAt().isAfter(a.finishedAt()) ? b : a;
        tables.scanNewestFirst(RunsTable.TABLE, "finished_at",
                newest -> newest.isEmpty() || !newest.get().isBefore(readFrom), row -> {
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
                    if (run.published()) {
                        latestPublished.merge(id, run, later);
                    }
                });
        // the latest runs from before the window, which the window does not already hold
        for (Map<ProductId, RunRecord> chosen : List.of(latest, latestPublished)) {
            chosen.forEach((id, run) -> {
                List<RunRecord> of = runs.computeIfAbsent(id, k -> new ArrayList<>());
                if (run.finishedAt().isBefore(windowStart) && !of.contains(run)) {
                    of.add(run);
                }
            });
        }
        return runs;
    }
}
