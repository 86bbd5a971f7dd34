package dev.mesh.runtime.run;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

import dev.mesh.runtime.ingest.CommitMetadata;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.spark.StagedDeltaWrite;
import dev.mesh.runtime.spi.TableChange;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.ProductSpec;
import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Publishes a run's candidate data as one atomic Delta commit. The commit is idempotent: it carries a
 * {@code txnAppId} (with version 0), so Delta itself skips a second commit under the same id, and its commit info
 * carries the run id and the landing files it published ({@link CommitMetadata}).
 */
final class DeltaPublisher {
    private static final String TXN_APP_ID = "spark.databricks.delta.write.txnAppId";
    private static final String TXN_VERSION = "spark.databricks.delta.write.txnVersion";
    private static final String USER_METADATA = "spark.databricks.delta.commitInfo.userMetadata";

    private final ZoneLayout zones;

    DeltaPublisher(ZoneLayout zones) {
        this.zones = requireNonNull(zones, "zones is null");
    }

    /** What a publication does to the table's schema. */
    enum SchemaUpdate {
        /** Keeps it. */
        NONE,
        /** Adds the candidate's new columns (schema evolution). */
        ADD_COLUMNS,
        /** Replaces it with the candidate's (a new major version, written whole). */
        REPLACE
    }

    /** What became of a commit. */
    enum Commit {
        /** Made: its version holds the candidate. */
        MADE,
        /** Skipped by Delta: a commit under the same id was made before. */
        ALREADY_MADE,
        /** Refused: another writer committed to the product while this one was writing; nothing was published. */
        LOST
    }

    /** The outcome: what became of the commit, the version readers now see, and the files it added. */
    record Publication(Commit commit, long version, long filesAdded) {}

    /**
     * Publishes {@code candidate} in {@code mode} under {@code appId}; a template's {@code change} merges it into an
     * existing table its own way, and otherwise writes the rows it publishes. A commit refused because another writer
     * committed to the product while this one was writing is {@linkplain Commit#LOST lost}, not thrown.
     */
    Publication publish(SparkSession spark, Dataset<Row> candidate, Optional<TableChange> change, ProductSpec product,
            WriteMode mode, String appId, CommitMetadata metadata, SchemaUpdate update) {
        String path = zones.product(product.id());
        zones.requireInsideZone(product.domain(), path);
        Optional<Long> before = DeltaTables.latestVersion(spark, path);
        try {
            if (mode == WriteMode.MERGE && before.isPresent() && change.isEmpty()) {
                List<KeyRanges.Range> ranges = KeyRanges.of(candidate, product.output().keys());
                Optional<Publication> appended = update == SchemaUpdate.NONE
                        ? appendNewKeys(spark, path, candidate, product, appId, metadata, ranges) : Optional.empty();
                if (appended.isPresent()) {
                    return appended.get();
                }
                DeltaTable target = DeltaTable.forPath(spark, path);
                inCommit(spark, appId, metadata.json(), update == SchemaUpdate.ADD_COLUMNS,
                        () -> upsert(target, candidate, product, ranges));
            } else if (mode == WriteMode.MERGE && before.isPresent()) {
                DeltaTable target = DeltaTable.forPath(spark, path);
                inCommit(spark, appId, metadata.json(), update == SchemaUpdate.ADD_COLUMNS,
                        () -> change.get().merge(target, candidate));
            } else {
                Dataset<Row> rows = change.map(own -> own.published(candidate)).orElse(candidate);
                Optional<Publication> staged = before.isPresent() && change.isEmpty() && update == SchemaUpdate.NONE
                        && metadata.replaceWhere().isEmpty()
                        ? stagedWrite(spark, path, rows, product, mode, appId, metadata) : Optional.empty();
                if (staged.isPresent()) {
                    return staged.get();
                }
                DataFrameWriter<Row> writer = rows.write().format("delta")
                        .mode(mode == WriteMode.OVERWRITE ? "overwrite" : "append")
                        .option("txnAppId", appId)
                        .option("txnVersion", 0L)
                        .option("userMetadata", metadata.json())
                        .option("mergeSchema", Boolean.toString(update == SchemaUpdate.ADD_COLUMNS))
                        .option("overwriteSchema", Boolean.toString(update == SchemaUpdate.REPLACE));
                if (metadata.replaceWhere().isPresent()) {
                    // one commit replaces exactly the rows of the range; Delta checks every row written is in it
                    writer = writer.option("replaceWhere", metadata.replaceWhere().get());
                }
                if (!product.output().partitionBy().isEmpty()) {
                    writer = writer.partitionBy(product.output().partitionBy().toArray(String[]::new));
                }
                writer.save(path);
            }
        } catch (RuntimeException e) {
            if (DeltaTables.concurrentModification(e)) {
                return new Publication(Commit.LOST, DeltaTables.latestVersion(spark, path).orElse(-1L), 0);
            }
            throw e;
        }
        DeltaTables.Commit after = DeltaTables.lastCommit(spark, path).orElseThrow();
        boolean skipped = before.isPresent() && before.get() == after.version();
        return skipped ? new Publication(Commit.ALREADY_MADE, after.version(), 0)
                : new Publication(Commit.MADE, after.version(), after.filesAdded());
    }

