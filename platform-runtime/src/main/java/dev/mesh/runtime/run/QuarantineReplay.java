package dev.mesh.runtime.run;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.runtime.ingest.CommitMetadata;
import dev.mesh.runtime.ingest.PublishedWatermarks;
import dev.mesh.runtime.result.InputRecord;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.spark.ActiveSession;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.ProductSpec;
import io.delta.tables.DeltaTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Publishes the records a product's runs quarantined that its current spec accepts (after the spec, or what the source
 * sends, was fixed): each record is read again from the quarantine table (a JSON object of the row's values), typed by
 * the output schema, ruled by the current row rules and judged by the current checks; those that pass are published in
 * one commit, and marked replayed in the quarantine table with the version that holds them. Exactly once: the commit's
 * idempotence id is the set of records it publishes, so a replay killed after its commit and run again, or run twice
 * at once, publishes them once (Delta skips the second commit) and only marks them. Records the spec still rejects
 * stay quarantined, with why. An overwrite product is refused: its next run rebuilds the table from its sources.
 */
final class QuarantineReplay {
    // logged under the runner's name, as users and log configurations know it
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProductRunner.class);
    /** The kind of the input a replay reads: the product's quarantine table. */
    static final String INPUT_KIND = "quarantine";
    static final String REPLAYED_VERSION = "replayed_version";
    static final String REPLAYED_RUN = "replayed_run";
    private static final String KEY = "record_key";
    private static final String WHY = "replay_reasons";
    private static final String PUBLISHED_KEY = "_mesh_published_key";
    /** Reasons of records that still fail, shown in the result. */
    private static final int SHOWN = 3;

    private final RunScope scope;
    private final ProductSpec product;

    private QuarantineReplay(RunScope scope) {
        this.scope = scope;
        this.product = scope.product();
    }

    /** Replays the pending quarantined records of the product (of one run, if given) as run {@code runId}. */
    static RunResult replay(RunServices services, SparkSession spark, ProductSpec product, Optional<String> ofRun,
            String runId) {
        RunScope scope = new RunScope(services, spark, product, RunOptions.DEFAULT, runId, services.clock().instant());
        try {
            return ActiveSession.during(scope.session(), () -> new QuarantineReplay(scope).inSession(ofRun));
        } finally {
            // the records read, kept in memory for the replay's passes, are released whatever its outcome
            scope.cleanups().forEach(Runnable::run);
        }
    }

    private RunResult inSession(Optional<String> ofRun) {
        if (product.output().mode() == WriteMode.OVERWRITE) {
            throw MeshException.invalidInput("%s overwrites its table with what its sources hold at every run: a "
                    + "replayed record would be gone at the next one; fix the source (land the file again) or the "
                    + "spec, and run it", product.id());
        }
        SparkSession session = scope.session();
        String path = scope.services().zones().quarantine(product.id());
        session.sparkContext().setJobGroup(scope.runId(), "mesh quarantine replay of " + product.id(), false);
        try {
            Optional<Long> quarantineVersion = scope.stages().time("resolve",
                    () -> DeltaTables.latestVersion(session, path));
            if (quarantineVersion.isEmpty()) {
                return finish(RunStatus.UP_TO_DATE, null, product.id() + " has no quarantined record");
            }
            Dataset<Row> quarantined = session.read().format("delta").option("versionAsOf", quarantineVersion.get())
                    .load(path);
            boolean tracked = Arrays.asList(quarantined.columns()).contains(REPLAYED_VERSION);
            Dataset<Row> pending = quarantined.where(col("product").equalTo(product.id().toString()));
            if (tracked) {
                pending = pending.where(col(REPLAYED_VERSION).isNull());
            }
            if (ofRun.isPresent()) {
                pending = pending.where(col("run_id").equalTo(ofRun.get()));
            }
            Dataset<Row> judged = withoutPublishedKeys(typed(pending)).persist(StorageLevel.MEMORY_AND_DISK());
            scope.onClose(() -> judged.unpersist(false));
            long waiting = scope.stages().time("read", judged::count);
            scope.advance(progress -> progress.resolved(null, List.of(new InputRecord("quarantine", INPUT_KIND,
                    path, quarantineVersion.get(), waiting))));
            if (waiting == 0) {
                return finish(RunStatus.UP_TO_DATE, null, "no quarantined record of " + product.id()
                        + ofRun.map(run -> " from run " + run).orElse("") + " waits for replay");
            }
            Dataset<Row> accepted = judged.where(size(col(WHY)).equalTo(0));
            List<String> keys = scope.stages().time("quarantine", () -> accepted.select(KEY).distinct()
                    .collectAsList().stream().map(row -> row.getString(0)).sorted().toList());
            List<String> stillFailing = scope.stages().time("quarantine", () -> judged.where(size(col(WHY)).gt(0))
                    .select(col(WHY)).limit(SHOWN).collectAsList().stream()
                    .map(row -> String.join("; ", row.<String>getList(0))).toList());
            long rejected = waiting - keys.size();
            scope.advance(progress -> progress.screened(progress.inputs(), keys.size(), rejected));
            String still = rejected == 0 ? "" : "; " + rejected + " still fail the current spec and stay quarantined"
                    + " (e.g. " + String.join(" | ", stillFailing) + ")";
            if (keys.isEmpty()) {
                return finish(RunStatus.FAILED, ErrorCode.INVALID_INPUT, "none of the " + waiting + " quarantined "
                        + "records of " + product.id() + " passes its current spec" + still + "; fix the spec or "
                        + "the source first");
            }
            Dataset<Row> rows = accepted.select(product.output().schema().stream()
                    .map(column -> col("`" + column.name() + "`")).toArray(Column[]::new));
            scope.planned(scope.columnFlow().lineage(product.id()).orElse(ColumnLineage.NONE));
            GateResult gate = new RunGate(scope).judgeBatch(rows, keys.size());
            scope.advance(progress -> progress.gated(gate));
            if (gate.blocked()) {
                return finish(RunStatus.GATE_FAILED, ErrorCode.QUALITY_GATE_FAILED, RunMessages.gate(product, gate));
            }
            return publish(rows, keys, still);
        } finally {
            session.sparkContext().clearJobGroup();
        }
    }

    /**
     * The pending records typed by the output schema, with {@link #WHY} they are still rejected (empty when the
     * current spec accepts them): not a JSON object, a value that is not of its column's type, a required column
     * without a value, or a row rule broken.
     */
    private Dataset<Row> typed(Dataset<Row> pending) {
        StructType fields = new StructType(product.output().schema().stream()
                .map(column -> DataTypes.createStructField(column.name(), DataTypes.StringType, true))
                .toArray(org.apache.spark.sql.types.StructField[]::new));
        Dataset<Row> parsed = pending.select(col(KEY), from_json(col("record"), fields).as("v"));
        List<Column> values = new ArrayList<>();
        List<Column> reasons = new ArrayList<>();
        reasons.add(when(col("v").isNull(), lit("the record is not a JSON object of the row's values (a malformed "
                + "line): fix the source file and land it again")));
        for (ColumnSpec column : product.output().schema()) {
            Column raw = col("v.`" + column.name() + "`");
            Column value = raw.cast(column.type());
            values.add(value.as(column.name()));
            // the reason goes to the run's row, which more people read than the quarantine: no personal value in it
            boolean sensitive = column.isPii() || column.protection() != ColumnSpec.Protection.NONE;
            reasons.add(when(raw.isNotNull().and(value.isNull()), sensitive
                    ? lit(column.name() + ": the value (withheld) is not a " + column.type())
                    : concat(lit(column.name() + ": value '"), raw, lit("' is not a " + column.type()))));
            if (column.required()) {
                reasons.add(when(col("v").isNotNull().and(raw.isNull()), lit(column.name() + ": no value, but the "
                        + "column is required")));
            }
        }
        Dataset<Row> typed = parsed.select(concatColumns(col(KEY), values,
                filter(array(reasons.toArray(Column[]::new)), Column::isNotNull).as(WHY)));
        if (product.quality().rowRules().isEmpty()) {
            return typed;
        }
        Dataset<Row> ruled = RowRules.annotate(typed, product.quality().rowRules());
        return ruled.withColumn(WHY, concat(col(WHY), col(RowRules.VIOLATIONS))).drop(RowRules.VIOLATIONS);
    }

    /**
     * For a merge product, a record whose key the table holds now stays quarantined: that row may be newer than the
     * record (published by a later run), and a replay must not put old data over it.
     */
    private Dataset<Row> withoutPublishedKeys(Dataset<Row> typed) {
        String path = scope.services().zones().product(product.id());
        if (product.output().mode() != WriteMode.MERGE || !DeltaTables.exists(scope.session(), path)) {
            return typed;
        }
        List<String> keys = product.output().keys();
        Column[] renamed = new Column[keys.size()];
        Column matches = lit(true);
        for (int i = 0; i < keys.size(); i++) {
            renamed[i] = col("`" + keys.get(i) + "`").as(PUBLISHED_KEY + i);
            matches = matches.and(col("`" + keys.get(i) + "`").equalTo(col(PUBLISHED_KEY + i)));
        }
        Dataset<Row> published = scope.session().read().format("delta").load(path).select(renamed).distinct();
        Column why = when(col(PUBLISHED_KEY + 0).isNotNull(), concat(col(WHY), array(lit("its key ("
                + String.join(", ", keys) + ") was published since: the published row may be newer than this "
                + "record; land the corrected record in a new file instead")))).otherwise(col(WHY));
        Dataset<Row> joined = typed.join(published, matches, "left").withColumn(WHY, why);
        for (int i = 0; i < keys.size(); i++) {
            joined = joined.drop(PUBLISHED_KEY + i);
        }
        return joined;
    }

    private static Column[] concatColumns(Column first, List<Column> middle, Column last) {
        List<Column> all = new ArrayList<>();
        all.add(first);
        all.addAll(middle);
        all.add(last);
        return all.toArray(Column[]::new);
    }

    /**
     * One commit of the accepted rows under an idempotence id made of their record keys, then the records marked
     * replayed with the version that holds them.
     */
    private RunResult publish(Dataset<Row> rows, List<String> keys, String still) {
        SparkSession session = scope.session();
        String set = fingerprint(keys);
        String productPath = scope.services().zones().product(product.id());
        // a commit of a product read by a watermark carries the marks, which the replay does not move
        Map<String, String> marks = PublishedWatermarks.read(session, productPath).byInput();
        CommitMetadata metadata = CommitMetadata.of(product, scope.runId(), "replay:" + set, List.of(), false, marks,
                Optional.empty());
        // published as a run publishes: the port's protection (hashed, redacted, dropped columns), the table's shape
        DeltaPublisher publisher = new DeltaPublisher(scope.services().zones());
        Dataset<Row> published = SchemaEvolution.padded(PiiProtection.of(product, scope.services().mesh(),
                scope.services().environment()).apply(rows), publisher.publishedSchema(session, product));
        DeltaPublisher.Publication publication = scope.stages().time("write", () -> publisher.publish(session,
                published, Optional.empty(), product, product.output().mode(), "mesh-replay-" + set, metadata,
                DeltaPublisher.SchemaUpdate.NONE));
        if (publication.commit() == DeltaPublisher.Commit.LOST) {
            return finish(RunStatus.FAILED, ErrorCode.INFRASTRUCTURE, "another run published version "
                    + publication.version() + " of " + product.id() + " first; nothing was replayed; replay again");
        }
        scope.stages().time("commit", () -> markReplayed(keys, publication.version()));
        long files = publication.commit() == DeltaPublisher.Commit.MADE ? publication.filesAdded() : 0;
        scope.advance(progress -> progress.published(publication.version(), files, keys.size()));
        String note = publication.commit() == DeltaPublisher.Commit.ALREADY_MADE
                ? "; an earlier replay had published them in version " + publication.version() + ": marked only" : "";
        if (!note.isEmpty() || !still.isEmpty()) {
            LOG.info("{}: replayed {} quarantined records into version {}{}{}", product.id(), keys.size(),
                    publication.version(), note, still);
        }
        return finish(RunStatus.PUBLISHED, null, null);
    }

    /** Marks the replayed records with the version that holds them and this run (adding the columns if need be). */
    private void markReplayed(List<String> keys, long version) {
        SparkSession session = scope.session();
        String path = scope.services().zones().quarantine(product.id());
        scope.services().zones().requireInsideZone(product.domain(), path);
        StructType schema = session.read().format("delta").load(path).schema();
        if (!Arrays.asList(schema.fieldNames()).contains(REPLAYED_VERSION)) {
            DeltaTables.widen(session, path, schema.add(REPLAYED_VERSION, DataTypes.LongType, true)
                    .add(REPLAYED_RUN, DataTypes.StringType, true));
        }
        Dataset<Row> replayed = session.createDataset(keys, org.apache.spark.sql.Encoders.STRING()).toDF(KEY);
        DeltaTable.forPath(session, path).as("q")
                .merge(replayed.as("r"), "q." + KEY + " = r." + KEY + " AND q." + REPLAYED_VERSION + " IS NULL")
                .whenMatched().updateExpr(Map.of(REPLAYED_VERSION, Long.toString(version), REPLAYED_RUN,
                        "'" + scope.runId().replace("'", "") + "'"))
                .execute();
    }

    private RunResult finish(RunStatus status, ErrorCode code, String message) {
        Instant now = scope.now();
        return scope.progress().result(product, scope.runId(), scope.started(), now, scope.stages().millis(),
                RunUsage.NONE, status, code, message);
    }

    private static String fingerprint(List<String> keys) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            keys.forEach(key -> {
                digest.update(key.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
