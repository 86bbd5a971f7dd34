package dev.mesh.runtime.spark;

import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import scala.Option;

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
}
