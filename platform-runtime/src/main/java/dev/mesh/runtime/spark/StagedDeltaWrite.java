package dev.mesh.runtime.spark;

import static java.util.Objects.requireNonNull;

import dev.mesh.runtime.kernel.LoggedVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.SnapshotDescriptor;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.FileAction;
import org.apache.spark.sql.delta.actions.Metadata;
import org.apache.spark.sql.delta.actions.Protocol;
import org.apache.spark.sql.delta.actions.RemoveFile;
import org.apache.spark.sql.delta.actions.SetTransaction;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * A write to a Delta table in two steps, so that data can be judged between them: {@link #write} puts the rows' Parquet
 * files into the table's directory in one pass (Delta's own transactional write: its partitioning, constraints and
 * file statistics) without committing them, {@link #staged} reads exactly those files back, and {@link #commit} makes
 * them the table's next version in one commit (replacing every file for an overwrite), or {@link #abandon} deletes
 * them. Files that are never committed are never read: readers see only the log's files. The commit carries a
 * transaction id ({@code appId}, version 0) like a {@code txnAppId} write, so a second commit under the same id is
 * refused before anything is written. A table that does not exist yet is created by that same commit, with its first
 * data, as Delta's own {@code CREATE TABLE AS SELECT} does: no reader ever sees it empty.
 */
public final class StagedDeltaWrite {
    private static final Logger LOG = LoggerFactory.getLogger(StagedDeltaWrite.class);

    private final SparkSession spark;
    private final String path;
    private final DeltaLog log;
    private final OptimisticTransaction transaction;
    private List<AddFile> written = List.of();
    private LoggedVersion logged;

    private StagedDeltaWrite(SparkSession spark, String path) {
        this.spark = requireNonNull(spark, "spark is null");
        this.path = requireNonNull(path, "path is null");
        this.log = DeltaLog.forTable(spark, path);
        this.transaction = log.startTransaction();
    }

    /**
     * A write to the table at {@code path} against its latest version; if there is no table yet, its commit creates
     * one with the columns of {@code schema} (all nullable, as Delta makes a table a DataFrame creates) partitioned by
     * {@code partitionBy}.
     */
    public static StagedDeltaWrite begin(SparkSession spark, String path, StructType schema, List<String> partitionBy) {
        StagedDeltaWrite write = new StagedDeltaWrite(spark, path);
        if (write.transaction.readVersion() < 0) {
            // the session's table property defaults (spark.databricks.delta.properties.defaults.*) are Delta's to add
            write.transaction.updateMetadataForNewTable(Metadata.apply(Metadata.apply$default$1(), null, null,
                    Metadata.apply$default$4(), schema.asNullable().json(),
                    JavaConverters.asScalaBuffer(partitionBy).toList(),
                    scala.collection.immutable.Map$.MODULE$.<String, String>empty(),
                    Option.apply(System.currentTimeMillis())));
        }
        return write;
    }

    /** Whether the commit creates the table. */
    public boolean createsTable() {
        return transaction.readVersion() < 0;
    }

    /**
     * Whether rows of {@code schema} are exactly what the table holds: its columns by name and type, in its order,
     * and its partition columns are {@code partitionBy}.
     */
    public boolean takesExactly(StructType schema, List<String> partitionBy) {
        return JavaConverters.seqAsJavaList(transaction.metadata().partitionColumns()).equals(partitionBy)
                && sameColumns(transaction.metadata().schema(), schema);
    }

    /** Whether {@code rows} has exactly the columns of {@code table}: by name and type, in its order. */
    public static boolean sameColumns(StructType table, StructType rows) {
        if (table.fields().length != rows.fields().length) {
            return false;
        }
        for (int i = 0; i < rows.fields().length; i++) {
            if (!table.fields()[i].name().equals(rows.fields()[i].name())
                    || !table.fields()[i].dataType().equals(rows.fields()[i].dataType())) {
                return false;
            }
        }
        return true;
    }

    /** The version the write started from: the one its commit follows. */
    public long readVersion() {
        return transaction.snapshot().version();
    }

    /**
     * Whether a commit under {@code appId} was already made: then this write must not be. The question is part of the
     * transaction, as Delta's own is: a commit under the same id by another writer in between refuses this one.
     */
    public boolean alreadyCommitted(String appId) {
        Optional<Optional<Long>> answer = fromLog(version -> Optional.of(version.committedUnder(appId)));
        if (answer.isEmpty()) {
            return transaction.txnVersion(appId) >= 0;
        }
        transaction.readTxn().$plus$eq(appId);
        return answer.get().isPresent();
    }

    /**
     * What {@code question} finds in the version this write read, from its log in this process
     * ({@link LoggedVersion}), for a table whose files can be removed with what the log says of them: one without
     * table features (reader version 2 and writer version 6 at most: no deletion vectors, no row tracking). Empty
     * otherwise, or when the log cannot answer it, and then Delta's own state of the version answers (Spark jobs).
     */
    private <T> Optional<T> fromLog(Function<LoggedVersion, Optional<T>> question) {
        if (createsTable() || transaction.protocol().minReaderVersion() > 2
                || transaction.protocol().minWriterVersion() > 6) {
            return Optional.empty();
        }
        try {
            if (logged == null) {
                logged = LoggedVersion.at(log.newDeltaHadoopConf(), path, readVersion());
            }
            return question.apply(logged);
        } catch (RuntimeException e) {
            LOG.debug("the log of {} at version {} is read by Delta: {}", path, readVersion(), e.toString());
            return Optional.empty();
        }
    }

    /**
     * Whether no file of the version this write started from can hold a row where {@code condition} holds, judged by
     * the files' statistics and partition values alone (Delta's data skipping, as a MERGE finds the files it must
     * read; no data file is read; a file without statistics can). The question is part of the transaction, as a
     * MERGE's is: its commit is refused if another writer has committed files since that the answer did not see.
     */
    public boolean holdsNoRowsWhere(Column condition) {
        LogicalPlan analyzed = spark.read().format("delta").load(path).where(condition).queryExecution().analyzed();
        if (!(analyzed instanceof Filter filter)) {
            throw new IllegalStateException("a filter on " + path + " was analyzed into " + analyzed.nodeName());
        }
        return transaction.filterFiles(JavaConverters.asScalaBuffer(List.of(filter.condition())).toSeq(), false)
                .isEmpty();
    }

    /** Writes the rows' files into the table's directory, uncommitted; returns how many files. */
    public int write(Dataset<Row> rows) {
        List<AddFile> files = new ArrayList<>();
        for (FileAction action : JavaConverters.seqAsJavaList(transaction.writeFiles(rows))) {
            if (action instanceof AddFile add) {
                files.add(add);
            }
        }
        written = List.copyOf(files);
        return written.size();
    }

    /** The rows of the written files, with their partition values, as the table would hold them. */
    public Dataset<Row> staged() {
        // a table this write creates has no snapshot yet: its files are read by the metadata the commit will make
        SnapshotDescriptor table = createsTable() ? new NewTable(log, transaction.metadata(), transaction.protocol())
                : transaction.snapshot();
        return log.createDataFrame(table, JavaConverters.asScalaBuffer(written).toSeq(), false, Option.empty());
    }

    /** The table as its creating commit will describe it. */
    private record NewTable(DeltaLog deltaLog, Metadata metadata, Protocol protocol) implements SnapshotDescriptor {
        @Override
        public long version() {
            return -1;
        }

        @Override
        public Option<Object> numOfFilesIfKnown() {
            return Option.empty();
        }

        @Override
        public Option<Object> sizeInBytesIfKnown() {
            return Option.empty();
        }
    }

    /**
     * Commits the written files as the next version, under {@code appId}, with {@code userMetadata} in the commit
     * info; an overwrite removes every file of the version it read. Returns the version committed. Throws Delta's
     * concurrent modification exceptions when another writer committed something this commit conflicts with.
     */
    public long commit(boolean overwrite, List<String> partitionBy, String appId, String userMetadata) {
        List<Action> actions = new ArrayList<>();
        if (overwrite) {
            Optional<List<LoggedVersion.LiveFile>> live = fromLog(LoggedVersion::files);
            if (live.isPresent()) {
                // every file of the version is removed: the whole table was read, as Delta's listing records it
                transaction.readWholeTable();
                live.get().forEach(file -> actions.add(removal(file)));
            } else {
                for (AddFile existing : JavaConverters.seqAsJavaList(transaction.filterFiles())) {
                    actions.add(existing.remove());
                }
            }
        }
        actions.addAll(written);
        actions.add(new SetTransaction(appId, 0L, Option.apply(System.currentTimeMillis())));
        DeltaOperations.Write operation = new DeltaOperations.Write(overwrite ? SaveMode.Overwrite : SaveMode.Append,
                Option.apply(JavaConverters.asScalaBuffer(partitionBy).toSeq()), Option.empty(),
                Option.apply(userMetadata));
        return transaction.commit(JavaConverters.asScalaBuffer(actions).toSeq(), operation);
    }

    /** The removal of a live file, as Delta removes the file its log lists (no deletion vector, no row ids). */
    private static RemoveFile removal(LoggedVersion.LiveFile file) {
        scala.collection.immutable.Map<String, String> partitionValues = scala.collection.immutable.Map$.MODULE$
                .<String, String>empty().$plus$plus(JavaConverters.mapAsScalaMap(file.partitionValues()));
        return new AddFile(file.path(), partitionValues, file.size(), file.modificationTime(), true, null, null, null,
                Option.empty(), Option.empty(), Option.empty()).remove();
    }

    /**
     * Deletes the written files (best effort: what is left is never read, and VACUUM removes it); a write that was to
     * create the table also removes the folders it left empty, the table's own included, so that nothing remains.
     */
    public void abandon() {
        Optional<FileSystem> fs = fileSystem(new Path(path));
        for (AddFile file : written) {
            // the log's paths are URI-encoded and relative to the table (partition values may need escaping)
            Path filePath = file.absolutePath(log);
            fs.ifPresent(system -> {
                try {
                    system.delete(filePath, false);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("could not delete the uncommitted file {}: {}", filePath, e.getMessage());
                }
            });
        }
        written = List.of();
        if (createsTable()) {
            fs.ifPresent(system -> removeEmptyFolders(system, new Path(path)));
        }
    }

    /** Removes {@code folder} and the folders under it that hold no file; true when it is gone. */
    private static boolean removeEmptyFolders(FileSystem fs, Path folder) {
        try {
            if (!fs.exists(folder)) {
                return true;
            }
            boolean empty = true;
            for (FileStatus child : fs.listStatus(folder)) {
                // a log folder, even empty, may be another writer's about to commit the table
                empty &= child.isDirectory() && !child.getPath().getName().equals("_delta_log")
                        && removeEmptyFolders(fs, child.getPath());
            }
            // not recursive: a folder that another writer has just put a file into stays
            return empty && fs.delete(folder, false);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not remove the empty folder {}: {}", folder, e.getMessage());
            return false;
        }
    }

    private Optional<FileSystem> fileSystem(Path root) {
        try {
            return Optional.of(root.getFileSystem(spark.sessionState().newHadoopConf()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not reach {} to delete uncommitted files: {}", root, e.getMessage());
            return Optional.empty();
        }
    }
}
