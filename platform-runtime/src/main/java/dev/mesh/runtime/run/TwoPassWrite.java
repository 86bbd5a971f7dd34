package dev.mesh.runtime.run;

import dev.mesh.runtime.ingest.CommitMetadata;
import dev.mesh.runtime.result.InputRecord;
import dev.mesh.runtime.spark.ObservedMetrics;
import dev.mesh.runtime.spark.RunMetricsListener;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.runtime.spi.TableChange;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.ProductSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write of any run that cannot go in one pass: the candidate is materialized, then read to count the inputs and
 * the rows and to quarantine what broke a rule, gated, and published in one idempotent Delta commit (a merge, a
 * template's own change, a range, a new schema, protected columns). Nothing a reader sees changes before that commit.
 */
final class TwoPassWrite implements WriteStrategy {
    // logged under the runner's name, as users and log configurations know it
    private static final Logger LOG = LoggerFactory.getLogger(ProductRunner.class);

    private final RunScope scope;
    private final RunGate gate;
    private final PiiProtection protection;
    private final List<String> breaking;
    private final ProductSpec product;
    private final SparkSession session;

    /** {@code breaking}: the changes of a new major version, which replaces the published schema. */
    TwoPassWrite(RunScope scope, RunGate gate, PiiProtection protection, List<String> breaking) {
        this.scope = scope;
        this.gate = gate;
        this.protection = protection;
        this.breaking = List.copyOf(breaking);
        this.product = scope.product();
        this.session = scope.session();
    }

    @Override
    public WriteOutcome write(Resolution resolution, Candidate planned) {
        // caching plans the whole query (and loads its inputs' Delta snapshots): planning time
        Candidate candidate = scope.stages().time("plan", planned::materialized);
        try {
            Counted counted = countInputs(resolution);
            List<InputRecord> inputs = counted.records();
            Dataset<Row> rows = candidate.rows();
            // one job counts all rows and those that broke a rule
            RowRules.Counts counts = scope.stages().time("transform",
                    () -> RowRules.count(rows, candidate.hasRowRules()));
            Dataset<Row> good = candidate.hasRowRules() ? RowRules.good(rows) : rows;
            Optional<Dataset<Row>> ruleBreakers = counts.broken() == 0 ? Optional.empty()
                    : Optional.of(RowRules.rejected(rows, product.output().columnNames()));
            QuarantineWriter.Written quarantined = scope.stages().time("quarantine", () -> new QuarantineWriter(
                    scope.services().zones()).write(product, scope.runId(), counted.rejecting(), ruleBreakers,
                    scope.now()));
            if (quarantined.lostTo().isPresent()) {
                return new WriteOutcome.Lost(quarantined.lostTo().getAsLong());
            }
            Dataset<Row> published = candidate.change().map(change -> change.published(good)).orElse(good);
            Screened screened = new Screened(good, published, candidate.change(), inputs, counts.good(),
                    quarantined.count());
            Optional<WriteOutcome.Blocked> blocked = gate.pass(screened);
            if (blocked.isPresent()) {
                return blocked.get();
            }
            return publish(resolution, candidate, screened);
        } finally {
            candidate.rows().unpersist(false);
        }
    }

    /**
     * What the inputs read, and those that may have rejected records: an input whose observation saw none rejected
     * has none to quarantine, and its rejected records are not read again to find that out.
     */
    private record Counted(List<InputRecord> records, List<ResolvedInput> rejecting) {}

    /**
     * Counting the inputs reads the landing files once, into the readers' caches; product inputs are counted from
     * Delta's statistics.
     */
    private Counted countInputs(Resolution resolution) {
        return scope.stages().time("read", () -> {
            try (ObservedMetrics metrics = ObservedMetrics.listen(session)) {
                List<InputRecord> records = new ArrayList<>();
                List<ResolvedInput> rejecting = new ArrayList<>();
                for (ResolvedInput input : resolution.inputs()) {
                    Optional<Row> observed = observed(input, metrics);
                    records.add(Resolution.record(input, observed.map(row -> row.getLong(0))
                            .orElseGet(input::recordsRead)));
                    if (observed.map(row -> row.getLong(1) > 0).orElse(true)) {
                        rejecting.add(input);
                    }
                }
                return new Counted(List.copyOf(records), List.copyOf(rejecting));
            }
        });
    }

    /**
     * What the observation of an input whose reader observes what it reads and rejects saw, in one pass over its rows:
     * the records read and those rejected. Empty for any other input, which is counted by its rows and its rejected
     * records.
     */
    private static Optional<Row> observed(ResolvedInput input, ObservedMetrics metrics) {
        if (input.observation().isEmpty()) {
            return Optional.empty();
        }
        input.rows().count();
        return metrics.await(input.observation().get());
    }

    /** One Delta commit with the data and the files it ingested. */
    private WriteOutcome publish(Resolution resolution, Candidate candidate, Screened screened) {
        RunMetricsListener sparkMetrics = scope.services().sparkMetrics();
        long jobsBefore = sparkMetrics.settled(session.sparkContext(), scope.runId()).jobMillis();
        scope.stage("write");
        long writeStart = System.nanoTime();
        WriteMode mode = scope.writeMode();
        if (mode == WriteMode.MERGE && screened.rowsOut() == 0) {
            // merging nothing may commit nothing; appending nothing commits, with the files it ingested
            mode = WriteMode.APPEND;
        }
        CommitMetadata metadata = scope.commitMetadata(resolution, candidate, mode);
        DeltaPublisher publisher = new DeltaPublisher(scope.services().zones());
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
                scope.appId(resolution), metadata, update);
        long writeMillis = (System.nanoTime() - writeStart) / 1_000_000;
        // the write's Spark jobs write the files; the rest of the time is the driver's (the Delta commit)
        long writeJobs = Math.min(writeMillis,
                sparkMetrics.settled(session.sparkContext(), scope.runId()).jobMillis() - jobsBefore);
        scope.stages().record("write", writeJobs);
        scope.stages().record("commit", writeMillis - writeJobs);
        return switch (publication.commit()) {
            case LOST -> new WriteOutcome.Lost(publication.version());
            case ALREADY_MADE -> new WriteOutcome.AlreadyPublished(publication.version());
            case MADE -> {
                scope.options().replaceWhere().ifPresent(range -> LOG.info("{}: replaced the rows where {} with {} "
                        + "rows, in version {}", product.id(), range, screened.rowsOut(), publication.version()));
                yield new WriteOutcome.Published(publication.version(), publication.filesAdded(), screened.rowsOut(),
                        metadata, Stream.concat(breaking.stream(), added.stream().map(column -> "added " + column))
                                .toList());
            }
        };
    }
}
