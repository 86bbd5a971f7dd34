package dev.mesh.runtime.kernel;

import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * What a writer that read one version of a Delta table must know of it to commit after it, read from the table's log
 * in this process (its checkpoint and the commits after it): the version's live files, which an overwrite removes, and
 * the version committed under an idempotent writer's id. Delta's own writer answers both with a Spark job that
 * rebuilds the version's whole state (for a table of a few files, most of a small product's write). Only a version
 * whose files have no deletion vectors is answered (its files are removed whole); for any other, {@link #read} is
 * empty.
 *
 * <p>A transaction id that Delta would no longer see because it is older than the table's retention of them, but that
 * no checkpoint has dropped yet, is seen here: a writer then finds the commit made, where Delta would make it again.
 */
public final class LoggedVersion {
    /** A live file of the version, its path as the log spells it (relative to the table, URI-encoded). */
    public record LiveFile(String path, Map<String, String> partitionValues, long size, long modificationTime) {}

    private final List<LiveFile> files;
    private final Optional<Long> committedUnder;

    private LoggedVersion(List<LiveFile> files, Optional<Long> committedUnder) {
        this.files = List.copyOf(files);
        this.committedUnder = committedUnder;
    }

    /**
     * Version {@code version} of the table at {@code path}, with the version committed under {@code appId}; empty
     * when a file of it has a deletion vector.
     */
    public static Optional<LoggedVersion> read(Configuration hadoop, String path, long version, String appId) {
        Engine engine = KernelEngine.create(hadoop);
        try {
            Snapshot snapshot = Table.forPath(engine, path).getSnapshotAsOfVersion(engine, version);
            List<LiveFile> files = new ArrayList<>();
            try (CloseableIterator<FilteredColumnarBatch> batches = snapshot.getScanBuilder(engine).build()
                    .getScanFiles(engine)) {
                while (batches.hasNext()) {
                    try (CloseableIterator<Row> rows = batches.next().getRows()) {
                        while (rows.hasNext()) {
                            Row scanFile = rows.next();
                            if (InternalScanFileUtils.getDeletionVectorDescriptorFromRow(scanFile) != null) {
                                return Optional.empty();
                            }
                            Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
                            files.add(new LiveFile(add.getString(add.getSchema().indexOf("path")),
                                    // a null partition value is a value of its own
                                    Collections.unmodifiableMap(new HashMap<>(
                                            InternalScanFileUtils.getPartitionValues(scanFile))),
                                    add.getLong(add.getSchema().indexOf("size")),
                                    add.getLong(add.getSchema().indexOf("modificationTime"))));
                        }
                    }
                }
            }
            return Optional.of(new LoggedVersion(files,
                    ((SnapshotImpl) snapshot).getLatestTransactionVersion(engine, appId)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log of Delta table " + path + ": " + e.getMessage(), e);
        }
    }

    /** The version's live files. */
    public List<LiveFile> files() {
        return files;
    }

    /** The version committed under the writer's id, if one was. */
    public Optional<Long> committedUnder() {
        return committedUnder;
    }
}
