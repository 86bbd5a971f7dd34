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
 * in this process (its checkpoint and the commits after it): the version committed under an idempotent writer's id,
 * and the version's live files, which an overwrite removes. Delta's own writer answers both with Spark jobs that
 * rebuild the version's whole state (for a table of a few files, most of a small product's write).
 *
 * <p>A transaction id that Delta would no longer see because it is older than the table's retention of them, but that
 * no checkpoint has dropped yet, is seen here: a writer then finds the commit made, where Delta would make it again.
 */
public final class LoggedVersion {
    /** A live file of the version, its path as the log spells it (relative to the table, URI-encoded). */
    public record LiveFile(String path, Map<String, String> partitionValues, long size, long modificationTime) {}

    private final Engine engine;
    private final String path;
    private final Snapshot snapshot;

    private LoggedVersion(Engine engine, String path, Snapshot snapshot) {
        this.engine = engine;
        this.path = path;
        this.snapshot = snapshot;
    }

    /** Version {@code version} of the table at {@code path}, as its log has it. */
    public static LoggedVersion at(Configuration hadoop, String path, long version) {
        Engine engine = KernelEngine.create(hadoop);
        return new LoggedVersion(engine, path, Table.forPath(engine, path).getSnapshotAsOfVersion(engine, version));
    }

    /** The version committed under {@code appId}, if one was. */
    public Optional<Long> committedUnder(String appId) {
        return ((SnapshotImpl) snapshot).getLatestTransactionVersion(engine, appId);
    }

    /**
     * The version's live files; empty when one of them has a deletion vector (the log alone does not say what its
     * removal must carry).
     */
    public Optional<List<LiveFile>> files() {
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
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log of Delta table " + path + ": " + e.getMessage(), e);
        }
        return Optional.of(List.copyOf(files));
    }
}
