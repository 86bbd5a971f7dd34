package dev.mesh.runtime.kernel;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.types.DataTypeJsonSerDe;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;

/**
 * A Delta table read and appended through Delta Kernel over Hadoop's file systems, with no SparkSession: for the
 * commands that only look at the platform's small tables, where starting Spark would cost more than the work. Rows
 * come out as column name to plain Java value (strings, longs, doubles, booleans, instants, dates, lists, maps);
 * deletion vectors and column mapping are applied by Kernel. Appends are blind appends of one commit to an
 * unpartitioned table, which Kernel retries when another writer commits first (and this class, when another writer
 * created the table first).
 */
public final class KernelDeltaTable {
    private static final String ENGINE_INFO = "mesh";
    /**
     * Every this many commits an append looks for small files to merge: each append writes a file of its own, and
     * readers open every file (a runs ledger, one per run ever recorded).
     */
    static final int COMPACT_EVERY = 8;
    /** The least number of small files that are merged. */
    static final int COMPACT_AT = 8;
    /** A file under this size is small: a merged file grows until it is not, then the next one starts. */
    static final long SMALL_FILE_BYTES = 1L << 20;
    private static final com.fasterxml.jackson.databind.ObjectMapper LOG_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final Configuration hadoop;
    private final Engine engine;
    private final String path;

    private KernelDeltaTable(Configuration hadoop, String path) {
        this.hadoop = hadoop;
        this.engine = KernelEngine.create(hadoop);
        this.path = path;
    }

    /** The table at this path (which need not exist yet), reached with this Hadoop configuration. */
    public static KernelDeltaTable at(Configuration hadoop, String path) {
        return new KernelDeltaTable(hadoop, path);
    }

    public boolean exists() {
        return snapshot().isPresent();
    }

    /** A table's latest version and its id (which a table recreated at the same path changes). */
    public record Current(long version, String tableId) {}

    /** The latest version and the table's id, from its log alone (no Spark job); empty when there is no table. */
    public Optional<Current> current() {
        return unchecked(() -> snapshot().map(snapshot -> new Current(snapshot.getVersion(engine),
                ((io.delta.kernel.internal.SnapshotImpl) snapshot).getMetadata().getId())));
    }

    /** The table's column names, or empty when there is no table. */
    public Optional<List<String>> columns() {
        return snapshot().map(snapshot -> snapshot.getSchema(engine).fieldNames());
    }

    /**
     * Creates the table, empty, with this schema: one commit of its metadata, no Spark job. False, changing nothing,
     * when a table is there, or another writer created it first.
     */
    public boolean create(org.apache.spark.sql.types.StructType schema) {
        return unchecked(() -> createIfAbsent(schema));
    }

    private boolean createIfAbsent(org.apache.spark.sql.types.StructType schema) {
        probe();
        try {
            // building the transaction reads the log once and refuses a table that is there: no look of our own
            Table.forPath(engine, path).createTransactionBuilder(engine, ENGINE_INFO, Operation.CREATE_TABLE)
                    .withSchema(engine, DataTypeJsonSerDe.deserializeStructType(schema.json()))
                    .build(engine)
                    .commit(engine, CloseableIterable.emptyIterable());
            return true;
        } catch (io.delta.kernel.exceptions.TableAlreadyExistsException
                | io.delta.kernel.exceptions.ConcurrentWriteException e) {
            return false;
        }
    }

    /** Hands every live row of the table's latest version to {@code each}, one file at a time; none if no table. */
    public void scan(Consumer<Map<String, Object>> each) {
        unchecked(() -> {
            scanLatest(each, () -> false);
            return null;
        });
    }

    /**
     * The first {@code limit} live rows of the latest version (in file order), reading no further file once it has
     * them: a preview costs the first file, not the table. None if no table.
     */
    public List<Map<String, Object>> head(int limit) {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        unchecked(() -> {
            scanLatest(row -> {
                if (rows.size() < limit) {
                    rows.add(row);
                }
            }, () -> rows.size() >= limit);
            return null;
        });
        return rows;
    }

