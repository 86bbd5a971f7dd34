package dev.mesh.runtime.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.CommitInfo;
import scala.Option;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/** What a Delta table's log says of it without a Spark job (Delta's Scala API, behind a Java face). */
public final class DeltaLogs {
    private DeltaLogs() {}

    /** A table's current version and Delta's id of it (a table deleted and created anew has another id). */
    public record TableVersion(long version, String tableId) {}

    /** The table's current version and id; empty when there is no table at {@code path}. */
    public static Optional<TableVersion> current(SparkSession spark, String path) {
        Snapshot snapshot = DeltaLog.forTable(spark, path).update(false, Option.empty(), Option.empty());
        if (snapshot.version() < 0) {
            return Optional.empty();
        }
        return Optional.of(new TableVersion(snapshot.version(), snapshot.metadata().id()));
    }

    /** A commit's version and the {@code userMetadata} of its commit info (null when it has none). */
    public record CommitMetadata(long version, String userMetadata) {}

    /**
     * The commits {@code from} to {@code to} (inclusive), read from their files in version order: exactly that range,
     * however many commits others add meanwhile (a VACUUM logs two); versions whose files are gone are missing.
     */
    public static List<CommitMetadata> commits(SparkSession spark, String path, long from, long to) {
        List<CommitMetadata> commits = new ArrayList<>();
        if (to < from) {
            return commits;
        }
        Iterator<Tuple2<Object, Seq<Action>>> changes = DeltaLog.forTable(spark, path).getChanges(from, to, false);
        while (changes.hasNext()) {
            Tuple2<Object, Seq<Action>> change = changes.next();
            long version = (Long) change._1();
            if (version > to) {
                break;
            }
            String metadata = null;
            for (Action action : JavaConverters.seqAsJavaList(change._2())) {
                if (action instanceof CommitInfo info && info.userMetadata().isDefined()) {
                    metadata = info.userMetadata().get();
                }
            }
            commits.add(new CommitMetadata(version, metadata));
        }
        return commits;
    }

    /**
     * The data files the VACUUM committed after version {@code after} deleted, from its {@code VACUUM END} commit's
     * metrics (other writers may commit meanwhile); empty when no such commit is found.
     */
    public static Optional<Long> vacuumedFiles(SparkSession spark, String path, long after) {
        DeltaLog log = DeltaLog.forTable(spark, path);
        long version = log.update(false, Option.empty(), Option.empty()).version();
        Optional<Long> deleted = Optional.empty();
        Iterator<Tuple2<Object, Seq<Action>>> changes = log.getChanges(after + 1, version, false);
        while (changes.hasNext()) {
            for (Action action : JavaConverters.seqAsJavaList(changes.next()._2())) {
                if (action instanceof CommitInfo info && "VACUUM END".equals(info.operation())
                        && info.operationMetrics().isDefined()
                        && info.operationMetrics().get().contains("numDeletedFiles")) {
                    deleted = Optional.of(Long.parseLong(info.operationMetrics().get().apply("numDeletedFiles")));
                }
            }
        }
        return deleted;
    }

    /**
     * The table's latest commit with what Delta measured of it, read from that commit's file (where
     * {@code DeltaTable.history(1)} runs a Spark job); empty when there is no table at {@code path}.
     */
    public static Optional<DeltaTables.Commit> lastCommit(SparkSession spark, String path) {
        DeltaLog log = DeltaLog.forTable(spark, path);
        long version = log.update(false, Option.empty(), Option.empty()).version();
        if (version < 0) {
            return Optional.empty();
        }
        Map<String, String> metrics = Map.of();
        Iterator<Tuple2<Object, Seq<Action>>> changes = log.getChanges(version, version, false);
        while (changes.hasNext()) {
            for (Action action : JavaConverters.seqAsJavaList(changes.next()._2())) {
                if (action instanceof CommitInfo info && info.operationMetrics().isDefined()) {
                    metrics = Map.copyOf(JavaConverters.mapAsJavaMap(info.operationMetrics().get()));
                }
            }
        }
        return Optional.of(new DeltaTables.Commit(version, metrics));
    }
}
