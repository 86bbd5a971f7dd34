package dev.mesh.runtime.run;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.fault.FaultPoints;
import dev.mesh.runtime.ledger.AuditRecord;
import dev.mesh.runtime.spi.ConstraintOutcome;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.spi.MetricHistory;
import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.GovernanceSpec;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.PolicyRule;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.QualitySpec;
import dev.mesh.spec.validation.ColumnFlow;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate phase, which every write strategy passes the rows it would publish through: the quality gate with the
 * quarantine limit, whose result withholds the values of sensitive columns, then the domain's {@code piiDetection}
 * scan of what passed.
 */
final class RunGate {
    // logged under the runner's name, as users and log configurations know it
    private static final Logger LOG = LoggerFactory.getLogger(ProductRunner.class);

    private final RunScope scope;
    private final ProductSpec product;
    /** The output's sensitive columns, once known. */
    private Set<String> sensitive;

    RunGate(RunScope scope) {
        this.scope = scope;
        this.product = scope.product();
    }

    /**
     * The screened rows through the gate, for either write strategy: recorded as screened, judged, recorded as gated;
     * the gate's verdict when it blocked them, else the PII scan of what passed (which may stop the run) and none.
     */
    Optional<WriteOutcome.Blocked> pass(Screened screened) {
        scope.advance(progress -> progress.screened(screened.inputs(), screened.rowsOut(), screened.rowsQuarantined()));
        GateResult result = judge(screened);
        scope.advance(progress -> progress.gated(result));
        FaultPoints.reach(FaultPoints.GATED);
        if (result.blocked()) {
            return Optional.of(new WriteOutcome.Blocked(result));
        }
        scanForPersonalData(screened);
        return Optional.empty();
    }

    /** The quality gate over the rows that would be published, and the quarantine limit. */
    private GateResult judge(Screened screened) {
        RunServices services = scope.services();
        MetricHistory history = product.quality().anomalies().isEmpty() ? MetricHistory.EMPTY
                : scope.stages().time("checks", () -> services.tables().metricHistory(product.id()));
        // a batch of an append or merge product with no row to publish changes nothing: the checks its port implies
        // (required columns complete, keys unique) hold over no rows, and only the declared checks judge it
        boolean changesNothing = product.output().mode() != WriteMode.OVERWRITE && !scope.options().rebuilds()
                && (screened.rowsOut() == 0 || screened.change().isPresent()
                        && scope.stages().time("checks", () -> screened.published().isEmpty()));
        List<CheckSpec> checks = changesNothing ? product.quality().checks() : GateChecks.of(product);
        GateResult gate = verdict(screened.published(), product, checks, history, screened.rowsOut());
        return ProtectedValues.withhold(QuarantineLimit.apply(gate, product, screened.rowsQuarantined(),
                screened.rowsOut()), sensitiveColumns());
    }

    /**
     * The product's current checks (declared and implied; not its anomaly rules, which watch batches) over the whole
     * published table of {@code rows} rows, personal data withheld from what it shows.
     */
    GateResult judgeTable(Dataset<Row> table, long rows) {
        QualitySpec quality = product.quality();
        ProductSpec withoutAnomalies = new ProductSpec(product.id(), product.version(), product.owner(),
                product.description(), product.inputs(), product.transform(), product.output(),
                new QualitySpec(quality.rowRules(), quality.maxQuarantineRate(), quality.checks(), List.of()),
                product.sla(), product.access(), product.file(), product.hash(), product.tags(), product.keptMajors());
        return ProtectedValues.withhold(verdict(table, withoutAnomalies, tableChecks(), MetricHistory.EMPTY, rows),
                sensitiveColumns());
    }

