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
import dev.mesh.runtime.spark.RunMetricsListener;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductSpec;
import java.time.Clock;
import java.time.Instant;
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
            observer.finished(result);
            return result;
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
