package dev.mesh.runtime.run;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.error.PlainMessages;
import dev.mesh.runtime.fault.FaultPoints;
import dev.mesh.runtime.ingest.CommitMetadata;
import dev.mesh.runtime.ingest.IngestLedger;
import dev.mesh.runtime.ingest.IngestedFile;
import dev.mesh.runtime.ingest.IngestedFiles;
import dev.mesh.runtime.ingest.PublishedWatermarks;
import dev.mesh.runtime.ledger.AuditRecord;
import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.result.InputRecord;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.spark.ActiveSession;
import dev.mesh.runtime.spark.CandidateCache;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.spark.GuardedSessions;
import dev.mesh.runtime.spark.ObservedMetrics;
import dev.mesh.runtime.spark.SinglePassPlan;
import dev.mesh.runtime.spark.StagedDeltaWrite;
import dev.mesh.runtime.spark.RunMetricsListener;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.spi.InputContext;
import dev.mesh.runtime.spi.MetricHistory;
import dev.mesh.runtime.spi.ProductTemplate;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.runtime.spi.SourceFile;
import dev.mesh.runtime.spi.TableChange;
import dev.mesh.runtime.spi.Watermark;
import dev.mesh.runtime.sql.CatalystSqlSyntax;
import dev.mesh.runtime.sql.PlanColumnLineage;
import dev.mesh.runtime.sql.SqlGuard;
import dev.mesh.runtime.storage.Secrets;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.CheckSpec;
import dev.mesh.spec.ColumnFlow;
import dev.mesh.spec.ColumnLineage;
import dev.mesh.spec.ColumnSpec;
import dev.mesh.spec.DomainSpec;
import dev.mesh.spec.FileInputSpec;
import dev.mesh.spec.GovernanceSpec;
import dev.mesh.spec.InputSpec;
import dev.mesh.spec.JdbcInputSpec;
import dev.mesh.spec.MeshSpec;
import dev.mesh.spec.OutputSpec.WriteMode;
import dev.mesh.spec.PolicyRule;
import dev.mesh.spec.ProductInputSpec;
import dev.mesh.spec.ProductSpec;
import dev.mesh.spec.RowRuleSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at one product, in the phases of DESIGN.md's lifecycle, each returning an immutable value: resolve the
 * inputs (pinned) and the run key; stop if that key is already published; plan the template's result conformed to
 * the output with its row rules (checked to read only the inputs); screen the candidate (count it, quarantine what
 * broke a rule); gate it; publish it in one idempotent Delta commit. A run that allows it writes in one pass instead
 * ({@link #inOnePass}): the candidate's files are written uncommitted while the pass counts them, then gated and
 * committed. Recording is the runner's. A failure at any phase leaves the published product as it was and ends the
 * attempt as FAILED with what the phases before it established.
 */
final class ProductRun {
    // logged under the runner's name, as users and log configurations know it
    private static final Logger LOG = LoggerFactory.getLogger(ProductRunner.class);
    private static final String HUGE_METHOD_LIMIT = "spark.sql.codegen.hugeMethodLimit";
    /** The view of a replayed rebuild's table. */
    private static final String REBUILT = "mesh_rebuilt";

    /** What every run of a runner shares. */
    record Services(MeshSpec mesh, ZoneLayout zones, Extensions extensions, PlatformTables tables, Clock clock,
            RunMetricsListener sparkMetrics, RunObserver observer, Map<String, String> environment) {}

    /**
     * The inputs as read for this run, pinned, and what identifies what they hold; {@code publishedVersion} is the
     * product version an incremental read starts after (-1 for none).
     */
    record Resolution(List<ResolvedInput> inputs, IngestedFiles ingested, boolean incremental, long publishedVersion,
            String runKey) {
        boolean readsFiles() {
            return inputs.stream().anyMatch(input -> input.kind().equals("files"));
        }

        /** Whether no input read incrementally found anything new: no new landing file, no row above a mark. */
        boolean nothingNew() {
            return inputs.stream().allMatch(input -> input.kind().equals("files") ? input.files().isEmpty()
                    : input.watermark().map(Watermark::nothingNew).orElse(true));
        }

        /** The high-water marks to publish with this run's rows, by input name. */
        Map<String, String> watermarks() {
            Map<String, String> marks = new TreeMap<>();
            inputs.forEach(input -> input.watermark().flatMap(Watermark::mark)
                    .ifPresent(mark -> marks.put(input.name(), mark)));
            return marks;
        }

        List<IngestedFile> files() {
            List<IngestedFile> files = new ArrayList<>();
            inputs.forEach(input -> input.files().forEach(file -> files.add(IngestedFile.of(input.name(), file))));
            return files;
        }
    }

    /** Why a run has nothing to publish, and the product's version that already holds what it would. */
    record UpToDate(String reason, Long version) {}

    /**
     * The template's result conformed to the output, annotated by the row rules, with the template's own way of
     * changing the table, if it has one. Planned only: a run in one pass reads it once, and any other run
     * {@linkplain #materialized materializes} it for the phases that each read it.
     */
    record Candidate(Dataset<Row> rows, boolean hasRowRules, Optional<TableChange> change) {
        /** The candidate for phases that each read it: materialized unless reading it again is cheap. */
        Candidate materialized() {
            return new Candidate(CandidateCache.materializeIfCostly(rows), hasRowRules, change);
        }
    }

    /**
     * The candidate's rows that passed the row rules ({@code good}), those of them the product would hold, which the
     * gate checks ({@code published}), and what was counted and quarantined on the way.
     */
    record Screened(Dataset<Row> good, Dataset<Row> published, Optional<TableChange> change, List<InputRecord> inputs,
            long rowsOut, long rowsQuarantined) {}

    private final Services services;
    private final SparkSession session;
    private final ProductSpec product;
    private final RunOptions options;
    private final String runId;
    private final Instant started;
    private final StageClock stages;
    private final IngestLedger ledger;
    /** What removes a replayed rebuild's staging table once the run is over. */
    private Optional<Runnable> replayed = Optional.empty();
    /** The batch each file of a replayed rebuild belongs to (by input and path), which its commit keeps. */
    private final Map<String, Long> replayedBatches = new java.util.HashMap<>();
    /** The last phase's value, from which a run that stops is recorded. */
    private RunProgress reached = RunProgress.START;
    /** The output's column lineage, once the run has planned it. */
    private ColumnLineage columns = ColumnLineage.NONE;
    /** How columns flow through the mesh, from the specs; made when first needed. */
    private ColumnFlow flow;
    private RunMetricsListener.Snapshot usageSnapshot = RunMetricsListener.Snapshot.ZERO;

    ProductRun(Services services, SparkSession spark, ProductSpec product, RunOptions options, String runId,
            Instant started) {
        this.services = services;
        // a session of its own: temporary views and Delta's per-write settings never leak between runs, and SQL
        // can neither address files by path nor substitute variables
        this.session = GuardedSessions.of(spark);
        // a stage whose generated code is too big for the JIT (HotSpot compiles no method over 8000 bytes) runs
        // interpreted, several times slower than Spark's per-operator code: a strict parse of a dozen columns is one
        if (!session.conf().contains(HUGE_METHOD_LIMIT)) {
            session.conf().set(HUGE_METHOD_LIMIT, "8000");
        }
        this.product = product;
        this.options = options;
        this.runId = runId;
        this.started = started;
        this.stages = new StageClock(stage -> services.observer().stage(runId, product.id(), stage));
        this.ledger = new IngestLedger(session, services.zones());
    }

    /**
     * Whether the product reads its sources only once: an append or merge product with file inputs, or with a
     * database input read by a watermark column.
     */
    static boolean ingestsIncrementally(ProductSpec product) {
        return product.output().mode() != WriteMode.OVERWRITE && (readsFiles(product)
                || product.inputs().stream().anyMatch(input -> input instanceof JdbcInputSpec jdbc
                        && jdbc.watermark().isPresent()));
    }

    private static boolean readsFiles(ProductSpec product) {
        return product.inputs().stream().anyMatch(FileInputSpec.class::isInstance);
    }

    /**
     * Runs the phases; the result carries the usage Spark reported for them. Throws {@link
     * DeltaPublisher.PublishConflict} when another run published first, for the runner to try again.
     */
    RunResult execute() {
        // the run's settings reach whatever asks Spark for the active session (code generation, Delta, Deequ)
        return ActiveSession.during(session, this::executeInSession);
    }

    private RunResult executeInSession() {
        List<ResolvedInput> opened = new ArrayList<>();
        Optional<Candidate> planned = Optional.empty();
        RunMetricsListener sparkMetrics = services.sparkMetrics();
        session.sparkContext().setJobGroup(runId, "mesh run of " + product.id(), false);
        RunResult result;
        try {
            PiiProtection protection = PiiProtection.of(product, services.mesh(), services.environment());
            List<String> breaking = stages.time("resolve", () -> SchemaCompatibility.check(session,
                    services.zones().product(product.id()), product, services.mesh(),
                    options.rebuilds() && options.replaceWhere().isEmpty()));
            Resolution resolution = resolve(opened);
            reached = reached.resolved(resolution.runKey(), resolution.inputs().stream()
                    .map(input -> record(input, 0)).toList());
            FaultPoints.reach(FaultPoints.RESOLVED);
            Optional<UpToDate> upToDate = upToDate(resolution);
            if (upToDate.isPresent()) {
                LOG.info("{} is up to date: {}", product.id(), upToDate.get().reason());
                reached = reached.published(upToDate.get().version(), 0, 0);
                result = finish(RunStatus.UP_TO_DATE, null, null);
            } else {
                Candidate plannedRows = plan(resolution, opened);
                if (writesInOnePass(resolution, plannedRows, protection, breaking)) {
                    result = inOnePass(resolution, plannedRows);
                } else {
                    // caching plans the whole query (and loads its inputs' Delta snapshots): planning time
                    Candidate candidate = stages.time("plan", plannedRows::materialized);
                    planned = Optional.of(candidate);
                    Screened screened = screen(resolution, candidate);
                    reached = reached.screened(screened.inputs(), screened.rowsOut(), screened.rowsQuarantined());
                    GateResult gate = gate(screened);
                    reached = reached.gated(gate);
                    FaultPoints.reach(FaultPoints.GATED);
                    if (!gate.blocked()) {
                        scanForPersonalData(screened);
                    }
                    result = gate.blocked() ? blocked(gate) : publish(resolution, screened, protection, breaking);
                }
            }
        } catch (DeltaPublisher.PublishConflict e) {
            throw e;
        } catch (MeshException e) {
            RunMessages.logFailure(product, e, e);
            reached = reached.nothingPublished();
            result = finish(RunStatus.FAILED, e.errorCode(), Secrets.redact(e.getMessage()));
        } catch (Exception e) {
            // Spark's AnalysisException is a checked exception that Scala code throws undeclared
            MeshException wrapped = CorruptFiles.find(e, opened, session.sparkContext().hadoopConfiguration())
                    .map(corrupt -> MeshException.invalidInput("%s: %s", product.id(), corrupt))
                    .or(() -> VanishedFiles.find(e, opened).map(gone -> MeshException.infrastructure(
                            product.id() + ": " + gone, e)))
                    .orElseGet(() -> RunMessages.wrap(product, runId, e, services.zones().storage()));
            RunMessages.logFailure(product, wrapped, e);
            reached = reached.nothingPublished();
            result = finish(RunStatus.FAILED, wrapped.errorCode(), wrapped.getMessage());
        } finally {
            usageSnapshot = sparkMetrics.settled(session.sparkContext(), runId);
            session.sparkContext().clearJobGroup();
            sparkMetrics.forget(session.sparkContext(), runId);
            planned.ifPresent(candidate -> candidate.rows().unpersist(false));
            opened.forEach(input -> input.release().run());
            try {
                replayed.ifPresent(Runnable::run);
            } catch (MeshException e) {
                LOG.warn("{}", e.getMessage());
            }
        }
        return withUsage(result);
    }

    /** The attempt lost every race to publish: recorded as FAILED with what it had established. */
    RunResult lostTheRace(String message) {
        reached = reached.nothingPublished();
        return withUsage(finish(RunStatus.FAILED, ErrorCode.INFRASTRUCTURE, message));
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
                ? stages.time("resolve", () -> ledger.reconcile(product, services.clock().instant()))
                : IngestedFiles.NONE;
        PublishedWatermarks.Marks marks = incremental
                ? stages.time("resolve", () -> PublishedWatermarks.read(session,
                        services.zones().product(product.id())))
                : PublishedWatermarks.Marks.NONE;
        DomainSpec domain = services.mesh().domain(product.domain()).orElseThrow();
        // a backfill reads every file, and only files already published (see requirePublished)
        InputContext context = new InputContext(session, services.zones(), product, domain,
                backfill || options.rebuilds() ? InputContext.NOTHING_INGESTED : ingested, marks.byInput(),
                services.environment());
        stages.time("resolve", () -> product.inputs().forEach(input ->
                opened.add(services.extensions().readerFor(input).read(context, input))));
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
                    () -> services.tables().publishedRun(product.id(), resolution.runKey()));
            return publishedBy.map(run -> new UpToDate("run " + run + " already published this spec over the same "
                    + "input data", null));
        }
        return Optional.empty();
    }

    /**
     * The template's plan over the inputs' views, conformed and annotated, checked to read nothing else; for a
     * rebuild of files published in several batches, the table those batches build when replayed in order.
     */
    private Candidate plan(Resolution resolution, List<ResolvedInput> opened) {
        if (ReplayedRebuild.applies(product, options)) {
            TreeMap<Long, Map<String, List<SourceFile>>> batches = ReplayedRebuild.batches(resolution.inputs(),
                    resolution.ingested());
            if (batches.size() > 1) {
                DomainSpec domain = services.mesh().domain(product.domain()).orElseThrow();
                ReplayedRebuild rebuild = new ReplayedRebuild(session, product, domain, services.zones(),
                        services.extensions(), services.environment());
                String staging = services.zones().staging(product.id()) + "/rebuild-" + runId;
                replayed = Optional.of(() -> rebuild.discard(staging));
                batches.forEach((batch, files) -> files.forEach((input, list) -> list.forEach(file -> {
                    if (batch != Long.MAX_VALUE) {
                        replayedBatches.put(input + "\n" + file.path(), batch);
                    }
                })));
                LOG.info("{}: rebuilding from {} batches of landing files, in the order they were published",
                        product.id(), batches.size());
                Dataset<Row> rebuilt = stages.time("plan", () -> rebuild.replay(batches, resolution.inputs(),
                        staging, opened));
                // the checks see the rebuilt rows as a view, as they see any candidate's inputs
                rebuilt.createOrReplaceTempView(REBUILT);
                Dataset<Row> rows = session.table(REBUILT);
                requireChecksReadOnlyTheRows(rows, Set.of(REBUILT));
                return new Candidate(options.replaceWhere().map(range -> inRange(rows, range)).orElse(rows), false,
                        Optional.empty());
            }
        }
        // templates see each input as its view, so that every plan can be checked to read nothing else
        Map<String, Dataset<Row>> views = new LinkedHashMap<>();
        for (ResolvedInput input : resolution.inputs()) {
            input.rows().createOrReplaceTempView(input.name());
            views.put(input.name(), session.table(input.name()));
        }
        ProductTemplate template = services.extensions().templateFor(product.transform().template());
        Dataset<Row> result = stages.time("plan", () -> template.transform(session, product, views));
        Optional<TableChange> change = template.tableChange(product);
        List<RowRuleSpec> rules = product.quality().rowRules();
        // row rules are one more column of the same plan: the inputs are read once for good and bad rows
        Dataset<Row> rows = stages.time("plan", () -> {
            List<String> added = resolution.inputs().stream().flatMap(input -> input.addedColumns().stream())
                    .toList();
            Dataset<Row> conformed = OutputConformer.conform(result, product,
                    change.map(TableChange::carriedColumns).orElse(List.of()), added);
            columns = PlanColumnLineage.of(conformed.queryExecution().analyzed(), views.keySet());
            requireNoLaunderedPersonalData(columns);
            Dataset<Row> selected = options.replaceWhere().map(range -> inRange(conformed, range)).orElse(conformed);
            Dataset<Row> annotated = rules.isEmpty() ? selected : RowRules.annotate(selected, rules);
            SqlGuard.requireOnlyInputs(annotated.queryExecution().analyzed(), Set.copyOf(views.keySet()),
                    product.id() + " (" + product.file() + "): the " + product.transform().template()
                            + " template's result");
            requireChecksReadOnlyTheRows(conformed, Set.copyOf(views.keySet()));
            return annotated;
        });
        return new Candidate(rows, !rules.isEmpty(), change);
    }

    /**
     * Classification and visibility follow the data, checked again on the plan the run analysed (validation saw the
     * declared columns): a port visible outside the domain publishes no raw personal data under another
     * classification, and no values of another domain's product to more domains than its producer shares them with.
     */
    private void requireNoLaunderedPersonalData(ColumnLineage lineage) {
        List<ColumnFlow.Laundered> laundered = columnFlow().laundered(product, lineage);
        if (!laundered.isEmpty()) {
            throw MeshException.invalidInput("%s (%s): %s; nothing was published", product.id(), product.file(),
                    laundered.stream().map(l -> l.describe(product)).collect(Collectors.joining("; ")));
        }
        List<String> domains = services.mesh().domains().stream().map(DomainSpec::name).toList();
        for (InputSpec input : product.inputs()) {
            if (input instanceof ProductInputSpec read) {
                Optional<String> widening = services.mesh().product(read.product()).flatMap(upstream ->
                        ColumnFlow.widening(product, read, upstream, lineage, domains));
                if (widening.isPresent()) {
                    throw MeshException.accessDenied("%s (%s): access.visibility %s; nothing was published",
                            product.id(), product.file(), widening.get());
                }
            }
        }
    }

    /**
     * Each check written in SQL, planned over the rows it will judge before anything runs: it must read only them (as
     * rule expressions must), and one that does not fit the output is named here, not blamed on another check by the
     * gate.
     */
    private void requireChecksReadOnlyTheRows(Dataset<Row> rows, Set<String> views) {
        List<CheckSpec> checks = product.quality().checks();
        for (int i = 0; i < checks.size(); i++) {
            CheckSpec check = checks.get(i);
            if (check.sql() == null || check.sql().isBlank()) {
                continue;
            }
            String what = product.id() + " (" + product.file() + "): quality.checks[" + i + "] '" + check.name() + "'";
            Dataset<Row> judged;
            try {
                judged = rows.select(functions.expr(check.sql()));
                judged.queryExecution().assertAnalyzed();
            } catch (Exception e) {
                // Spark's parse and analysis errors are checked exceptions Scala throws undeclared
                throw MeshException.invalidInput("%s: %s is not a condition on the output's columns (%s): %s", what,
                        check.sql(), String.join(", ", product.output().columnNames()), PlainMessages.of(e));
            }
            SqlGuard.requireOnlyInputs(judged.queryExecution().analyzed(), views, what);
        }
    }

    /** Counts the inputs and the candidate, and quarantines the inputs' rejected records and the rule breakers. */
    private Screened screen(Resolution resolution, Candidate candidate) {
        // counting the inputs reads the landing files once, into the readers' caches; product inputs are
        // counted from Delta's statistics
        List<InputRecord> inputs = stages.time("read", () -> {
            try (ObservedMetrics metrics = ObservedMetrics.listen(session)) {
                return resolution.inputs().stream()
                        .map(input -> record(input, recordsRead(input, metrics)))
                        .toList();
            }
        });
        Dataset<Row> rows = candidate.rows();
        // one job counts all rows and those that broke a rule
        RowRules.Counts counts = stages.time("transform", () -> RowRules.count(rows, candidate.hasRowRules()));
        Dataset<Row> good = candidate.hasRowRules() ? RowRules.good(rows) : rows;
        Optional<Dataset<Row>> ruleBreakers = counts.broken() == 0 ? Optional.empty()
                : Optional.of(RowRules.rejected(rows, product.output().columnNames()));
        long quarantined = stages.time("quarantine", () -> new QuarantineWriter(services.zones())
                .write(product, runId, resolution.inputs(), ruleBreakers, services.clock().instant()));
        Dataset<Row> published = candidate.change().map(change -> change.published(good)).orElse(good);
        return new Screened(good, published, candidate.change(), inputs, counts.good(), quarantined);
    }

    /** What the run records of an input: what it is, its version, its records, the files read and left out. */
    private static InputRecord record(ResolvedInput input, long records) {
        return new InputRecord(input.name(), input.kind(), input.reference(), input.version().orElse(null), records,
                input.files().stream().map(SourceFile::path).toList(), input.ignored());
    }

    /**
     * The records an input read: an input whose reader observes what it reads and rejects is counted in one pass over
     * its rows (the observation counts the rejected too), any other by counting its rows and its rejected records.
     */
    private static long recordsRead(ResolvedInput input, ObservedMetrics metrics) {
        if (input.observation().isPresent()) {
            input.rows().count();
            Optional<Row> read = metrics.await(input.observation().get());
            if (read.isPresent()) {
                return read.get().getLong(0);
            }
        }
        return input.recordsRead();
    }

    /** The quality gate over the rows that would be published, and the quarantine limit. */
    private GateResult gate(Screened screened) {
        MetricHistory history = product.quality().anomalies().isEmpty() ? MetricHistory.EMPTY
                : stages.time("checks", () -> services.tables().metricHistory(product.id()));
        // a batch of an append or merge product with no row to publish changes nothing: the checks its port implies
        // (required columns complete, keys unique) hold over no rows, and only the declared checks judge it
        boolean changesNothing = product.output().mode() != WriteMode.OVERWRITE && !options.rebuilds()
                && (screened.rowsOut() == 0 || screened.change().isPresent()
                        && stages.time("checks", () -> screened.published().isEmpty()));
        List<CheckSpec> checks = changesNothing ? product.quality().checks() : GateChecks.of(product);
        GateResult gate = stages.time("checks", () -> services.extensions().gate()
                .evaluate(screened.published(), product, checks, history));
        return ProtectedValues.withhold(QuarantineLimit.apply(gate, product, screened.rowsQuarantined(),
                screened.rowsOut()), sensitiveColumns());
    }

    /**
     * The output columns whose values stay in the run: declared pii, protected, or derived from personal data by the
     * lineage of the plan the run analysed (unless declared declassified).
     */
    private Set<String> sensitiveColumns() {
        ColumnFlow flow = columnFlow();
        Set<String> sensitive = new HashSet<>();
        for (ColumnSpec column : product.output().schema()) {
            boolean derived = !column.declassified() && flow.derivedPii(product, columns, column.name()).isPresent();
            if (column.isPii() || column.protection() != ColumnSpec.Protection.NONE || derived) {
                sensitive.add(column.name().toLowerCase(Locale.ROOT));
            }
        }
        return sensitive;
    }

    private ColumnFlow columnFlow() {
        if (flow == null) {
            flow = new ColumnFlow(services.mesh().products(), new CatalystSqlSyntax());
        }
        return flow;
    }

    /**
     * The domain's {@code piiDetection} policy over the rows to publish: each finding (column, kind, share; never a
     * value) goes to the audit trail; at error level the run stops before publishing.
     */
    private void scanForPersonalData(Screened screened) {
        Optional<PolicyRule.PiiDetection> rule = services.mesh().policies()
                .inForce(product.domain(), PolicyRule.PiiDetection.class);
        if (rule.isEmpty()) {
            return;
        }
        List<PiiScan.Detection> found = stages.time("checks", () -> PiiScan.scan(screened.published(), product,
                rule.get().minShare()));
        if (found.isEmpty()) {
            return;
        }
        String what = found.stream().map(PiiScan.Detection::describe).collect(Collectors.joining("; "))
                + ", but not classified pii";
        services.tables().audit(List.of(new AuditRecord(services.clock().instant(),
                AuditRecord.principal(services.environment()), AuditRecord.Action.POLICY_CHECK, product.domain(),
                product.id().toString(), product.hash(), services.mesh().policies().governance()
                        .map(GovernanceSpec::hash).orElse(null), rule.get().severity().specName(),
                "[" + rule.get().id() + "] " + what, runId)));
        if (rule.get().severity() == PolicyRule.Severity.ERROR) {
            throw MeshException.invalidInput("%s: [%s] %s: %s; classify the column (classification: pii, with a "
                    + "protection) or stop publishing it; nothing was published", product.id(), rule.get().id(), what,
                    rule.get().message());
        }
        LOG.warn("{}: [{}] {}: {}", product.id(), rule.get().id(), what, rule.get().message());
    }

    /** One Delta commit with the data and the files it ingested, then the ingest ledger's copy of that list. */
    private RunResult publish(Resolution resolution, Screened screened, PiiProtection protection,
            List<String> breaking) {
        RunMetricsListener sparkMetrics = services.sparkMetrics();
        long jobsBefore = sparkMetrics.settled(session.sparkContext(), runId).jobMillis();
        services.observer().stage(runId, product.id(), "write");
        long writeStart = System.nanoTime();
        WriteMode mode = options.rebuilds() ? WriteMode.OVERWRITE : product.output().mode();
        if (mode == WriteMode.MERGE && screened.rowsOut() == 0) {
            // merging nothing may commit nothing; appending nothing commits, with the files it ingested
            mode = WriteMode.APPEND;
        }
        String appId = appId(resolution);
        CommitMetadata metadata = commitMetadata(resolution, mode);
        DeltaPublisher publisher = new DeltaPublisher(services.zones());
        Optional<StructType> before = publisher.publishedSchema(session, product);
        Dataset<Row> protectedRows = protection.apply(screened.good());
        // a new major version replaces the schema: what it adds is judged against its declared output
        List<String> added = SchemaEvolution.added(product, protectedRows.schema(),
                breaking.isEmpty() ? before : Optional.empty(),
                screened.change().map(TableChange::carriedColumns).orElse(List.of()));
        if (!added.isEmpty()) {
            LOG.info("{}: this run adds the columns {} to the product", product.id(), String.join(", ", added));
        }
        Dataset<Row> rows = screened.change().isPresent() || !breaking.isEmpty() ? protectedRows
                : SchemaEvolution.padded(protectedRows, before);
        DeltaPublisher.SchemaUpdate update = !breaking.isEmpty() ? DeltaPublisher.SchemaUpdate.REPLACE
                : added.isEmpty() ? DeltaPublisher.SchemaUpdate.NONE : DeltaPublisher.SchemaUpdate.ADD_COLUMNS;
        DeltaPublisher.Publication publication = publisher.publish(session, rows, screened.change(), product, mode,
                appId, metadata, update);
        options.replaceWhere().ifPresent(range -> LOG.info("{}: replaced the rows where {} with {} rows, in version "
                + "{}", product.id(), range, screened.rowsOut(), publication.version()));
        long writeMillis = (System.nanoTime() - writeStart) / 1_000_000;
        // the write's Spark jobs write the files; the rest of the time is the driver's (the Delta commit)
        long writeJobs = Math.min(writeMillis,
                sparkMetrics.settled(session.sparkContext(), runId).jobMillis() - jobsBefore);
        stages.record("write", writeJobs);
        stages.record("commit", writeMillis - writeJobs);
        if (publication.alreadyPublished()) {
            return alreadyPublished(resolution, publication.version());
        }
        reached = reached.published(publication.version(), publication.filesAdded(), screened.rowsOut())
                .withSchemaChanges(java.util.stream.Stream.concat(breaking.stream(),
                        added.stream().map(column -> "added " + column)).toList());
        FaultPoints.reach(FaultPoints.COMMITTED);
        if (resolution.readsFiles()) {
            stages.time("commit", () -> ledger.record(product, publication.version(), metadata.ingested(),
                    metadata.fullRefresh(), runId, services.clock().instant()));
        }
        return finish(RunStatus.PUBLISHED, null, null);
    }

    /**
     * Whether the run writes in one pass ({@link #inOnePass}): an overwrite or append of the template's own rows (no
     * table change, no range) to the published table with exactly its columns, nothing to protect, inputs read from
     * landing files or products, and a plan that reads each input once and whole ({@link SinglePassPlan}). Any other
     * run is screened, gated and published from a materialized candidate.
     */
    private boolean writesInOnePass(Resolution resolution, Candidate candidate, PiiProtection protection,
            List<String> breaking) {
        WriteMode mode = options.rebuilds() ? WriteMode.OVERWRITE : product.output().mode();
        if (mode == WriteMode.MERGE || candidate.change().isPresent() || options.replaceWhere().isPresent()
                || !breaking.isEmpty() || !protection.changesNothing()) {
            return false;
        }
        if (resolution.inputs().stream().anyMatch(input -> !input.addedColumns().isEmpty()
                || !(input.kind().equals("files") || input.kind().equals("product")))) {
            return false;
        }
        Optional<StructType> published = new DeltaPublisher(services.zones()).publishedSchema(session, product);
        StructType rows = candidate.rows().schema();
        List<StructField> fields = Arrays.stream(rows.fields())
                .filter(field -> !field.name().equals(RowRules.VIOLATIONS)).toList();
        if (published.isEmpty() || published.get().fields().length != fields.size()) {
            return false;
        }
        for (int i = 0; i < fields.size(); i++) {
            StructField table = published.get().fields()[i];
            if (!table.name().equals(fields.get(i).name()) || !table.dataType().equals(fields.get(i).dataType())) {
                return false;
            }
        }
        Set<String> observations = resolution.inputs().stream().flatMap(input -> input.observation().stream())
                .collect(Collectors.toSet());
        return SinglePassPlan.readsEachInputOnce(candidate.rows(), observations);
    }

    /**
     * The run in one pass over its inputs: the candidate's good rows are written as uncommitted files of the
     * product's table while the same pass counts the records read, rejected and breaking a row rule; only what needs
     * it is read again (the rejected records for quarantine, which a clean run has none of; the written files, for
     * the gate), and the files become the table's next version in one Delta commit when the gate passes, or are
     * deleted. Nothing a reader sees changes before that commit.
     */
    private RunResult inOnePass(Resolution resolution, Candidate candidate) {
        String path = services.zones().product(product.id());
        services.zones().requireInsideZone(product.domain(), path);
        WriteMode mode = options.rebuilds() ? WriteMode.OVERWRITE : product.output().mode();
        String appId = appId(resolution);
        StagedDeltaWrite write = stages.time("resolve", () -> StagedDeltaWrite.begin(session, path));
        if (write.alreadyCommitted(appId)) {
            return alreadyPublished(resolution, write.readVersion());
        }
        // the write reads the inputs, once: the readers need not keep them for later passes
        resolution.inputs().forEach(input -> input.observation().ifPresent(name -> input.release().run()));
        String counted = "mesh_candidate_" + UUID.randomUUID().toString().replace("-", "");
        Column[] counters = RowRules.counters(candidate.hasRowRules());
        Dataset<Row> observed = candidate.rows().observe(counted, counters[0], counters[1]);
        Dataset<Row> good = candidate.hasRowRules() ? RowRules.good(observed) : observed;
        boolean commitAttempted = false;
        try (ObservedMetrics metrics = ObservedMetrics.listen(session)) {
            services.observer().stage(runId, product.id(), "write");
            long writeStart = System.nanoTime();
            int files = write.write(good);
            stages.record("write", (System.nanoTime() - writeStart) / 1_000_000);
            RowRules.Counts counts = metrics.await(counted).map(RowRules::counts)
                    .orElseGet(() -> stages.time("transform", () -> RowRules.count(candidate.rows(),
                            candidate.hasRowRules())));
            List<InputRecord> inputs = new ArrayList<>();
            List<ResolvedInput> rejecting = new ArrayList<>();
            for (ResolvedInput input : resolution.inputs()) {
                Optional<Row> read = input.observation().flatMap(metrics::now);
                long records = read.map(row -> row.getLong(0))
                        .orElseGet(() -> stages.time("read", input::recordsRead));
                inputs.add(record(input, records));
                if (read.map(row -> row.getLong(1) > 0).orElse(true)) {
                    rejecting.add(input);
                }
            }
            Optional<Dataset<Row>> ruleBreakers = counts.broken() == 0 ? Optional.empty()
                    : Optional.of(RowRules.rejected(candidate.rows(), product.output().columnNames()));
            long quarantined = stages.time("quarantine", () -> new QuarantineWriter(services.zones())
                    .write(product, runId, rejecting, ruleBreakers, services.clock().instant()));
            Dataset<Row> staged = write.staged();
            Screened screened = new Screened(staged, staged, Optional.empty(), inputs, counts.good(), quarantined);
            reached = reached.screened(inputs, counts.good(), quarantined);
            GateResult gate = gate(screened);
            reached = reached.gated(gate);
            FaultPoints.reach(FaultPoints.GATED);
            if (gate.blocked()) {
                return blocked(gate);
            }
            scanForPersonalData(screened);
            CommitMetadata metadata = commitMetadata(resolution, mode);
            services.observer().stage(runId, product.id(), "commit");
            long commitStart = System.nanoTime();
            commitAttempted = true;
            long version;
            try {
                version = write.commit(mode == WriteMode.OVERWRITE, product.output().partitionBy(), appId,
                        metadata.json());
            } catch (RuntimeException e) {
                if (DeltaTables.concurrentModification(e)) {
                    write.abandon();
                    throw DeltaPublisher.PublishConflict.lostTo(session, path, e);
                }
                throw e;
            }
            stages.record("commit", (System.nanoTime() - commitStart) / 1_000_000);
            reached = reached.published(version, files, counts.good());
            FaultPoints.reach(FaultPoints.COMMITTED);
            if (resolution.readsFiles()) {
                stages.time("commit", () -> ledger.record(product, version, metadata.ingested(),
                        metadata.fullRefresh(), runId, services.clock().instant()));
            }
            return finish(RunStatus.PUBLISHED, null, null);
        } finally {
            // files that were never committed are deleted; once a commit was tried, they may be the table's
            if (!commitAttempted) {
                write.abandon();
            }
        }
    }

    /**
     * The idempotence id of the run's commit: an incremental run's names the version it follows, a forced run or a
     * rebuild its own run, any other the run key, so that Delta refuses a second commit of the same data.
     */
    private String appId(Resolution resolution) {
        String runKey = resolution.runKey();
        return "mesh:" + product.id() + ":" + (resolution.incremental()
                ? "after:" + resolution.publishedVersion()
                : options.force() || options.rebuilds() ? runKey + ":" + runId : runKey);
    }

    /** What the commit says of itself: run, run key, the landing files and marks it publishes, the range. */
    private CommitMetadata commitMetadata(Resolution resolution, WriteMode mode) {
        // a range rebuilt publishes no file as done: it wrote only the files' rows in the range
        boolean partial = options.replaceWhere().isPresent();
        // a replayed rebuild republishes every file in the batch it was first published in
        List<IngestedFile> files = resolution.files().stream().map(file -> Optional.ofNullable(replayedBatches
                .get(file.input() + "\n" + file.path())).map(file::inBatch).orElse(file)).toList();
        return CommitMetadata.of(product, runId, resolution.runKey(), partial ? List.of() : files,
                !partial && resolution.readsFiles() && mode == WriteMode.OVERWRITE,
                partial ? Map.of() : resolution.watermarks(), options.replaceWhere());
    }

    /** A commit under the run's id was already made: by another run of the same data, or one that raced this one. */
    private RunResult alreadyPublished(Resolution resolution, long version) {
        if (resolution.incremental()) {
            // another run committed after the same version first: its files may not be all of ours
            throw new DeltaPublisher.PublishConflict(version, null);
        }
        reached = reached.published(version, 0, 0);
        return finish(RunStatus.UP_TO_DATE, null, null);
    }

    private RunResult blocked(GateResult gate) {
        return finish(RunStatus.GATE_FAILED, ErrorCode.QUALITY_GATE_FAILED, RunMessages.gate(product, gate));
    }

    /** The rows of a backfill's range; a predicate that does not fit the output is the user's to fix. */
    private Dataset<Row> inRange(Dataset<Row> rows, String range) {
        try {
            return rows.where(functions.expr(range));
        } catch (Exception e) {
            // Spark's parse and analysis errors are checked exceptions Scala throws undeclared
            throw MeshException.invalidInput("%s: --partitions \"%s\" is not a condition on the output's columns "
                    + "(%s): %s", product.id(), range, String.join(", ", product.output().columnNames()),
                    PlainMessages.of(e));
        }
    }

    private RunResult finish(RunStatus status, ErrorCode code, String error) {
        // a run that found nothing new planned nothing: its lineage is the one the specs give
        ColumnLineage recorded = status == RunStatus.UP_TO_DATE && columns.columns().isEmpty()
                ? columnFlow().lineage(product.id()).orElse(ColumnLineage.NONE) : columns;
        return reached.result(product, runId, started, services.clock().instant(), stages.millis(), RunUsage.NONE,
                status, code, error).withColumns(recorded);
    }

    /** The result, with the usage Spark reported once the run's jobs are all accounted for. */
    private RunResult withUsage(RunResult result) {
        RunMetricsListener.Snapshot spark = usageSnapshot;
        return result.withUsage(new RunUsage(spark.cpuMillis(), spark.taskMillis(), spark.bytesRead(),
                spark.recordsRead(), spark.bytesWritten(), spark.recordsWritten(), reached.filesWritten()));
    }
}