    /**
     * The checks a published table can be judged by: not those over a column its port publishes protected (hashed,
     * redacted or dropped), whose real values only a run's gate sees; those left out are logged, with why.
     */
    private List<CheckSpec> tableChecks() {
        Set<String> changed = PiiProtection.changedColumns(product);
        List<CheckSpec> kept = new java.util.ArrayList<>();
        List<String> left = new java.util.ArrayList<>();
        for (CheckSpec check : GateChecks.of(product)) {
            String sql = check.sql() == null ? "" : check.sql().toLowerCase(Locale.ROOT);
            boolean touches = check.columns().stream().anyMatch(c -> changed.contains(c.toLowerCase(Locale.ROOT)))
                    || changed.stream().anyMatch(sql::contains);
            if (touches) {
                left.add(check.describe());
            } else {
                kept.add(check);
            }
        }
        if (!left.isEmpty()) {
            LOG.info("{}: {} not judged over the published table: the port publishes {} protected (only a run's gate "
                    + "sees the real values)", product.id(), String.join(", ", left), String.join(", ", changed));
        }
        return kept;
    }

    /**
     * The gate over a batch that is not read from the product's inputs (records replayed from its quarantine): the
     * checks the port implies and those the spec declares, personal data withheld from what it shows.
     */
    GateResult judgeBatch(Dataset<Row> batch, long rows) {
        MetricHistory history = product.quality().anomalies().isEmpty() ? MetricHistory.EMPTY
                : scope.stages().time("checks", () -> scope.services().tables().metricHistory(product.id()));
        return ProtectedValues.withhold(verdict(batch, product, GateChecks.of(product), history, rows),
                sensitiveColumns());
    }

    /** The gate's verdict over {@code rows}, with the rows behind each failed row-level check: what to fix. */
    private GateResult verdict(Dataset<Row> rows, ProductSpec judged, List<CheckSpec> checks, MetricHistory history,
            long total) {
        GateResult verdict = scope.stages().time("checks", () -> scope.services().extensions().gate()
                .evaluate(rows, judged, checks, history));
        return verdict.constraints().stream().allMatch(ConstraintOutcome::passed) ? verdict
                : scope.stages().time("checks", () -> FailingRows.sampled(verdict, rows, checks,
                        product.output().keys(), total, sensitiveColumns()));
    }

    /**
     * The output columns whose values stay in the run: declared pii, protected, or derived from personal data by the
     * lineage of the plan the run analysed (unless declared declassified).
     */
    private Set<String> sensitiveColumns() {
        if (sensitive != null) {
            return sensitive;
        }
        ColumnFlow flow = scope.columnFlow();
        Set<String> found = new HashSet<>();
        for (ColumnSpec column : product.output().schema()) {
            boolean derived = !column.declassified()
                    && flow.derivedPii(product, scope.columns(), column.name()).isPresent();
            if (column.isPii() || column.protection() != ColumnSpec.Protection.NONE || derived) {
                found.add(column.name().toLowerCase(Locale.ROOT));
            }
        }
        sensitive = Set.copyOf(found);
        return sensitive;
    }

    /**
     * The domain's {@code piiDetection} policy over the rows to publish: each finding (column, kind, share; never a
     * value) goes to the audit trail; at error level the run stops before publishing.
     */
    private void scanForPersonalData(Screened screened) {
        RunServices services = scope.services();
        Optional<PolicyRule.PiiDetection> rule = services.mesh().policies()
                .inForce(product.domain(), PolicyRule.PiiDetection.class);
        if (rule.isEmpty()) {
            return;
        }
        List<PiiScan.Detection> found = scope.stages().time("checks", () -> PiiScan.scan(screened.published(),
                product, rule.get().minShare()));
        if (found.isEmpty()) {
            return;
        }
        String what = found.stream().map(PiiScan.Detection::describe).collect(Collectors.joining("; "))
                + ", but not classified pii";
        services.tables().audit(List.of(new AuditRecord(scope.now(), AuditRecord.principal(services.environment()),
                AuditRecord.Action.POLICY_CHECK, product.domain(), product.id().toString(), product.hash(),
                services.mesh().policies().governance().map(GovernanceSpec::hash).orElse(null),
                rule.get().severity().specName(), "[" + rule.get().id() + "] " + what, scope.runId())));
        if (rule.get().severity() == PolicyRule.Severity.ERROR) {
            throw MeshException.invalidInput("%s: [%s] %s: %s; classify the column (classification: pii, with a "
                    + "protection) or stop publishing it; nothing was published", product.id(), rule.get().id(), what,
                    rule.get().message());
        }
        LOG.warn("{}: [{}] {}: {}", product.id(), rule.get().id(), what, rule.get().message());
    }
}
