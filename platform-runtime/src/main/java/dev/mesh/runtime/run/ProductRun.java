package dev.mesh.runtime.run;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.error.Secrets;
import dev.mesh.runtime.fault.FaultPoints;
import dev.mesh.runtime.ingest.IngestedFiles;
import dev.mesh.runtime.ingest.PublishedWatermarks;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.spark.ActiveSession;
import dev.mesh.runtime.spark.CorruptFiles;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.spark.RunMetricsListener;
import dev.mesh.runtime.spi.InputContext;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.JdbcInputSpec;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.ProductSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at one product, in the phases of the run lifecycle ({@code docs/design.md}), each returning an immutable
 * value: resolve the inputs (pinned) and the run key; stop if that key is already published; plan the template's
 * result conformed to the output with its row rules ({@link CandidatePlanner}); then a {@link WriteStrategy} screens,
 * gates ({@link RunGate}) and commits it, in one pass over the inputs ({@link OnePassWrite}) or from a materialized
 * candidate ({@link TwoPassWrite}). Recording is the runner's. A failure at any phase leaves the published product as
 * it was and ends the attempt as FAILED with what the phases before it established; an attempt that lost the race to
 * publish says so ({@link Attempt.Lost}) for the runner to try again.
 */
final class ProductRun {
    // logged under the runner's name, as users and log configurations know it
    private static final Logger LOG = LoggerFactory.getLogger(ProductRunner.class);

    /** What an attempt came to: a result to record, or a lost race to publish, which the runner tries again. */
    sealed interface Attempt {
        record Finished(RunResult result) implements Attempt {}

        /** Another run published {@code winningVersion} first; nothing of this attempt was kept. */
        record Lost(long winningVersion) implements Attempt {}
    }

    /** Why a run has nothing to publish, and the product's version that already holds what it would. */
    private record UpToDate(String reason, Long version) {}

    private final RunScope scope;
    private final ProductSpec product;
    private final RunOptions options;
    private final StageClock stages;
    private RunMetricsListener.Snapshot usageSnapshot = RunMetricsListener.Snapshot.ZERO;

    ProductRun(RunServices services, SparkSession spark, ProductSpec product, RunOptions options, String runId,
            Instant started) {
        this.scope = new RunScope(services, spark, product, options, runId, started);
        this.product = product;
        this.options = options;
        this.stages = scope.stages();
    }

    /**
     * Whether the product reads its sources only once: an append or merge product with file inputs, or with a
     * database input read by a watermark column.
     */
    static boolean ingestsIncrementally(ProductSpec product) {
        return product.output().mode() != WriteMode.OVERWRITE && (readsFiles(product) || readsByWatermark(product));
    }

    private static boolean readsByWatermark(ProductSpec product) {
        return product.inputs().stream().anyMatch(input -> input instanceof JdbcInputSpec jdbc
                && jdbc.watermark().isPresent());
    }

    private static boolean readsFiles(ProductSpec product) {
        return product.inputs().stream().anyMatch(FileInputSpec.class::isInstance);
    }

    /** Runs the phases; a finished attempt's result carries the usage Spark reported for them. */
    Attempt execute() {
        // the run's settings reach whatever asks Spark for the active session (code generation, Delta, Deequ)
        return ActiveSession.during(scope.session(), this::executeInSession);
    }

