package dev.mesh.runtime.spark;

import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Small Delta helpers: existence, the latest version, and creating an empty table with a schema. */
public final class DeltaTables {
    /** The session setting by which a MERGE adds the source's new columns to its target. */
    public static final String AUTO_MERGE = "spark.databricks.delta.schema.autoMerge.enabled";

    private DeltaTables() {}

    public static boolean exists(SparkSession spark, String path) {
        return DeltaTable.isDeltaTable(spark, path);
    }

    /** A commit: its version and what Delta measured of it (numFiles, numOutputRows, numTargetFilesAdded...). */
    public record Commit(long version, java.util.Map<String, String> operationMetrics) {
        /** The data files the commit added, whichever operation made it. */
        public long filesAdded() {
            for (String key : List.of("numFiles", "numTargetFilesAdded", "numAddedFiles")) {
                String value = operationMetrics.get(key);
                if (value != null) {
                    return Long.parseLong(value);
                }
            }
            return 0;
        }
    }

    /** The latest commit, or empty when there is no table at {@code path}; read from the log, no Spark job. */
    public static Optional<Commit> lastCommit(SparkSession spark, String path) {
        return DeltaLogs.lastCommit(spark, path);
    }

    /** The latest committed version, or empty when there is no table at {@code path} (no commit file is read). */
    public static Optional<Long> latestVersion(SparkSession spark, String path) {
        return DeltaLogs.current(spark, path).map(DeltaLogs.TableVersion::version);
    }

    /**
     * Adds to the table at {@code path} the columns of {@code schema} it lacks (a platform table written by an older
     * version of the platform), by an empty append with mergeSchema; returns their names, none when it lacks none.
     */
    public static List<String> widen(SparkSession spark, String path, StructType schema) {
        java.util.Set<String> has = java.util.Set.of(spark.read().format("delta").load(path).schema().fieldNames());
        List<String> missing = java.util.Arrays.stream(schema.fieldNames()).filter(name -> !has.contains(name))
                .toList();
        if (!missing.isEmpty()) {
            append(spark.createDataFrame(List.<Row>of(), schema), path);
        }
        return missing;
    }

    /** Creates an empty table; returns false (and changes nothing) when one is already there. */
    public static boolean createIfAbsent(SparkSession spark, String path, StructType schema) {
        return createIfAbsent(spark, path, schema, java.util.Map.of());
    }

    /** Creates an empty table with these Delta table properties; false (changing nothing) when one is there. */
    public static boolean createIfAbsent(SparkSession spark, String path, StructType schema,
            java.util.Map<String, String> properties) {
        if (exists(spark, path)) {
            return false;
        }
        if (properties.isEmpty()) {
            append(spark.createDataFrame(List.<Row>of(), schema), path);
            return true;
        }
        io.delta.tables.DeltaTableBuilder builder = io.delta.tables.DeltaTable.createIfNotExists(spark)
                .location(path).addColumns(schema);
        for (java.util.Map.Entry<String, String> property : properties.entrySet()) {
            builder = builder.property(property.getKey(), property.getValue());
        }
        try {
            builder.execute();
        } catch (RuntimeException e) {
            // another writer created it first
            if (!concurrentModification(e) || !exists(spark, path)) {
                throw e;
            }
        }
        return true;
    }

    /** Attempts of a blind append that lost the race to create its table. */
    private static final int APPEND_ATTEMPTS = 3;

    /**
     * Appends {@code rows} to the table at {@code path}, creating it if need be. Appends never conflict with each
     * other, but two writers creating the same table do (Delta's ProtocolChangedException, "multiple writers are
     * writing to an empty directory"): the loser appends again to the table the winner created. Columns the rows
     * have and the table does not (a newer platform's) are added to the table.
     */
    public static void append(Dataset<Row> rows, String path) {
        for (int attempt = 1; ; attempt++) {
            try {
                rows.write().format("delta").mode("append").option("mergeSchema", "true").save(path);
                return;
            } catch (RuntimeException e) {
                if (attempt == APPEND_ATTEMPTS || !concurrentModification(e)) {
                    throw e;
                }
            }
        }
    }

    /** Whether Delta refused a commit because another writer committed first. */
    public static boolean concurrentModification(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof DeltaConcurrentModificationException) {
                return true;
            }
        }
        return false;
    }
}
