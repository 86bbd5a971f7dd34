package dev.mesh.runtime.run;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.error.PlainMessages;
import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.spark.RunMetricsListener;
import dev.mesh.runtime.storage.Secrets;
import dev.mesh.runtime.ingest.CommitMetadata;
import dev.mesh.runtime.ingest.IngestLedger;
import dev.mesh.runtime.ingest.IngestedFile;
import dev.mesh.runtime.ingest.IngestedFiles;
import dev.mesh.spec.DomainSpec;
import dev.mesh.spec.FileInputSpec;
import dev.mesh.spec.OutputSpec.WriteMode;
import dev.mesh.spec.MeshSpec;
import dev.mesh.spec.ProductSpec;
import dev.mesh.spec.RowRuleSpec;
import dev.mesh.runtime.spi.MetricHistory;
import dev.mesh.runtime.spi.ConstraintOutcome;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.spi.InputContext;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.runtime.sql.SqlGuard;
import dev.mesh.runtime.zone.ZoneLayout;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import dev.mesh.runtime.result.InputRecord;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.result.RunUsage;

/**
 * Runs one product through the lifecycle of DESIGN.md: resolve inputs (pinned), transform, conform to the output
 * schema, quarantine rejected rows, evaluate the gate on the persisted candidate, publish in one idempotent Delta
 * commit, and record the run and its metrics. A failure at any step leaves the published product as it was.
 */