    private void scanLatest(Consumer<Map<String, Object>> each, java.util.function.BooleanSupplier enough) {
        Optional<Snapshot> snapshot = snapshot();
        if (snapshot.isEmpty()) {
            return;
        }
        Scan scan = snapshot.get().getScanBuilder(engine).build();
        Row scanState = scan.getScanState(engine);
        StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(engine, scanState);
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
            while (files.hasNext() && !enough.getAsBoolean()) {
                try (CloseableIterator<Row> scanFiles = files.next().getRows()) {
                    while (scanFiles.hasNext() && !enough.getAsBoolean()) {
                        read(scanState, physicalSchema, scanFiles.next(), each, enough);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Delta table " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the files of the latest version newest first, by the greatest value of the timestamp {@code column} each
     * file's statistics give (files without one first: they may hold anything), handing their live rows to
     * {@code each}, for as long as {@code wanted} says a file whose newest value is that one is still wanted (empty:
     * not known); it is not asked again after it said no. A reader of the recent past (an SLA window, each product's
     * latest row) reads the files of that past, not the table's history. None if no table.
     */
    public void scanNewestFirst(String column, Predicate<Optional<java.time.Instant>> wanted,
            Consumer<Map<String, Object>> each) {
        unchecked(() -> {
            Optional<Snapshot> snapshot = snapshot();
            if (snapshot.isEmpty()) {
                return null;
            }
            Scan scan = snapshot.get().getScanBuilder(engine).build();
            Row scanState = scan.getScanState(engine);
            StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(engine, scanState);
            List<Newest> files = new ArrayList<>();
            try (CloseableIterator<FilteredColumnarBatch> batches = ((io.delta.kernel.internal.ScanImpl) scan)
                    .getScanFiles(engine, true)) {
                while (batches.hasNext()) {
                    try (CloseableIterator<Row> scanFiles = batches.next().getRows()) {
                        while (scanFiles.hasNext()) {
                            Row scanFile = scanFiles.next();
                            Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
                            files.add(new Newest(scanFile, add.isNullAt(InternalScanFileUtils.ADD_FILE_STATS_ORDINAL)
                                    ? Optional.empty() : greatest(add.getString(
                                            InternalScanFileUtils.ADD_FILE_STATS_ORDINAL), column)));
                        }
                    }
                }
                // unknown first, then the greatest newest value first
                files.sort(Comparator.comparing((Newest file) -> file.value().orElse(java.time.Instant.MAX))
                        .reversed());
                for (Newest file : files) {
                    if (!wanted.test(file.value())) {
                        break;
                    }
                    read(scanState, physicalSchema, file.scanFile(), each, () -> false);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read Delta table " + path + ": " + e.getMessage(), e);
            }
            return null;
        });
    }

    /** A file to scan, and the greatest value of a column in it (empty: not known). */
    private record Newest(Row scanFile, Optional<java.time.Instant> value) {}

    /**
     * The greatest value of a timestamp column in a file's statistics, widened by the millisecond Spark truncates
     * it by; empty when they have none.
     */
    private static Optional<java.time.Instant> greatest(String stats, String column) throws IOException {
        com.fasterxml.jackson.databind.JsonNode max = LOG_JSON.readTree(stats).path("maxValues").path(column);
        return max.isTextual() ? Optional.of(instant(max.asText()).plusMillis(1)) : Optional.empty();
    }

    /** Hands the live rows of one scan file to {@code each}, until {@code enough}. */
    private void read(Row scanState, StructType physicalSchema, Row scanFile, Consumer<Map<String, Object>> each,
            java.util.function.BooleanSupplier enough) throws IOException {
        FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
        CloseableIterator<ColumnarBatch> physical = engine.getParquetHandler().readParquetFiles(
                Utils.singletonCloseableIterator(file), physicalSchema, Optional.empty());
        try (CloseableIterator<FilteredColumnarBatch> batches = Scan.transformPhysicalData(engine, scanState,
                scanFile, physical)) {
            while (batches.hasNext() && !enough.getAsBoolean()) {
                KernelValues.rows(batches.next(), each);
            }
        }
    }

    /**
     * Appends the rows in one commit, creating the table with this schema when there is none (if it is to have no
     * properties). Values are taken by the schema's column names: strings, numbers, booleans, instants or timestamps,
     * lists and maps. A column of the schema that the table lacks is refused (Kernel does not change a table's schema).
     *
     * @return the version committed
     */
    public long append(org.apache.spark.sql.types.StructType schema, Map<String, String> properties,
            List<org.apache.spark.sql.Row> rows) {
        return unchecked(() -> {
            OptionalLong committed = appendInOneCommit(schema, properties, rows);
            // a creating commit lost to another writer creating the table: appended again, to the table it made
            return committed.isPresent() ? committed.getAsLong()
                    : appendInOneCommit(schema, properties, rows).orElseThrow(() -> new IllegalStateException(
                            "the Delta table " + path + " was created by another writer, and then could not be found"));
        });
    }

    /**
     * The version committed; empty, its files deleted, when the commit was to create the table and another writer
     * created it first (Kernel retries a blind append's commit itself, but not a creation's: Delta's
     * ProtocolChangedException, "multiple writers are writing to an empty directory").
     */
    private OptionalLong appendInOneCommit(org.apache.spark.sql.types.StructType schema,
            Map<String, String> properties, List<org.apache.spark.sql.Row> rows) {
        StructType wanted = DataTypeJsonSerDe.deserializeStructType(schema.json());
        probe();
        Transaction transaction;
        boolean creates = false;
        try {
            // the transaction loads the log once: no separate look for whether the table exists
            transaction = Table.forPath(engine, path).createTransactionBuilder(engine, ENGINE_INFO, Operation.WRITE)
                    .build(engine);
        } catch (TableNotFoundException e) {
            if (!properties.isEmpty()) {
                // Kernel 3.3 sets almost no table property (not even delta.appendOnly)
                throw new NeedsSpark(NeedsSpark.Reason.NEW_TABLE_WITH_PROPERTIES, "the Delta table " + path + " is not "
                        + "there, and only Spark creates a table with properties (" + String.join(", ",
                                properties.keySet()) + ")", List.of());
            }
            try {
                transaction = Table.forPath(engine, path).createTransactionBuilder(engine, ENGINE_INFO,
                        Operation.CREATE_TABLE).withSchema(engine, wanted).build(engine);
            } catch (io.delta.kernel.exceptions.TableAlreadyExistsException created) {
                // another writer created the table between this one's look and its creation: append to that table
                return OptionalLong.empty();
            }
            creates = true;
        } catch (io.delta.kernel.exceptions.KernelEngineException e) {
            throw e;
        } catch (io.delta.kernel.exceptions.KernelException e) {
            // a protocol Kernel 3.3 does not write (deletion vectors, say): Spark does
            throw new NeedsSpark(NeedsSpark.Reason.UNSUPPORTED_PROTOCOL, "Delta Kernel does not append to "
                    + path + ": " + e.getMessage(), List.of());
        }
        StructType tableSchema = transaction.getSchema(engine);
        List<String> missing = wanted.fieldNames().stream().filter(name -> tableSchema.indexOf(name) < 0).toList();
        if (!missing.isEmpty()) {
            throw new NeedsSpark(NeedsSpark.Reason.MISSING_COLUMNS, "the Delta table " + path + " has no column "
                    + String.join(", ", missing), missing);
        }
        if (!transaction.getPartitionColumns(engine).isEmpty()) {
            throw new NeedsSpark(NeedsSpark.Reason.PARTITIONED, "the Delta table " + path + " is partitioned; only "
                    + "unpartitioned tables are appended without Spark", List.of());
        }
        Row state = transaction.getTransactionState(engine);
        try {
            CloseableIterator<FilteredColumnarBatch> logical = Utils.singletonCloseableIterator(
                    new FilteredColumnarBatch(KernelValues.batch(tableSchema, schema, rows), Optional.empty()));
            CloseableIterator<FilteredColumnarBatch> physical = Transaction.transformLogicalData(engine, state,
                    logical, Map.of());
            DataWriteContext context = Transaction.getWriteContext(engine, state, Map.of());
            List<DataFileStatus> written = new ArrayList<>();
            try (CloseableIterator<DataFileStatus> files = engine.getParquetHandler().writeParquetFiles(
                    context.getTargetDirectory(), physical, context.getStatisticsColumns())) {
                files.forEachRemaining(written::add);
            }
            if (written.size() == 1) {
                // one file holds every row: its statistics are the rows' (Kernel 3.3 would record the count alone)
                DataFileStatus file = written.get(0);
                written.set(0, new DataFileStatus(file.getPath(), file.getSize(), file.getModificationTime(),
                        Optional.of(RowStatistics.of(schema, rows))));
            }
            CloseableIterator<Row> actions = Transaction.generateAppendActions(engine, state,
                    Utils.toCloseableIterator(written.iterator()), context);
            TransactionCommitResult committed;
            try {
                committed = transaction.commit(engine, CloseableIterable.inMemoryIterable(actions));
            } catch (io.delta.kernel.exceptions.ConcurrentWriteException e) {
                if (!creates) {
                    throw e;
                }
                for (DataFileStatus file : written) {
                    engine.getFileSystemClient().delete(file.getPath());
                }
                return OptionalLong.empty();
            }
            if (committed.isReadyForCheckpoint()) {
                // Spark checkpoints the tables it appends to every ten commits; without it, readers replay every one
                checkpoint(committed.getVersion());
            }
            if (committed.getVersion() % COMPACT_EVERY == 0) {
                compactQuietly();
            }
            return OptionalLong.of(committed.getVersion());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to Delta table " + path + ": " + e.getMessage(), e);
        }
    }

    /** What a compaction did: how many files it merged, the rows they held, the version it committed. */
    public record Compaction(int filesMerged, long rows, long version, boolean readyForCheckpoint) {}

    /**
     * Merges the table's files under {@code smallBytes} into one when there are at least {@code atLeast} of them, in
     * one commit that changes no row ({@link SmallFileCompaction}); empty when there were fewer, the table is
     * append-only or partitioned, or another compaction came first.
     */
    public Optional<Compaction> compact(long smallBytes, int atLeast) {
        return unchecked(() -> {
            probe();
            try {
                Optional<Compaction> done = new SmallFileCompaction(engine, path, ENGINE_INFO).run(smallBytes, atLeast);
                done.filter(Compaction::readyForCheckpoint).ifPresent(compaction -> checkpoint(compaction.version()));
                return done;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot compact Delta table " + path + ": " + e.getMessage(), e);
            }
        });
    }

    /** After an append, the small files merged when there are enough of them; a failure costs only the log line. */
    private void compactQuietly() {
        try {
            compact(SMALL_FILE_BYTES, COMPACT_AT);
        } catch (RuntimeException | org.apache.hadoop.fs.FSError e) {
            org.slf4j.LoggerFactory.getLogger(KernelDeltaTable.class).warn("could not merge the small files of {}: {}",
                    path, e.getMessage());
        }
    }

    /**
     * What Kernel does not do and a Spark write would: create a table with properties, add the columns the rows have
     * and the table lacks, write into partitions, write to a table whose protocol it does not support (deletion
     * vectors, for one). Nothing was written.
     */
    public static final class NeedsSpark extends IllegalStateException {
        /** Why Kernel did not write. */
        public enum Reason { MISSING_COLUMNS, NEW_TABLE_WITH_PROPERTIES, PARTITIONED, UNSUPPORTED_PROTOCOL }

        private final Reason reason;
        private final List<String> missingColumns;

        NeedsSpark(Reason reason, String message, List<String> missingColumns) {
            super(message);
            this.reason = reason;
            this.missingColumns = List.copyOf(missingColumns);
        }

        public Reason reason() {
            return reason;
        }

        /** The columns the table lacks (none when another reason stopped the append). */
        public List<String> missingColumns() {
            return missingColumns;
        }
    }

    /**
     * Hadoop's local file system reports a full disk as {@link org.apache.hadoop.fs.FSError}, an {@link Error}: here it
     * becomes the I/O failure it is, for the caller to report as one.
     */
    private static <T> T unchecked(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (org.apache.hadoop.fs.FSError e) {
            throw new UncheckedIOException(e.getCause() instanceof IOException io ? io : new IOException(e));
        }
    }

    private void checkpoint(long version) {
        try {
            Table.forPath(engine, path).checkpoint(engine, version);
        } catch (io.delta.kernel.exceptions.CheckpointAlreadyExistsException e) {
            // another writer checkpointed this version
        } catch (IOException | RuntimeException | org.apache.hadoop.fs.FSError e) {
            // the commit stands; the next writer checkpoints
            org.slf4j.LoggerFactory.getLogger(KernelDeltaTable.class).warn("could not checkpoint {} at version {}: {}",
                    path, version, e.getMessage());
        }
    }

    /**
     * What {@code extract} finds in the user metadata of the table's newest commit that has it, reading the log's
     * commit files newest first through Hadoop (Kernel's commit info does not carry user metadata): empty when there
     * is no table, an empty value when no commit still in the log has one (maintenance commits carry none).
     */
    public <T> Optional<Optional<T>> newestCommitWith(Function<String, Optional<T>> extract) {
        Optional<Snapshot> snapshot = snapshot();
        if (snapshot.isEmpty()) {
            return Optional.empty();
        }
        org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(path, "_delta_log");
        try {
            org.apache.hadoop.fs.FileSystem fs = log.getFileSystem(hadoop);
            for (long version = snapshot.get().getVersion(engine); version >= 0; version--) {
                org.apache.hadoop.fs.Path commit = new org.apache.hadoop.fs.Path(log,
                        String.format(java.util.Locale.ROOT, "%020d.json", version));
                Optional<String> metadata;
                try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(fs.open(commit),
                        java.nio.charset.StandardCharsets.UTF_8))) {
                    metadata = userMetadata(in);
                } catch (java.io.FileNotFoundException e) {
                    break; // older commits were cleaned up after a checkpoint
                }
                Optional<T> value = metadata.flatMap(extract);
                if (value.isPresent()) {
                    return Optional.of(value);
                }
            }
            return Optional.of(Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log of Delta table " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The newest value of a timestamp or date column over the table's files, from the statistics its commits wrote
     * (no data file is read); a date counts as the end of its day. Empty when there is no table or no value, or when
     * a file has no statistics (then only a scan would know).
     */
    public Optional<java.time.Instant> newestValue(String column) {
        java.time.Instant[] newest = {null};
        boolean complete = eachFileStatistics(stats -> {
            com.fasterxml.jackson.databind.JsonNode max = stats.path("maxValues").path(column);
            if (max.isTextual()) {
                java.time.Instant value = instant(max.asText());
                newest[0] = newest[0] == null || value.isAfter(newest[0]) ? value : newest[0];
            }
        });
        return complete ? Optional.ofNullable(newest[0]) : Optional.empty();
    }

    /**
     * The table's rows, summed from the statistics of its files (no data file is read); empty when there is no
     * table or a file has no statistics.
     */
    public Optional<Long> rowsFromStatistics() {
        long[] rows = {0};
        boolean[] counted = {true};
        boolean complete = eachFileStatistics(stats -> {
            if (stats.path("numRecords").isNumber()) {
                rows[0] += stats.get("numRecords").asLong();
            } else {
                counted[0] = false;
            }
        });
        return complete && counted[0] ? Optional.of(rows[0]) : Optional.empty();
    }

    /** Hands each active file's statistics to {@code each}; false when there is no table or a file has none. */
    private boolean eachFileStatistics(Consumer<com.fasterxml.jackson.databind.JsonNode> each) {
        Optional<Snapshot> snapshot = snapshot();
        if (snapshot.isEmpty()) {
            return false;
        }
        Scan scan = snapshot.get().getScanBuilder(engine).build();
        try (CloseableIterator<FilteredColumnarBatch> files = ((io.delta.kernel.internal.ScanImpl) scan)
                .getScanFiles(engine, true)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> rows = files.next().getRows()) {
                    while (rows.hasNext()) {
                        Row add = rows.next().getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
                        if (add.isNullAt(InternalScanFileUtils.ADD_FILE_STATS_ORDINAL)) {
                            return false;
                        }
                        each.accept(LOG_JSON.readTree(add.getString(InternalScanFileUtils.ADD_FILE_STATS_ORDINAL)));
                    }
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the statistics of Delta table " + path + ": "
                    + e.getMessage(), e);
        }
    }

    static java.time.Instant instant(String text) {
        if (text.length() == 10) {
            return java.time.LocalDate.parse(text).plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            // a timestamp without time zone
            return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
        }
    }

    private static Optional<String> userMetadata(java.io.BufferedReader commit) throws IOException {
        for (String line = commit.readLine(); line != null; line = commit.readLine()) {
            if (line.startsWith("{\"commitInfo\"")) {
                com.fasterxml.jackson.databind.JsonNode info = LOG_JSON.readTree(line).path("commitInfo");
                return info.hasNonNull("userMetadata") ? Optional.of(info.get("userMetadata").asText())
                        : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * One look at the table's log through Hadoop, which fails after one operation's retries when the store does not
     * answer: Kernel, loading a snapshot, would try its checkpoint pointer three times over, then list.
     */
    private void probe() {
        org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(path, "_delta_log");
        try {
            log.getFileSystem(hadoop).exists(log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach Delta table " + path + ": " + e.getMessage(), e);
        }
    }

    private Optional<Snapshot> snapshot() {
        probe();
        try {
            return Optional.of(Table.forPath(engine, path).getLatestSnapshot(engine));
        } catch (TableNotFoundException e) {
            return Optional.empty();
        }
    }

}
