package dev.mesh.runtime.kernel;

import static java.util.Objects.requireNonNull;

import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.defaults.engine.DefaultParquetHandler;
import io.delta.kernel.defaults.internal.parquet.ParquetFileReader.BatchReadSupport;
import io.delta.kernel.defaults.internal.parquet.ParquetFilterUtils;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.ExpressionHandler;
import io.delta.kernel.engine.FileSystemClient;
import io.delta.kernel.engine.JsonHandler;
import io.delta.kernel.engine.ParquetHandler;
import io.delta.kernel.exceptions.KernelEngineException;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Delta Kernel's default engine, but reading Parquet files with the Hadoop configuration it was given. Kernel 3.3's
 * own reader builds each file's reader from a path, and parquet-mr then makes a new Hadoop configuration per file,
 * parsing every default resource again (core, hdfs, mapred and yarn XML: about 7 ms a file here, a third of the Java
 * CPU of recording runs in a platform table), and reaching the file system with settings that are not the
 * platform's. Here each file is opened as a {@link HadoopInputFile} of this configuration; the rest (the record
 * assembly into column batches, the row-group pruning by the predicate, the writers) is Kernel's.
 */
final class KernelEngine implements Engine {
    private static final int BATCH_SIZE = 1024;

    private final Engine defaults;
    private final ParquetHandler parquet;

    private KernelEngine(Configuration hadoop) {
        this.defaults = DefaultEngine.create(hadoop);
        this.parquet = new Parquet(requireNonNull(hadoop, "hadoop is null"));
    }

    static Engine create(Configuration hadoop) {
        return new KernelEngine(hadoop);
    }

    @Override
    public ExpressionHandler getExpressionHandler() {
        return defaults.getExpressionHandler();
    }

    @Override
    public JsonHandler getJsonHandler() {
        return defaults.getJsonHandler();
    }

    @Override
    public FileSystemClient getFileSystemClient() {
        return defaults.getFileSystemClient();
    }

    @Override
    public ParquetHandler getParquetHandler() {
        return parquet;
    }

    /** Kernel's Parquet handler, each file read with the engine's configuration. */
    private static final class Parquet implements ParquetHandler {
        private final Configuration hadoop;
        private final int batchSize;
        private final DefaultParquetHandler writes;

        Parquet(Configuration hadoop) {
            this.hadoop = hadoop;
            this.batchSize = hadoop.getInt("delta.kernel.default.parquet.reader.batch-size", BATCH_SIZE);
            this.writes = new DefaultParquetHandler(hadoop);
        }

        @Override
        public CloseableIterator<ColumnarBatch> readParquetFiles(CloseableIterator<FileStatus> files,
                StructType physicalSchema, Optional<Predicate> predicate) {
            return new CloseableIterator<>() {
                private CloseableIterator<ColumnarBatch> current;

                @Override
                public boolean hasNext() {
                    while (current == null || !current.hasNext()) {
                        closeCurrent();
                        if (!files.hasNext()) {
                            return false;
                        }
                        current = new FileBatches(hadoop, files.next().getPath(), physicalSchema, predicate,
                                batchSize);
                    }
                    return true;
                }

                @Override
                public ColumnarBatch next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return current.next();
                }

                @Override
                public void close() throws IOException {
                    try {
                        closeCurrent();
                    } finally {
                        files.close();
                    }
                }

                private void closeCurrent() {
                    if (current != null) {
                        try {
                            current.close();
                        } catch (IOException e) {
                            throw new KernelEngineException("Error closing Parquet file", e);
                        }
                        current = null;
                    }
                }
            };
        }

        @Override
        public CloseableIterator<DataFileStatus> writeParquetFiles(String directoryPath,
                CloseableIterator<FilteredColumnarBatch> dataIter, List<Column> statsColumns) throws IOException {
            return writes.writeParquetFiles(directoryPath, dataIter, statsColumns);
        }

        @Override
        public void writeParquetFileAtomically(String filePath, CloseableIterator<FilteredColumnarBatch> data)
                throws IOException {
            writes.writeParquetFileAtomically(filePath, data);
        }
    }

    /** One file's rows as column batches, as Kernel's reader gives them (its read support assembles them). */
    private static final class FileBatches implements CloseableIterator<ColumnarBatch> {
        private final Configuration hadoop;
        private final String path;
        private final Optional<Predicate> predicate;
        private final int batchSize;
        private final boolean rowIndex;
        private final BatchReadSupport support;
        private ParquetReader<Object> reader;
        private boolean pending;

        FileBatches(Configuration hadoop, String path, StructType schema, Optional<Predicate> predicate,
                int batchSize) {
            this.hadoop = hadoop;
            this.path = path;
            this.predicate = predicate;
            this.batchSize = batchSize;
            int index = schema.indexOf(StructField.METADATA_ROW_INDEX_COLUMN_NAME);
            this.rowIndex = index >= 0 && schema.get(StructField.METADATA_ROW_INDEX_COLUMN_NAME).isMetadataColumn();
            this.support = new BatchReadSupport(batchSize, schema);
        }

        @Override
        public boolean hasNext() {
            open();
            try {
                if (!pending) {
                    pending = reader.read() != null;
                }
                return pending;
            } catch (IOException e) {
                throw new KernelEngineException("Error reading Parquet file: " + path, e);
            }
        }

        @Override
        public ColumnarBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int rows = 0;
            do {
                pending = false;
                support.finalizeCurrentRow(rowIndex ? reader.getCurrentRowIndex() : -1);
                rows++;
            } while (rows < batchSize && hasNext());
            return support.getDataAsColumnarBatch(rows);
        }

        private void open() {
            if (reader != null) {
                return;
            }
            try {
                HadoopInputFile file = HadoopInputFile.fromPath(new Path(path), hadoop);
                Optional<FilterPredicate> filter = Optional.empty();
                if (predicate.isPresent()) {
                    // the predicate is turned into a filter on the file's own schema, read from its footer
                    MessageType schema;
                    try (org.apache.parquet.hadoop.ParquetFileReader footer =
                            org.apache.parquet.hadoop.ParquetFileReader.open(file)) {
                        schema = footer.getFooter().getFileMetaData().getSchema();
                    }
                    filter = ParquetFilterUtils.toParquetFilter(schema, predicate.get());
                }
                reader = new ParquetReader.Builder<Object>(file) {
                    @Override
                    protected ReadSupport<Object> getReadSupport() {
                        return support;
                    }
                }.withFilter(filter.map(FilterCompat::get).orElse(FilterCompat.NOOP))
                        // as Kernel: row groups pruned by their statistics, no record-level filtering
                        .useRecordFilter(false)
                        .useStatsFilter(true)
                        .useBloomFilter(false)
                        .useDictionaryFilter(false)
                        .useColumnIndexFilter(false)
                        .build();
            } catch (IOException e) {
                throw new KernelEngineException("Error reading Parquet file: " + path, e);
            }
        }

        @Override
        public void close() throws IOException {
            if (reader != null) {
                reader.close();
            }
        }
    }
}
