package dev.mesh.runtime.spark;

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