    private Attempt executeInSession() {
        SparkSession session = scope.session();
        String runId = scope.runId();
        List<ResolvedInput> opened = new ArrayList<>();
        RunMetricsListener sparkMetrics = scope.services().sparkMetrics();
        session.sparkContext().setJobGroup(runId, "mesh run of " + product.id(), false);
        Attempt attempt;
        try {
            PiiProtection protection = PiiProtection.of(product, scope.services().mesh(),
                    scope.services().environment());
            List<String> breaking = stages.time("resolve", () -> SchemaCompatibility.check(session,
                    scope.services().zones().product(product.id()), product, scope.services().mesh(),
                    options.rebuilds() && options.replaceWhere().isEmpty()));
            // older majors kept beside this one are planned before anything is published, their SQL analysed
            List<KeptMajors.Kept> kept = stages.time("resolve", () -> KeptMajors.plan(scope));
            Resolution resolution = resolve(opened);
            scope.advance(progress -> progress.resolved(resolution.runKey(), resolution.inputs().stream()
                    .map(input -> Resolution.record(input, 0)).toList()));
            FaultPoints.reach(FaultPoints.RESOLVED);
            Optional<UpToDate> upToDate = upToDate(resolution);
            if (upToDate.isPresent()) {
                LOG.info("{} is up to date: {}", product.id(), upToDate.get().reason());
                scope.advance(progress -> progress.published(upToDate.get().version(), 0, 0));
                attempt = finish(RunStatus.UP_TO_DATE, null, null);
            } else {
                Candidate candidate = new CandidatePlanner(scope).plan(resolution, opened);
                RunGate gate = new RunGate(scope);
                WriteStrategy strategy = OnePassWrite.applies(scope, resolution, candidate, protection, breaking)
                        ? new OnePassWrite(scope, gate) : new TwoPassWrite(scope, gate, protection, breaking);
                attempt = settle(resolution, strategy.write(resolution, candidate));
            }
            if (!kept.isEmpty() && attempt instanceof Attempt.Finished finished && finished.result().status().ok()) {
                Long version = finished.result().outputVersion();
                Optional<Long> current = version != null ? Optional.of(version) : DeltaTables.latestVersion(session,
                        scope.services().zones().product(product.id()));
                current.ifPresent(published -> KeptMajors.maintain(scope, kept, published));
            }
        } catch (MeshException e) {
            RunMessages.logFailure(product, e, e);
            scope.advance(RunProgress::nothingPublished);
            attempt = finish(RunStatus.FAILED, e.errorCode(), Secrets.redact(e.getMessage()));
        } catch (Exception e) {
            // Spark's AnalysisException is a checked exception that Scala code throws undeclared
            MeshException wrapped = CorruptFiles.find(e, opened, session.sparkContext().hadoopConfiguration())
                    .map(corrupt -> MeshException.invalidInput("%s: %s", product.id(), corrupt))
                    .or(() -> VanishedFiles.find(e, opened).map(gone -> MeshException.infrastructure(
                            product.id() + ": " + gone, e)))
                    .orElseGet(() -> RunMessages.wrap(product, runId, e, scope.services().zones().storage()));
            RunMessages.logFailure(product, wrapped, e);
            scope.advance(RunProgress::nothingPublished);
            attempt = finish(RunStatus.FAILED, wrapped.errorCode(), wrapped.getMessage());
        } finally {
            usageSnapshot = sparkMetrics.settled(session.sparkContext(), runId);
            session.sparkContext().clearJobGroup();
            sparkMetrics.forget(session.sparkContext(), runId);
            opened.forEach(input -> input.release().run());
            for (Runnable cleanup : scope.cleanups()) {
                try {
                    cleanup.run();
                } catch (MeshException e) {
                    LOG.warn("{}", e.getMessage());
                }
            }
        }
        return attempt instanceof Attempt.Finished finished ? new Attempt.Finished(withUsage(finished.result()))
                : attempt;
    }

    /**
     * What the write came to: lost when another writer's commit came first, or, for an incremental run, when another
     * run committed after the same version (its files may not be all of this run's); otherwise a result.
     */
    private Attempt settle(Resolution resolution, WriteOutcome outcome) {
        if (outcome instanceof WriteOutcome.Published published) {
            scope.advance(progress -> progress.published(published.version(), published.files(), published.rows())
                    .withSchemaChanges(published.schemaChanges()));
            FaultPoints.reach(FaultPoints.COMMITTED);
            if (resolution.readsFiles()) {
                stages.time("commit", () -> scope.ledger().record(product, published.version(),
                        published.metadata().ingested(), published.metadata().fullRefresh(), scope.runId(),
                        scope.now()));
            }
            return finish(RunStatus.PUBLISHED, null, null);
        }
        if (outcome instanceof WriteOutcome.AlreadyPublished already) {
            if (resolution.incremental()) {
                return new Attempt.Lost(already.version());
            }
            scope.advance(progress -> progress.published(already.version(), 0, 0));
            return finish(RunStatus.UP_TO_DATE, null, null);
        }
        if (outcome instanceof WriteOutcome.Blocked blocked) {
            return finish(RunStatus.GATE_FAILED, ErrorCode.QUALITY_GATE_FAILED, RunMessages.gate(product,
                    blocked.gate()));
        }
        return new Attempt.Lost(((WriteOutcome.Lost) outcome).winningVersion());
    }

    /** The attempt lost every race to publish: recorded as FAILED with what it had established. */
    RunResult lostTheRace(String message) {
        scope.advance(RunProgress::nothingPublished);
        return withUsage(finish(RunStatus.FAILED, ErrorCode.INFRASTRUCTURE, message).result());
    }

