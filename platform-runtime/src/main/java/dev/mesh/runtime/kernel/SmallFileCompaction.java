package dev.mesh.runtime.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Scan;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.ScanImpl;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.RemoveFile;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.data.GenericRow;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.data.TransactionStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.internal.util.VectorUtils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Merges the small files of a table that Kernel appends to into one, in one commit that removes them and adds it,
 * both with {@code dataChange} false: every version holds the same rows as before. Each append writes a file of its
 * own, so without this a reader of the runs ledger or an ingest ledger would open one file per run ever recorded;
 * with it, a few small files and the merged ones, whose statistics are the merged files' ({@link
 * RowStatistics#merged}) so that a reader of a time range still leaves the older ones out.
 *
 * <p>Compactions of one table are serialized through a Delta application transaction ({@value #APP_ID}, versions
 * counting up): one that committed after this one looked at the table makes this one give up, deleting the file it
 * wrote, for the files it would remove may be gone. Appends racing with it are rebased by Kernel and kept. An
 * append-only table (the audit trail) and a partitioned one are left as written; a file with a deletion vector is
 * not merged. The removed files stay on storage for readers of older versions, as Delta's OPTIMIZE leaves them, until
 * a VACUUM.
 */
final class SmallFileCompaction {
    static final String APP_ID = "mesh-compaction";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Engine engine;
    private final String path;
    private final String engineInfo;

    SmallFileCompaction(Engine engine, String path, String engineInfo) {
        this.engine = engine;
        this.path = path;
        this.engineInfo = engineInfo;
    }

    /**
     * Merges the files under {@code smallBytes} when there are at least {@code atLeast} of them; empty when there
     * were fewer, the table is left as written, or another compaction came first.
     */
    Optional<KernelDeltaTable.Compaction> run(long smallBytes, int atLeast) throws IOException {
        SnapshotImpl snapshot;
        try {
            snapshot = (SnapshotImpl) Table.forPath(engine, path).getLatestSnapshot(engine);
        } catch (TableNotFoundException e) {
            return Optional.empty();
        }
        Map<String, String> properties = snapshot.getMetadata().getConfiguration();
        if (Boolean.parseBoolean(properties.getOrDefault("delta.appendOnly", "false"))
                || !snapshot.getMetadata().getPartitionColNames().isEmpty()) {
            return Optional.empty();
        }
        long txnVersion = snapshot.getLatestTransactionVersion(engine, APP_ID).map(v -> v + 1).orElse(0L);
        Scan scan = snapshot.getScanBuilder(engine).build();
        Row scanState = scan.getScanState(engine);
        List<Row> small = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> batches = ((ScanImpl) scan).getScanFiles(engine, true)) {
            while (batches.hasNext()) {
                try (CloseableIterator<Row> files = batches.next().getRows()) {
                    while (files.hasNext()) {
                        Row scanFile = files.next();
                        Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
                        if (add.getLong(field(add, "size")) < smallBytes && add.isNullAt(field(add, "deletionVector"))) {
                            small.add(scanFile);
                        }
                    }
                }
            }
        }
        if (small.size() < atLeast) {
            return Optional.empty();
        }
        Transaction transaction;
        try {
            transaction = Table.forPath(engine, path).createTransactionBuilder(engine, engineInfo,
                    Operation.MANUAL_UPDATE).withTransactionId(engine, APP_ID, txnVersion).build(engine);
        } catch (io.delta.kernel.exceptions.ConcurrentTransactionException e) {
            return Optional.empty();
        }
        Row state = transaction.getTransactionState(engine);
        StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(engine, scanState);
        DataWriteContext context = Transaction.getWriteContext(engine, state, Map.of());
        List<DataFileStatus> written = new ArrayList<>();
        try (CloseableIterator<DataFileStatus> files = engine.getParquetHandler().writeParquetFiles(
                context.getTargetDirectory(), Transaction.transformLogicalData(engine, state,
                        new LiveRows(scanState, physicalSchema, small), Map.of()), context.getStatisticsColumns())) {
            files.forEachRemaining(written::add);
        }
        if (written.size() == 1) {
            Optional<RowStatistics> merged = statistics(small).flatMap(RowStatistics::merged);
            if (merged.isPresent()) {
                DataFileStatus file = written.get(0);
                written.set(0, new DataFileStatus(file.getPath(), file.getSize(), file.getModificationTime(),
                        Optional.of(merged.get())));
            }
        }
        List<Row> actions = actions(state, small, written);
        try {
            TransactionCommitResult committed = transaction.commit(engine, CloseableIterable.inMemoryIterable(
                    Utils.toCloseableIterator(actions.iterator())));
            long rows = written.stream().mapToLong(file -> file.getStatistics().map(s -> s.getNumRecords())
                    .orElse(0L)).sum();
            return Optional.of(new KernelDeltaTable.Compaction(small.size(), rows, committed.getVersion(),
                    committed.isReadyForCheckpoint()));
        } catch (ConcurrentWriteException e) {
            // another compaction committed since this one looked (its files may be the ones this would remove):
            // nothing was committed, and the merged file is no one's
            for (DataFileStatus file : written) {
                engine.getFileSystemClient().delete(file.getPath());
            }
            return Optional.empty();
        }
    }

    /** A remove of each merged file, an add of each written one; neither changes the table's data. */
    private List<Row> actions(Row state, List<Row> merged, List<DataFileStatus> written) {
        long now = System.currentTimeMillis();
        List<Row> actions = new ArrayList<>();
        StructType schema = RemoveFile.FULL_SCHEMA;
        for (Row scanFile : merged) {
            Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
            Map<Integer, Object> remove = new HashMap<>();
            remove.put(schema.indexOf("path"), add.getString(field(add, "path")));
            remove.put(schema.indexOf("deletionTimestamp"), now);
            remove.put(schema.indexOf("dataChange"), false);
            remove.put(schema.indexOf("extendedFileMetadata"), true);
            remove.put(schema.indexOf("partitionValues"), VectorUtils.stringStringMapValue(Map.of()));
            remove.put(schema.indexOf("size"), add.getLong(field(add, "size")));
            if (!add.isNullAt(InternalScanFileUtils.ADD_FILE_STATS_ORDINAL)) {
                remove.put(schema.indexOf("stats"), add.getString(InternalScanFileUtils.ADD_FILE_STATS_ORDINAL));
            }
            actions.add(SingleAction.createRemoveFileSingleAction(new GenericRow(schema, remove)));
        }
        URI root;
        try {
            root = new URI(TransactionStateRow.getTablePath(state));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the Delta table " + path + " has no usable path: " + e.getMessage(), e);
        }
        for (DataFileStatus file : written) {
            actions.add(SingleAction.createAddFileSingleAction(AddFile.convertDataFileStatus(root, file, Map.of(),
                    false)));
        }
        return actions;
    }

    /** The statistics of each file; empty when one has none. */
    private static Optional<List<JsonNode>> statistics(List<Row> scanFiles) throws IOException {
        List<JsonNode> stats = new ArrayList<>();
        for (Row scanFile : scanFiles) {
            Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
            if (add.isNullAt(InternalScanFileUtils.ADD_FILE_STATS_ORDINAL)) {
                return Optional.empty();
            }
            stats.add(JSON.readTree(add.getString(InternalScanFileUtils.ADD_FILE_STATS_ORDINAL)));
        }
        return Optional.of(stats);
    }

    private static int field(Row struct, String name) {
        return struct.getSchema().indexOf(name);
    }

    /** The live rows of the files, one file after another, as Kernel reads them (logical columns). */
    private final class LiveRows implements CloseableIterator<FilteredColumnarBatch> {
        private final Row scanState;
        private final StructType physicalSchema;
        private final List<Row> files;
        private int next;
        private CloseableIterator<FilteredColumnarBatch> current = Utils.toCloseableIterator(
                java.util.Collections.emptyIterator());

        LiveRows(Row scanState, StructType physicalSchema, List<Row> files) {
            this.scanState = scanState;
            this.physicalSchema = physicalSchema;
            this.files = files;
        }

        @Override
        public boolean hasNext() {
            try {
                while (!current.hasNext() && next < files.size()) {
                    current.close();
                    Row scanFile = files.get(next++);
                    FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
                    CloseableIterator<ColumnarBatch> physical = engine.getParquetHandler().readParquetFiles(
                            Utils.singletonCloseableIterator(file), physicalSchema, Optional.empty());
                    current = Scan.transformPhysicalData(engine, scanState, scanFile, physical);
                }
                return current.hasNext();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read Delta table " + path + ": " + e.getMessage(), e);
            }
        }

        @Override
        public FilteredColumnarBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }

        @Override
        public void close() throws IOException {
            current.close();
        }
    }
}
