package dev.mesh.runtime.run;

import dev.mesh.runtime.ingest.CommitMetadata;
import dev.mesh.runtime.result.InputRecord;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.spark.ObservedMetrics;
import dev.mesh.runtime.spark.SinglePassPlan;
import dev.mesh.runtime.spark.StagedDeltaWrite;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.spec.model.InputKind;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.ProductSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The write in one pass over the inputs: the candidate's good rows are written as uncommitted files of the product's
 * table while the same pass counts the records read, rejected and breaking a row rule; only what needs it is read
 * again (the rejected records for quarantine, which a clean run has none of; the written files, for the gate), and
 * the files become the table's next version in one Delta commit when the gate passes, or are deleted. Nothing a reader
 * sees changes before that commit.
 */
final class OnePassWrite implements WriteStrategy {
    private final RunScope scope;
    private final RunGate gate;
    private final ProductSpec product;
    private final SparkSession session;

    OnePassWrite(RunScope scope, RunGate gate) {
        this.scope = scope;
        this.gate = gate;
        this.product = scope.product();
        this.session = scope.session();
    }

    /**
     * Whether a run can write in one pass: an overwrite or append of the template's own rows (no table change, no
     * range) to the published table with exactly its columns, or a product's first publication with exactly its
     * declared columns (a merge product's first batch is appended, as the two-pass path does), nothing to protect,
     * inputs read from landing files or products, and a plan that reads each input once and whole
     * ({@link SinglePassPlan}).
     */
    static boolean applies(RunScope scope, Resolution resolution, Candidate candidate, PiiProtection protection,
            List<String> breaking) {
        if (candidate.change().isPresent() || scope.options().replaceWhere().isPresent() || !breaking.isEmpty()
                || !protection.changesNothing()) {
            return false;
        }
        if (resolution.inputs().stream().anyMatch(input -> !input.addedColumns().isEmpty()
                || input.kind() == InputKind.JDBC)) {
            return false;
        }
        Optional<StructType> published = new DeltaPublisher(scope.services().zones())
                .publishedSchema(scope.session(), scope.product());
        StructType columns = new StructType(Arrays.stream(candidate.rows().schema().fields())
                .filter(field -> !field.name().equals(RowRules.VIOLATIONS)).toArray(StructField[]::new));
        if (published.isEmpty()) {
            // the first publication creates the table in its commit: with the declared columns, nothing more
            return SchemaEvolution.added(scope.product(), columns, Optional.empty(), List.of()).isEmpty()
                    && readsEachInputOnce(resolution, candidate);
        }
        if (scope.writeMode() == WriteMode.MERGE || !StagedDeltaWrite.sameColumns(published.get(), columns)) {
            return false;
        }
        return readsEachInputOnce(resolution, candidate);
    }

    private static boolean readsEachInputOnce(Resolution resolution, Candidate candidate) {
        Set<String> observations = resolution.inputs().stream().flatMap(input -> input.observation().stream())
                .collect(Collectors.toSet());
        return SinglePassPlan.readsEachInputOnce(candidate.rows(), observations);
    }

    @Override
    public WriteOutcome write(Resolution resolution, Candidate candidate) {
        String path = scope.services().zones().product(product.id());
        scope.services().zones().requireInsideZone(product.domain(), path);
        String appId = scope.appId(resolution);
        String counted = "mesh_candidate_" + UUID.randomUUID().toString().replace("-", "");
        Column[] counters = RowRules.counters(candidate.hasRowRules());
        Dataset<Row> observed = candidate.rows().observe(counted, counters[0], counters[1]);
        Dataset<Row> good = candidate.hasRowRules() ? RowRules.good(observed) : observed;
        StagedDeltaWrite write = scope.stages().time("plan", () -> StagedDeltaWrite.begin(session, path,
                good.schema(), product.output().partitionBy()));
        if (write.alreadyCommitted(appId)) {
            return new WriteOutcome.AlreadyPublished(write.readVersion());
        }
        // the write reads the inputs, once: the readers need not keep them for later passes
        resolution.inputs().forEach(input -> input.observation().ifPresent(name -> input.release().run()));
        boolean commitAttempted = false;
        try (ObservedMetrics metrics = ObservedMetrics.listen(session)) {
            scope.stage("write");
            long writeStart = System.nanoTime();
            int files = write.write(good);
            scope.stages().record("write", (System.nanoTime() - writeStart) / 1_000_000);
            RowRules.Counts counts = metrics.await(counted).map(RowRules::counts)
                    .orElseGet(() -> scope.stages().time("transform", () -> RowRules.count(candidate.rows(),
                            candidate.hasRowRules())));
            List<InputRecord> inputs = new ArrayList<>();
            List<ResolvedInput> rejecting = new ArrayList<>();
            for (ResolvedInput input : resolution.inputs()) {
                Optional<Row> read = input.observation().flatMap(metrics::now);
                long records = read.map(row -> row.getLong(0))
                        .orElseGet(() -> scope.stages().time("read", input::recordsRead));
                inputs.add(Resolution.record(input, records));
                if (read.map(row -> row.getLong(1) > 0).orElse(true)) {
                    rejecting.add(input);
                }
            }
            Optional<Dataset<Row>> ruleBreakers = counts.broken() == 0 ? Optional.empty()
                    : Optional.of(RowRules.rejected(candidate.rows(), product.output().columnNames()));
            QuarantineWriter.Written quarantined = scope.stages().time("quarantine", () -> new QuarantineWriter(
                    scope.services().zones()).write(product, scope.runId(), rejecting, ruleBreakers, scope.now()));
            if (quarantined.lostTo().isPresent()) {
                return new WriteOutcome.Lost(quarantined.lostTo().getAsLong());
            }
            Dataset<Row> staged = write.staged();
            Screened screened = new Screened(staged, staged, Optional.empty(), inputs, counts.good(),
                    quarantined.count());
            Optional<WriteOutcome.Blocked> blocked = gate.pass(screened);
            if (blocked.isPresent()) {
                return blocked.get();
            }
            WriteMode mode = scope.writeMode();
            CommitMetadata metadata = scope.commitMetadata(resolution, candidate, mode);
            scope.stage("commit");
            long commitStart = System.nanoTime();
            commitAttempted = true;
            long version;
            try {
                version = write.commit(mode == WriteMode.OVERWRITE, product.output().partitionBy(), appId,
                        metadata.json());
            } catch (RuntimeException e) {
                if (DeltaTables.concurrentModification(e)) {
                    write.abandon();
                    return new WriteOutcome.Lost(DeltaTables.latestVersion(session, path).orElse(-1L));
                }
                throw e;
            }
            scope.stages().record("commit", (System.nanoTime() - commitStart) / 1_000_000);
            return new WriteOutcome.Published(version, files, counts.good(), metadata, List.of());
        } finally {
            // files that were never committed are deleted; once a commit was tried, they may be the table's
            if (!commitAttempted) {
                write.abandon();
            }
        }
    }
}
