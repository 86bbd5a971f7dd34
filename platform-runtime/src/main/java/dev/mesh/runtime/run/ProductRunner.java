package dev.mesh.runtime.run;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.MeshException;
import dev.mesh.error.PlainMessages;
import dev.mesh.error.Secrets;
import dev.mesh.runtime.fault.FaultPoints;
import dev.mesh.runtime.ledger.InflightRuns;
import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.spark.RunMetricsListener;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.OutputSpec;
import dev.mesh.spec.model.ProductSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one product through the lifecycle of docs/design.md: the phases of a {@link ProductRun} (resolve, plan, screen,
 * gate, publish), tried again when another run published first; then records the run and its metrics and tells the
 * run listeners. A failure at any step leaves the published product as it was.
 */
public final class ProductRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProductRunner.class);
    /** Attempts of a run that keeps losing the race to publish against other runs of the same product. */
    private static final int MAX_ATTEMPTS = 3;

    private final SparkSession spark;
    private final Extensions extensions;
    private final PlatformTables tables;
    private final Clock clock;
    private final RunObserver observer;
    private final RunContext context;
    private final RunServices services;
    private final InflightRuns inflight;
    /** Whether a run of this runner could not be recorded. */
    private volatile boolean tablesUnreachable;

    public ProductRunner(SparkSession spark, MeshSpec mesh, Extensions extensions, Clock clock) {
        this(spark, mesh, extensions, clock, RunObserver.NONE, System.getenv());
    }

    /**
     * {@code environment}: the variables specs name (database connections for the input readers, webhook URLs of
     * alert targets for the run listeners).
     */
    public ProductRunner(SparkSession spark, MeshSpec mesh, Extensions extensions, Clock clock,
            RunObserver observer, Map<String, String> environment) {
        this.spark = requireNonNull(spark, "spark is null");
        requireNonNull(mesh, "mesh is null");
        // whatever a run's error, log line or record says, the secrets the mesh reads never appear in it
        Secrets.registerAll(environment, mesh.secretVariables());
        ZoneLayout zones = new ZoneLayout(mesh.platform().storage());
        this.extensions = requireNonNull(extensions, "extensions is null");
        this.tables = new PlatformTables(spark, zones);
        this.clock = requireNonNull(clock, "clock is null");
        this.observer = requireNonNull(observer, "observer is null");
        this.context = new RunContext(spark, mesh, zones, tables, clock, environment);
        this.inflight = new InflightRuns(spark, zones);
        this.services = new RunServices(mesh, zones, extensions, tables, clock,
                RunMetricsListener.of(spark.sparkContext()), observer, Map.copyOf(environment));
    }

    /** What run listeners see of this runner's runs. */
    RunContext context() {
        return context;
    }

    /**
     * Tells every run listener; a listener's failure is logged, never the run's. Once a run could not be recorded,
     * the platform tables the listeners read and write are out of reach (a full disk, a store that is down), so they
     * are not told, rather than each waiting on the storage in turn.
     */
    void tellListeners(String event, java.util.function.Consumer<RunListener> call) {
        if (tablesUnreachable) {
            LOG.warn("run listeners not told of {}: the platform tables could not be written", event);
            return;
        }
        for (RunListener listener : extensions.listeners()) {
            try {
                call.accept(listener);
            } catch (Exception e) {
                // a listener's storage failure may be a checked IOException that Scala code throws undeclared
                LOG.warn("run listener {} failed after {}: {}", listener.getClass().getSimpleName(), event,
                        Secrets.redact(PlainMessages.of(e)));
            }
        }
    }

    public RunResult run(ProductSpec product, RunOptions options) {
        String runId = options.runId().orElseGet(() -> UUID.randomUUID().toString());
        MDC.put("domain", product.domain());
        MDC.put("product", product.name());
        MDC.put("run", runId);
        try {
            observer.started(runId, product.id());
            Instant started = clock.instant();
            // runs of this product that were killed before they recorded an outcome are recorded now
            inflight.recordAbandoned(product.id(), tables, started);
            inflight.begin(product, runId, started);
            tellListeners(product.id() + "'s start", listener -> listener.productStarted(context, runId, product,
                    started));
            RunResult result;
            for (int attempt = 1; ; attempt++) {
                ProductRun current = new ProductRun(services, spark, product, options, runId, started);
                ProductRun.Attempt outcome = current.execute();
                if (outcome instanceof ProductRun.Attempt.Finished finished) {
                    result = finished.result();
                    break;
                }
                long winner = ((ProductRun.Attempt.Lost) outcome).winningVersion();
                if (attempt == MAX_ATTEMPTS) {
                    // the loser of a race publishes nothing and says so in one line
                    result = current.lostTheRace(product.id() + ": another run published version " + winner
                            + " first; nothing was published by this run; run it again");
                    LOG.warn("{}", result.error());
                    break;
                }
                LOG.info("{}: another run published version {} first; reading the inputs again (attempt {} of {})",
                        product.id(), winner, attempt + 1, MAX_ATTEMPTS);
            }
            result = result.withError(Secrets.redact(result.error()));
            TableJudgement judgement = judgement(product, options, result);
            if (judgement == TableJudgement.WHOLE) {
                result = result.withJudgedChecks(TableChecks.fingerprint(product));
            }
            Optional<String> unrecorded = record(result);
            if (unrecorded.isEmpty()) {
                inflight.end(product.id(), runId);
            } else {
                tablesUnreachable = true;
                // the marker stays: the next run records this one as unfinished
                result = result.withError(result.error() + " (this run could not be recorded either: "
                        + unrecorded.get() + ")");
            }
            RunResult finished = result;
            tellListeners(product.id() + "'s run", listener -> listener.productFinished(context, finished));
            if (judgement == TableJudgement.SCAN && unrecorded.isEmpty()) {
                judgeTable(product, runId);
            }
            observer.finished(result);
            return result;
        } finally {
            MDC.remove("domain");
            MDC.remove("product");
            MDC.remove("run");
        }
    }

    /** What a finished run means for the judgement of the product's whole published table by its checks. */
    private enum TableJudgement {
        /** The run changed nothing the checks judge, or its table stands judged by them. */
        NONE,
        /** The run's gate judged every row the table holds after it (an overwrite, a rebuild, a first publication). */
        WHOLE,
        /** The checks changed since the table was last judged whole, and the run judged at most a batch. */
        SCAN
    }

    private TableJudgement judgement(ProductSpec product, RunOptions options, RunResult result) {
        if (!result.status().ok()) {
            return TableJudgement.NONE;
        }
        if (options.replaceWhere().isEmpty()
                && (options.fullRefresh() || product.output().mode() == OutputSpec.WriteMode.OVERWRITE)) {
            return TableJudgement.WHOLE;
        }
        try {
            if (tables.judgedChecks(product.id()).filter(TableChecks.fingerprint(product)::equals).isPresent()) {
                return TableJudgement.NONE;
            }
            if (!tables.everPublished(product.id())) {
                // this run's publication, if any, is all the table holds: its gate judged every row
                return result.status() == RunStatus.PUBLISHED ? TableJudgement.WHOLE : TableJudgement.NONE;
            }
            return TableJudgement.SCAN;
        } catch (MeshException e) {
            LOG.warn("{}: whether its checks changed since its table was last judged is not known: {}", product.id(),
                    e.getMessage());
            return TableJudgement.NONE;
        }
    }

    /**
     * Judges the product's whole published table by its current checks, which changed since it was last judged:
     * recorded as a CHECKED run of its own, which the run listeners see (the SLA's quality score, the gate alert).
     * Its failure is logged; the run that asked stays as it ended.
     */
    private void judgeTable(ProductSpec product, String askedBy) {
        String runId = UUID.randomUUID().toString();
        MDC.put("run", runId);
        try {
            LOG.info("{}: its checks changed since its published table was last judged; judging the whole table "
                    + "(run {})", product.id(), runId);
            RunResult checked = TableChecks.judge(services, spark, product, runId);
            if (record(checked).isPresent()) {
                return;
            }
            if (checked.failure().isPresent()) {
                LOG.warn("{}", checked.error());
            } else {
                LOG.info("{}: the published table (version {}) meets its {} checks", product.id(),
                        checked.outputVersion(), checked.gate().passed());
            }
            tellListeners(product.id() + "'s table check", listener -> listener.productFinished(context, checked));
        } catch (Exception e) {
            // Spark's AnalysisException is a checked exception that Scala code throws undeclared
            LOG.warn("{}: its checks changed, but its published table could not be judged: {}; judge it with mesh "
                    + "check {}", product.id(), Secrets.redact(PlainMessages.of(e)), product.id());
        } finally {
            MDC.put("run", askedBy);
        }
    }

    /**
     * Judges the product's published table by its current checks, publishing nothing ({@code mesh check}): recorded
     * as a CHECKED run, which the run listeners see. A product not published yet, or a table that cannot be read, is
     * a FAILED result, not recorded.
     */
    public RunResult check(ProductSpec product) {
        return recordedAlone(product, "check", runId -> TableChecks.judge(services, spark, product, runId));
    }

    /**
     * Publishes the quarantined records of the product (of one run, if given) that its current spec accepts, in one
     * commit, exactly once ({@code mesh quarantine replay}): recorded as a run, which the run listeners see (the audit
     * trail, the SLA); a product that cannot replay (an overwrite product) is a FAILED result, not recorded.
     */
    public RunResult replayQuarantine(ProductSpec product, Optional<String> ofRun) {
        return recordedAlone(product, "quarantine replay", runId -> QuarantineReplay.replay(services, spark, product,
                ofRun, runId));
    }

    /**
     * A run of the product that is not one of its pipeline's ({@code body}, given the run id), recorded and told to
     * the listeners; one that fails before it has a result is a FAILED result, not recorded.
     */
    private RunResult recordedAlone(ProductSpec product, String what, java.util.function.Function<String, RunResult>
            body) {
        String runId = UUID.randomUUID().toString();
        Instant started = clock.instant();
        MDC.put("domain", product.domain());
        MDC.put("product", product.name());
        MDC.put("run", runId);
        try {
            RunResult result = body.apply(runId);
            result = result.withError(Secrets.redact(result.error()));
            Optional<String> unrecorded = record(result);
            if (unrecorded.isPresent()) {
                return result.withError((result.error().isEmpty() ? "" : result.error() + "; ") + "this " + what
                        + " could not be recorded: " + unrecorded.get());
            }
            RunResult recorded = result;
            tellListeners(product.id() + "'s " + what, listener -> listener.productFinished(context, recorded));
            // an invocation of its own: audited (who, what it read and published), its usage recorded
            tellListeners("the " + what, listener -> listener.invocationFinished(context, List.of(recorded)));
            return result;
        } catch (Exception e) {
            // Spark's AnalysisException is a checked exception that Scala code throws undeclared
            MeshException failure = e instanceof MeshException mesh ? mesh
                    : RunMessages.wrap(product, runId, e, services.zones().storage());
            return new RunResult(runId, product.id(), product.version(), product.hash(), null, RunStatus.FAILED,
                    started, clock.instant(), 0, 0, 0, null, List.of(), Map.of(), GateResult.EMPTY, RunUsage.NONE,
                    Secrets.redact(failure.getMessage()), failure.errorCode(), List.of());
        } finally {
            MDC.remove("domain");
            MDC.remove("product");
            MDC.remove("run");
        }
    }

    /** Records a product that was not run, with the reason. */
    public RunResult skip(ProductSpec product, String reason) {
        RunResult result = MeshRunner.skippedResult(product, UUID.randomUUID().toString(), clock.instant(), reason);
        LOG.warn("{} {}", product.id(), reason);
        record(result);
        tellListeners(product.id() + "'s skip", listener -> listener.productFinished(context, result));
        return result;
    }

    /**
     * Records the run; the reason it could not, if so. A run that published must be recorded, or the command fails;
     * a run that did not publish keeps its own error as the one users see (a full disk, a store that is down), with
     * the recording's failure added to it.
     */
    private Optional<String> record(RunResult result) {
        try {
            tables.recordRun(result);
            FaultPoints.reach(FaultPoints.RECORDED);
            tables.recordQuality(result, result.finishedAt());
            return Optional.empty();
        } catch (MeshException e) {
            LOG.error("run {} of {} finished as {} but could not be recorded: {}", result.runId(), result.product(),
                    result.status(), e.getMessage(), e);
            if (result.status() == RunStatus.PUBLISHED || result.status() == RunStatus.UP_TO_DATE) {
                throw e;
            }
            return Optional.of(PlainMessages.of(e));
        }
    }

}