public final class ProductRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProductRunner.class);
    /** Attempts of a run that keeps losing the race to publish against other runs of the same product. */
    private static final int MAX_ATTEMPTS = 3;

    private final SparkSession spark;
    private final MeshSpec mesh;
    private final ZoneLayout zones;
    private final Extensions extensions;
    private final PlatformTables tables;
    private final Clock clock;
    private final RunMetricsListener sparkMetrics;
    private final RunObserver observer;
    private final RunContext context;

    public ProductRunner(SparkSession spark, MeshSpec mesh, Extensions extensions, Clock clock) {
        this(spark, mesh, extensions, clock, RunObserver.NONE, System.getenv());
    }

    /** {@code environment}: the variables specs name (webhook URLs of alert targets, for the run listeners). */
    public ProductRunner(SparkSession spark, MeshSpec mesh, Extensions extensions, Clock clock,
            RunObserver observer, Map<String, String> environment) {
        this.spark = requireNonNull(spark, "spark is null");
        this.mesh = requireNonNull(mesh, "mesh is null");
        this.zones = new ZoneLayout(mesh.platform().storage());
        this.extensions = requireNonNull(extensions, "extensions is null");
        this.tables = new PlatformTables(spark, zones);
        this.clock = requireNonNull(clock, "clock is null");
        this.sparkMetrics = RunMetricsListener.of(spark.sparkContext());
        this.observer = requireNonNull(observer, "observer is null");
        this.context = new RunContext(spark, mesh, zones, tables, clock, environment);
    }

    /** What run listeners see of this runner's runs. */
    RunContext context() {
        return context;
    }

    /** Tells every run listener; a listener's failure is logged, never the run's. */
    void tellListeners(String event, java.util.function.Consumer<RunListener> call) {
        for (RunListener listener : extensions.listeners()) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
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
            RunResult result;
            for (int attempt = 1; ; attempt++) {
                StageClock stages = new StageClock(stage -> observer.stage(runId, product.id(), stage));
                Attempt current = new Attempt(product, runId, started, stages);
                try {
                    result = current.withUsage(execute(product, current, options));
                    break;
                } catch (DeltaPublisher.PublishConflict conflict) {
                    if (attempt == MAX_ATTEMPTS) {
                        // the loser of a race publishes nothing and says so in one line
                        result = current.withUsage(current.finish(RunStatus.FAILED, ErrorCode.INFRASTRUCTURE,
                                product.id() + ": another run published version " + conflict.winningVersion()
                                        + " first; nothing was published by this run; run it again"));
                        LOG.warn("{}", result.error());
                        break;
                    }
                    LOG.info("{}: another run published version {} first; reading the inputs again (attempt {} of {})",
                            product.id(), conflict.winningVersion(), attempt + 1, MAX_ATTEMPTS);
                }
            }
            record(result);
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
     * Whether the product reads landing files only once: an append or merge product with file inputs. An overwrite
     * product is rebuilt from all its files at every run.
     */
    static boolean ingestsIncrementally(ProductSpec product) {
        return product.output().mode() != WriteMode.OVERWRITE
                && product.inputs().stream().anyMatch(FileInputSpec.class::isInstance);
    }

    private RunResult execute(ProductSpec product, Attempt attempt, RunOptions options) {
        String runId = attempt.runId;
        StageClock stages = attempt.stages;
        // a session of its own: temporary views and Delta's per-write settings never leak between runs
        SparkSession session = spark.newSession();
        // a second line behind SqlGuard: SQL cannot address files by path (delta.`/...`, csv.`/...`) in a run
        session.conf().set("spark.sql.runSQLOnFiles", "false");
        session.sparkContext().setJobGroup(runId, "mesh run of " + product.id(), false);
        List<ResolvedInput> inputs = new ArrayList<>();
        Dataset<Row> candidate = null;
        try {
            DomainSpec domain = mesh.domain(product.domain()).orElseThrow();
            boolean incremental = ingestsIncrementally(product) && !options.fullRefresh();
            boolean hasFiles = product.inputs().stream().anyMatch(FileInputSpec.class::isInstance);
            IngestLedger ledger = new IngestLedger(session, zones);
            IngestedFiles ingested = incremental
                    ? stages.time("resolve", () -> ledger.reconcile(product, clock.instant())) : IngestedFiles.NONE;
            InputContext context = new InputContext(session, zones, product, domain, ingested);
            stages.time("resolve", () -> product.inputs().forEach(input ->
                    inputs.add(extensions.readerFor(input).read(context, input))));
            attempt.runKey = RunKeys.of(product, inputs);
            if (incremental && inputs.stream().filter(input -> input.kind().equals("files"))
                    .allMatch(input -> input.files().isEmpty())) {
                LOG.info("{} is up to date: no landing file arrived since version {} ({} files ingested)",
                        product.id(), ingested.productVersion(), ingested.size());
                attempt.outputVersion = ingested.productVersion() < 0 ? null : ingested.productVersion();
                return attempt.finish(RunStatus.UP_TO_DATE, null, null);
            }
            // new files cannot have been published: their commit would have listed them
            if (!incremental && !options.force() && !options.fullRefresh()) {
                Optional<String> publishedBy = stages.time("ledger",
                        () -> tables.publishedRun(product.id(), attempt.runKey));
                if (publishedBy.isPresent()) {
                    LOG.info("{} is up to date: run {} already published this spec over the same input data",
                            product.id(), publishedBy.get());
                    return attempt.finish(RunStatus.UP_TO_DATE, null, null);
                }
            }
            // templates see each input as its view, so that every plan can be checked to read nothing else
            Map<String, Dataset<Row>> views = new LinkedHashMap<>();
            for (ResolvedInput input : inputs) {
                input.rows().createOrReplaceTempView(input.name());
                views.put(input.name(), session.table(input.name()));
            }
            Dataset<Row> result = stages.time("plan", () -> extensions.templateFor(product.transform().template())
                    .transform(session, product, views));
            List<RowRuleSpec> rules = product.quality().rowRules();
            // row rules are one more column of the same plan: the inputs are read once for good and bad rows
            candidate = stages.time("plan", () -> {
                Dataset<Row> conformed = OutputConformer.conform(result, product);
                Dataset<Row> annotated = rules.isEmpty() ? conformed : RowRules.annotate(conformed, rules);
                SqlGuard.requireOnlyInputs(annotated.queryExecution().analyzed(), views.keySet(), product.id()
                        + " (" + product.file() + "): the " + product.transform().template()
                        + " template's result");
                return annotated.persist(StorageLevel.MEMORY_AND_DISK());
            });
            Dataset<Row> persisted = candidate;
            // counting the inputs reads the landing files once, into the readers' caches; product inputs are
            // counted from Delta's statistics
            stages.time("read", () -> inputs.forEach(input -> attempt.inputs.add(new InputRecord(
                    input.name(), input.kind(), input.reference(), input.version().orElse(null),
                    input.recordsRead()))));
            // one job counts all rows and those that broke a rule
            RowRules.Counts counts = stages.time("transform", () -> RowRules.count(persisted, !rules.isEmpty()));
            Dataset<Row> good = rules.isEmpty() ? persisted : RowRules.good(persisted);
            Optional<Dataset<Row>> ruleBreakers = counts.broken() == 0 ? Optional.empty()
                    : Optional.of(RowRules.rejected(persisted, product.output().columnNames()));
            attempt.rowsQuarantined = stages.time("quarantine", () -> new QuarantineWriter(zones)
                    .write(product, runId, inputs, ruleBreakers, clock.instant()));
            attempt.rowsOut = counts.good();
            MetricHistory history = product.quality().anomalies().isEmpty() ? MetricHistory.EMPTY
                    : stages.time("checks", () -> tables.metricHistory(product.id()));
            GateResult gate = stages.time("checks", () ->
                    extensions.gate().evaluate(good, product, GateChecks.of(product), history));
            attempt.gate = QuarantineLimit.apply(gate, product, attempt.rowsQuarantined, attempt.rowsOut);
            if (attempt.gate.blocked()) {
                attempt.rowsOut = 0;
                return attempt.finish(RunStatus.GATE_FAILED, ErrorCode.QUALITY_GATE_FAILED, gateMessage(product,
                        attempt.gate));
            }
            long jobsBefore = sparkMetrics.settled(session.sparkContext(), runId).jobMillis();
            observer.stage(runId, product.id(), "write");
            long writeStart = System.nanoTime();
            List<IngestedFile> files = new ArrayList<>();
            inputs.forEach(input -> input.files().forEach(file -> files.add(IngestedFile.of(input.name(), file))));
            WriteMode mode = options.fullRefresh() ? WriteMode.OVERWRITE : product.output().mode();
            if (mode == WriteMode.MERGE && attempt.rowsOut == 0) {
                // merging nothing may commit nothing; appending nothing commits, with the files it ingested
                mode = WriteMode.APPEND;
            }
            String appId = "mesh:" + product.id() + ":" + (incremental
                    ? "after:" + ingested.productVersion()
                    : options.force() || options.fullRefresh() ? attempt.runKey + ":" + runId : attempt.runKey);
            CommitMetadata metadata = CommitMetadata.of(product, runId, attempt.runKey, files,
                    hasFiles && mode == WriteMode.OVERWRITE);
            DeltaPublisher.Publication publication = new DeltaPublisher(zones).publish(session, good, product, mode,
                    appId, metadata);
            long writeMillis = (System.nanoTime() - writeStart) / 1_000_000;
            // the write's Spark jobs write the files; the rest of the time is the driver's (the Delta commit)
            long writeJobs = Math.min(writeMillis,
                    sparkMetrics.settled(session.sparkContext(), runId).jobMillis() - jobsBefore);
            stages.record("write", writeJobs);
            stages.record("commit", writeMillis - writeJobs);
            attempt.outputVersion = publication.version();
            attempt.filesWritten = publication.filesAdded();
            if (publication.alreadyPublished()) {
                if (incremental) {
                    // another run committed after the same version first: its files may not be all of ours
                    throw new DeltaPublisher.PublishConflict(publication.version(), null);
                }
                attempt.rowsOut = 0;
                return attempt.finish(RunStatus.UP_TO_DATE, null, null);
            }
            if (hasFiles) {
                stages.time("commit", () -> ledger.record(product, publication.version(), files,
                        metadata.fullRefresh(), runId, clock.instant()));
            }
            return attempt.finish(RunStatus.PUBLISHED, null, null);
        } catch (DeltaPublisher.PublishConflict e) {
            throw e;
        } catch (MeshException e) {
            logFailure(product, e, e);
            attempt.rowsOut = 0;
            return attempt.finish(RunStatus.FAILED, e.errorCode(), Secrets.redact(e.getMessage()));
        } catch (Exception e) {
            // Spark's AnalysisException is a checked exception that Scala code throws undeclared
            MeshException wrapped = wrap(product, runId, e);
            logFailure(product, wrapped, e);
            attempt.rowsOut = 0;
            return attempt.finish(RunStatus.FAILED, wrapped.errorCode(), wrapped.getMessage());
        } finally {
            attempt.spark = sparkMetrics.settled(session.sparkContext(), runId);
            session.sparkContext().clearJobGroup();
            sparkMetrics.forget(session.sparkContext(), runId);
            if (candidate != null) {
                candidate.unpersist(false);
            }
            inputs.forEach(input -> input.release().run());
        }
    }

    private void record(RunResult result) {
        try {
            tables.recordRun(result);
            tables.recordQuality(result, result.finishedAt());
            tables.recordUsage(result);
        } catch (MeshException e) {
            LOG.error("run {} of {} finished as {} but could not be recorded: {}", result.runId(), result.product(),
                    result.status(), e.getMessage(), e);
            throw e;
        }
    }

    /** Spark reports bad SQL as AnalysisException (a user error); anything else failing below us is infrastructure. */
    static MeshException wrap(ProductSpec product, String runId, Exception e) {
        Throwable cause = e;
        while (cause != null) {
            if (cause instanceof AnalysisException analysis) {
                return new MeshException(ErrorCode.INVALID_INPUT, product.id() + " (" + product.file() + "): "
                        + "the transformation is not valid Spark SQL for its inputs: "
                        + PlainMessages.of(analysis.getSimpleMessage(), "no reason given"),
                        e);
            }
            cause = cause.getCause();
        }
        return new MeshException(ErrorCode.INFRASTRUCTURE, Secrets.redact(product.id() + ": run " + runId
                + " failed: " + PlainMessages.of(e)), e);
    }

    /** Logs a failure once: a user error as its message, anything else with the stack trace of its cause. */
    private static void logFailure(ProductSpec product, MeshException failure, Exception cause) {
        if (failure.errorCode() == ErrorCode.INVALID_INPUT) {
            LOG.warn("{} failed: {}", product.id(), Secrets.redact(failure.getMessage()));
        } else {
            LOG.error("{} failed: {}", product.id(), Secrets.redact(failure.getMessage()), cause);
        }
    }

    private static String gateMessage(ProductSpec product, GateResult gate) {
        return "quality gate blocked publication of " + product.id() + ": " + gate.failures().stream()
                .filter(c -> c.level() == dev.mesh.spec.CheckSpec.Level.ERROR)
                .map(ProductRunner::describeFailure)
                .collect(Collectors.joining("; "));
    }

    static String describeFailure(ConstraintOutcome outcome) {
        return outcome.constraint() + (outcome.message().isEmpty() ? " failed" : ": " + outcome.message());
    }

    /** The mutable state of one run while it executes; {@link #finish} freezes it into a {@link RunResult}. */
    private final class Attempt {
        final ProductSpec product;
        final String runId;
        final Instant started;
        final StageClock stages;
        final List<InputRecord> inputs = new ArrayList<>();
        String runKey;
        long rowsOut;
        long rowsQuarantined;
        Long outputVersion;
        long filesWritten;
        RunMetricsListener.Snapshot spark = RunMetricsListener.Snapshot.ZERO;
        GateResult gate = GateResult.EMPTY;

        Attempt(ProductSpec product, String runId, Instant started, StageClock stages) {
            this.product = product;
            this.runId = runId;
            this.started = started;
            this.stages = stages;
        }

        RunResult finish(RunStatus status, ErrorCode code, String error) {
            long rowsIn = inputs.stream().mapToLong(InputRecord::records).sum();
            return new RunResult(runId, product.id(), product.version(), product.hash(), runKey, status, started,
                    clock.instant(), rowsIn, rowsOut, rowsQuarantined, outputVersion, inputs, stages.millis(), gate,
                    RunUsage.NONE, error, code);
        }

        /** The result, with the usage Spark reported once the run's jobs are all accounted for. */
        RunResult withUsage(RunResult result) {
            RunUsage usage = new RunUsage(spark.cpuMillis(), spark.taskMillis(), spark.bytesRead(),
                    spark.recordsRead(), spark.bytesWritten(), spark.recordsWritten(), filesWritten);
            return new RunResult(result.runId(), result.product(), result.specVersion(), result.specHash(),
                    result.runKey(), result.status(), result.startedAt(), result.finishedAt(), result.rowsIn(),
                    result.rowsOut(), result.rowsQuarantined(), result.outputVersion(), result.inputs(),
                    result.stageMillis(), result.gate(), usage, result.error(), result.errorCode());
        }
    }
}