    /** The schema of the product as published, if it has been. */
    Optional<StructType> publishedSchema(SparkSession spark, ProductSpec product) {
        String path = zones.product(product.id());
        return DeltaTables.exists(spark, path)
                ? Optional.of(DeltaTable.forPath(spark, path).toDF().schema()) : Optional.empty();
    }

    /**
     * The output mode merge of a batch whose keys no file of the table can hold, by the files' statistics: nothing to
     * update, so the batch is appended in one commit, without the MERGE's search for the rows it would match (a Spark
     * job over the table's files) and its join. The transaction records the key range as read, as the MERGE would:
     * a writer that commits files in between makes this commit fail as a lost race. Empty, writing nothing, when a
     * file may hold one of the keys (or the keys have no range): then the MERGE runs.
     */
    private static Optional<Publication> appendNewKeys(SparkSession spark, String path, Dataset<Row> candidate,
            ProductSpec product, String appId, CommitMetadata metadata, List<KeyRanges.Range> ranges) {
        Optional<Column> inRange = KeyRanges.all(ranges, "");
        if (inRange.isEmpty()) {
            return Optional.empty();
        }
        List<String> partitionBy = product.output().partitionBy();
        StagedDeltaWrite write = StagedDeltaWrite.begin(spark, path, candidate.schema(), partitionBy);
        if (write.createsTable() || !write.holdsNoRowsWhere(inRange.get())) {
            return Optional.empty();
        }
        if (write.alreadyCommitted(appId)) {
            return Optional.of(new Publication(Commit.ALREADY_MADE, write.readVersion(), 0));
        }
        try {
            int files = write.write(candidate);
            return Optional.of(new Publication(Commit.MADE, write.commit(false, partitionBy, appId, metadata.json()),
                    files));
        } catch (RuntimeException e) {
            write.abandon();
            throw e;
        }
    }

    /**
     * An overwrite or append of the table that is there, with exactly its columns and partitioning, as a staged write:
     * Delta's own writer rebuilds the state of the version it read in Spark jobs to learn its transaction ids and, to
     * overwrite, its files; the staged write reads them from the log ({@link StagedDeltaWrite}). Empty, writing
     * nothing, for any other write.
     */
    private static Optional<Publication> stagedWrite(SparkSession spark, String path, Dataset<Row> rows,
            ProductSpec product, WriteMode mode, String appId, CommitMetadata metadata) {
        List<String> partitionBy = product.output().partitionBy();
        StagedDeltaWrite write = StagedDeltaWrite.begin(spark, path, rows.schema(), partitionBy);
        if (write.createsTable() || !write.takesExactly(rows.schema(), partitionBy)) {
            return Optional.empty();
        }
        if (write.alreadyCommitted(appId)) {
            return Optional.of(new Publication(Commit.ALREADY_MADE, write.readVersion(), 0));
        }
        boolean commitAttempted = false;
        try {
            int files = write.write(rows);
            commitAttempted = true;
            long version = write.commit(mode == WriteMode.OVERWRITE, partitionBy, appId, metadata.json());
            return Optional.of(new Publication(Commit.MADE, version, files));
        } catch (RuntimeException e) {
            // files that were never committed are deleted; once a commit was tried, they may be the table's
            if (!commitAttempted || DeltaTables.concurrentModification(e)) {
                write.abandon();
            }
            throw e;
        }
    }

    /**
     * The output mode merge: rows replace the rows of their keys, or are added. The condition also bounds the
     * target's keys by the batch's {@code ranges} of them ({@link KeyRanges}), so that Delta reads and rewrites only the
     * files whose statistics overlap the batch.
     */
    static void upsert(DeltaTable target, Dataset<Row> candidate, ProductSpec product, List<KeyRanges.Range> ranges) {
        Column condition = keysMatch(product);
        for (KeyRanges.Range range : ranges) {
            condition = condition.and(range.on("t"));
        }
        target.as("t")
                .merge(candidate.as("s"), condition)
                .whenMatched().updateAll()
                .whenNotMatched().insertAll()
                .execute();
    }

    /** The MERGE condition that matches a source row {@code s} to the target row {@code t} of its key. */
    private static Column keysMatch(ProductSpec product) {
        return product.output().keys().stream()
                .map(key -> col("t.`" + key + "`").eqNullSafe(col("s.`" + key + "`")))
                .reduce(Column::and)
                .orElseThrow();
    }

    /**
     * Runs a MERGE with the commit's idempotence id and info, which MERGE takes from the session, adding the
     * candidate's new columns to the table when it has some.
     */
    private static void inCommit(SparkSession spark, String appId, String metadata, boolean addsColumns,
            Runnable merge) {
        // every run has its own session, so these settings reach only this run's commit
        spark.conf().set(TXN_APP_ID, appId);
        spark.conf().set(TXN_VERSION, "0");
        spark.conf().set(USER_METADATA, metadata);
        spark.conf().set(DeltaTables.AUTO_MERGE, Boolean.toString(addsColumns));
        try {
            merge.run();
        } finally {
            spark.conf().unset(TXN_APP_ID);
            spark.conf().unset(TXN_VERSION);
            spark.conf().unset(USER_METADATA);
            spark.conf().unset(DeltaTables.AUTO_MERGE);
        }
    }
}