    /** Reads every input pinned (an incremental product only the files it has not published) and keys the run. */
    private Resolution resolve(List<ResolvedInput> opened) {
        boolean incremental = ingestsIncrementally(product) && !options.rebuilds();
        boolean backfill = options.replaceWhere().isPresent() && ingestsIncrementally(product);
        if (backfill && product.inputs().stream().anyMatch(JdbcInputSpec.class::isInstance)) {
            throw MeshException.invalidInput("%s: --partitions cannot yet rebuild a range of a product that reads a "
                    + "database by its watermark; rebuild it whole with --full-refresh", product.id());
        }
        // a rebuild replays the batches the product's commits published (ReplayedRebuild): it needs to know them
        boolean replays = ReplayedRebuild.applies(product, options);
        IngestedFiles ingested = (incremental || backfill || replays) && readsFiles(product)
                ? stages.time("resolve", () -> scope.ledger().reconcile(product, scope.now()))
                : IngestedFiles.NONE;
        PublishedWatermarks.Marks marks = incremental && readsByWatermark(product)
                ? stages.time("resolve", () -> PublishedWatermarks.read(scope.session(),
                        scope.services().zones().product(product.id())))
                : PublishedWatermarks.Marks.NONE;
        DomainSpec domain = scope.domain();
        // a backfill reads every file, and only files already published (see requirePublished)
        InputContext context = new InputContext(scope.session(), scope.services().zones(), product, domain,
                backfill || options.rebuilds() ? InputContext.NOTHING_INGESTED : ingested, marks.byInput(),
                scope.services().environment());
        stages.time("resolve", () -> product.inputs().forEach(input ->
                opened.add(scope.services().extensions().readerFor(input).read(context, input))));
        if (backfill) {
            requirePublished(opened, ingested);
        }
        long publishedVersion = readsFiles(product) ? ingested.productVersion() : marks.productVersion();
        return new Resolution(List.copyOf(opened), ingested, incremental, publishedVersion,
                RunKeys.of(product, opened));
    }

    /**
     * A backfill of a product that ingests files once rebuilds its range from the files it has published: a file
     * still waiting would have only its rows in the range published, and the next run would publish them again.
     */
    private void requirePublished(List<ResolvedInput> inputs, IngestedFiles ingested) {
        List<String> waiting = new ArrayList<>();
        inputs.forEach(input -> input.files().stream().filter(file -> !ingested.test(input.name(), file))
                .forEach(file -> waiting.add(file.path())));
        if (!waiting.isEmpty()) {
            throw MeshException.invalidInput("%s: %d landing file(s) are not published yet (%s%s); run mesh run %s "
                    + "first, then rebuild the range", product.id(), waiting.size(), waiting.get(0),
                    waiting.size() > 1 ? ", ..." : "", product.id());
        }
    }

    /** Why nothing needs to run, if so: no new file for an incremental product, or this run key already published. */
    private Optional<UpToDate> upToDate(Resolution resolution) {
        if (resolution.incremental() && resolution.nothingNew()) {
            long version = resolution.publishedVersion();
            String reason = resolution.readsFiles()
                    ? "no landing file arrived since version " + version + " (" + resolution.ingested().size()
                            + " files ingested)"
                    : "no row above the published high-water mark " + resolution.watermarks() + " since version "
                            + version;
            return Optional.of(new UpToDate(reason, version < 0 ? null : version));
        }
        // new files cannot have been published: their commit would have listed them
        if (!resolution.incremental() && !options.force() && !options.rebuilds()) {
            Optional<String> publishedBy = stages.time("ledger",
                    () -> scope.services().tables().publishedRun(product.id(), resolution.runKey()));
            return publishedBy.map(run -> new UpToDate("run " + run + " already published this spec over the same "
                    + "input data", null));
        }
        return Optional.empty();
    }

    private Attempt.Finished finish(RunStatus status, ErrorCode code, String error) {
        // a run that found nothing new planned nothing: its lineage is the one the specs give
        ColumnLineage planned = scope.columns();
        ColumnLineage recorded = status == RunStatus.UP_TO_DATE && planned.columns().isEmpty()
                ? scope.columnFlow().lineage(product.id()).orElse(ColumnLineage.NONE) : planned;
        return new Attempt.Finished(scope.progress().result(product, scope.runId(), scope.started(), scope.now(),
                stages.millis(), RunUsage.NONE, status, code, error).withColumns(recorded));
    }

    /** The result, with the usage Spark reported once the run's jobs are all accounted for. */
    private RunResult withUsage(RunResult result) {
        RunMetricsListener.Snapshot spark = usageSnapshot;
        return result.withUsage(new RunUsage(spark.cpuMillis(), spark.taskMillis(), spark.bytesRead(),
                spark.recordsRead(), spark.bytesWritten(), spark.recordsWritten(), scope.progress().filesWritten()));
    }
}
