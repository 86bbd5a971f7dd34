package dev.mesh.runtime.run;

import dev.mesh.runtime.ingest.CommitMetadata;
import dev.mesh.runtime.ingest.IngestLedger;
import dev.mesh.runtime.ingest.IngestedFile;
import dev.mesh.runtime.spark.GuardedSessions;
import dev.mesh.runtime.sql.CatalystSqlSyntax;
import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.validation.ColumnFlow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.SparkSession;

/**
 * What the phases of one attempt at one product share: the runner's services, the attempt's own Spark session, the
 * product, the options, the run's id and clock of stages; and what the attempt has established so far (its {@link
 * RunProgress}, the column lineage of its plan), from which a run that stops is recorded.
 */
final class RunScope {
    private final RunServices services;
    private final SparkSession session;
    private final ProductSpec product;
    private final RunOptions options;
    private final String runId;
    private final Instant started;
    private final StageClock stages;
    private final IngestLedger ledger;
    private final List<Runnable> cleanups = new ArrayList<>();
    private RunProgress progress = RunProgress.START;
    private ColumnLineage columns = ColumnLineage.NONE;
    private ColumnFlow flow;

    RunScope(RunServices services, SparkSession spark, ProductSpec product, RunOptions options, String runId,
            Instant started) {
        this.services = services;
        // a session of its own: temporary views and Delta's per-write settings never leak between runs, and SQL
        // can neither address files by path nor substitute variables
        this.session = GuardedSessions.forRun(spark);
        this.product = product;
        this.options = options;
        this.runId = runId;
        this.started = started;
        this.stages = new StageClock(stage -> services.observer().stage(runId, product.id(), stage));
        this.ledger = new IngestLedger(session, services.zones());
    }

    RunServices services() {
        return services;
    }

    SparkSession session() {
        return session;
    }

    ProductSpec product() {
        return product;
    }

    DomainSpec domain() {
        return services.mesh().domain(product.domain()).orElseThrow();
    }

    RunOptions options() {
        return options;
    }

    String runId() {
        return runId;
    }

    Instant started() {
        return started;
    }

    StageClock stages() {
        return stages;
    }

    IngestLedger ledger() {
        return ledger;
    }

    Instant now() {
        return services.clock().instant();
    }

    /** Tells who watches the run that it entered {@code stage}. */
    void stage(String stage) {
        services.observer().stage(runId, product.id(), stage);
    }

    RunProgress progress() {
        return progress;
    }

    /** The progress after a phase: each phase returns a new value from the last. */
    void advance(UnaryOperator<RunProgress> phase) {
        progress = phase.apply(progress);
    }

    /** The output's column lineage, from the plan the run analysed; none before it planned. */
    ColumnLineage columns() {
        return columns;
    }

    void planned(ColumnLineage lineage) {
        this.columns = lineage;
    }

    /** How columns flow through the mesh, from the specs; made when first needed. */
    ColumnFlow columnFlow() {
        if (flow == null) {
            flow = new ColumnFlow(services.mesh().products(), new CatalystSqlSyntax());
        }
        return flow;
    }

    /** Something to undo once the attempt is over, whatever its outcome (a staging table). */
    void onClose(Runnable cleanup) {
        cleanups.add(cleanup);
    }

    List<Runnable> cleanups() {
        return List.copyOf(cleanups);
    }

    /** How the run writes: a rebuild overwrites, any other run as the output says. */
    WriteMode writeMode() {
        return options.rebuilds() ? WriteMode.OVERWRITE : product.output().mode();
    }

    /**
     * The idempotence id of the run's commit: an incremental run's names the version it follows, a forced run or a
     * rebuild its own run, any other the run key, so that Delta refuses a second commit of the same data.
     */
    String appId(Resolution resolution) {
        String runKey = resolution.runKey();
        return "mesh:" + product.id() + ":" + (resolution.incremental()
                ? "after:" + resolution.publishedVersion()
                : options.force() || options.rebuilds() ? runKey + ":" + runId : runKey);
    }

    /** What the commit says of itself: run, run key, the landing files and marks it publishes, the range. */
    CommitMetadata commitMetadata(Resolution resolution, Candidate candidate, WriteMode mode) {
        // a range rebuilt publishes no file as done: it wrote only the files' rows in the range
        boolean partial = options.replaceWhere().isPresent();
        // a replayed rebuild republishes every file in the batch it was first published in
        Map<String, Long> batches = candidate.replayedBatches();
        List<IngestedFile> files = resolution.files().stream().map(file -> Optional.ofNullable(batches
                .get(Candidate.fileKey(file.input(), file.path()))).map(file::inBatch).orElse(file)).toList();
        return CommitMetadata.of(product, runId, resolution.runKey(), partial ? List.of() : files,
                !partial && resolution.readsFiles() && mode == WriteMode.OVERWRITE,
                partial ? Map.of() : resolution.watermarks(), options.replaceWhere());
    }
}
