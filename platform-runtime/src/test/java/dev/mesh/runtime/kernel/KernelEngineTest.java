package dev.mesh.runtime.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.delta.kernel.internal.util.Utils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform's Kernel engine reads Parquet through the Hadoop configuration it was given (Kernel 3.3's own reader
 * made a new one per file, parsing every default resource again and reaching the file system without the platform's
 * settings), and reads the same rows Kernel would, its predicate pruning row groups by their statistics.
 */
class KernelEngineTest {
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("count", DataTypes.LongType, true);

    private static final io.delta.kernel.types.StructType PHYSICAL = new io.delta.kernel.types.StructType(List.of(
            new StructField("id", StringType.STRING, false), new StructField("count", LongType.LONG, true)));

    /** Opens of Parquet files through this file system, which only the configuration given names. */
    static final AtomicInteger PARQUET_OPENS = new AtomicInteger();

    /** The local file system, counting the Parquet files it opens. */
    public static final class CountingFileSystem extends RawLocalFileSystem {
        @Override
        public FSDataInputStream open(org.apache.hadoop.fs.Path path, int bufferSize) throws IOException {
            if (path.getName().endsWith(".parquet")) {
                PARQUET_OPENS.incrementAndGet();
            }
            return super.open(path, bufferSize);
        }
    }

    @TempDir
    Path dir;

    @Test
    void parquetFilesAreReadThroughTheConfigurationGiven() throws IOException {
        Configuration hadoop = new Configuration();
        hadoop.set("fs.file.impl", CountingFileSystem.class.getName());
        // a file system of this configuration's own, not the one Hadoop's cache holds for every configuration
        hadoop.setBoolean("fs.file.impl.disable.cache", true);
        String path = dir.resolve("p").toUri().toString();
        KernelDeltaTable table = KernelDeltaTable.at(hadoop, path);
        for (int i = 0; i < 3; i++) {
            table.append(SCHEMA, Map.of(), List.of(RowFactory.create("r" + i, (long) i)));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        table.scan(rows::add);
        assertThat(rows).extracting(row -> row.get("id")).containsExactlyInAnyOrder("r0", "r1", "r2");
        PARQUET_OPENS.set(0);

        // with a predicate, a file is opened twice: its footer, for the filter on its schema, then its rows; both
        // through the counting file system (Kernel's own reader opened the rows through a configuration of its own)
        List<String> ids = ids(KernelEngine.create(hadoop), PHYSICAL,
                Optional.of(new Predicate(">=", new Column("count"), Literal.ofLong(0))));

        assertThat(ids).containsExactlyInAnyOrder("r0", "r1", "r2");
        assertThat(PARQUET_OPENS.get()).isEqualTo(2 * 3);
    }

    @Test
    void aPredicateSkipsTheRowGroupsWhoseStatisticsRuleItOutAndKeepsTheRest() throws IOException {
        Configuration hadoop = new Configuration();
        String path = dir.resolve("p").toUri().toString();
        KernelDeltaTable.at(hadoop, path).append(SCHEMA, Map.of(), List.of(RowFactory.create("a", 5L),
                RowFactory.create("b", 9L), RowFactory.create("c", null)));
        Engine engine = KernelEngine.create(hadoop);
        io.delta.kernel.types.StructType physical = PHYSICAL;

        assertThat(ids(engine, physical, Optional.empty())).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(ids(engine, physical, Optional.of(new Predicate(">", new Column("count"), Literal.ofLong(4)))))
                .as("the row group's count runs from 5 to 9: kept whole (no record-level filtering, as Kernel)")
                .containsExactlyInAnyOrder("a", "b", "c");
        assertThat(ids(engine, physical, Optional.of(new Predicate(">", new Column("count"), Literal.ofLong(9)))))
                .as("no count above 9: the row group is skipped")
                .isEmpty();
    }

    private List<String> ids(Engine engine, io.delta.kernel.types.StructType physical, Optional<Predicate> predicate)
            throws IOException {
        List<FileStatus> files = new ArrayList<>();
        try (Stream<Path> walk = Files.list(dir.resolve("p"))) {
            walk.filter(file -> file.toString().endsWith(".parquet")).forEach(file -> files.add(FileStatus.of(
                    file.toUri().toString(), file.toFile().length(), file.toFile().lastModified())));
        }
        List<String> ids = new ArrayList<>();
        try (CloseableIterator<ColumnarBatch> batches = engine.getParquetHandler().readParquetFiles(
                Utils.toCloseableIterator(files.iterator()), physical, predicate)) {
            while (batches.hasNext()) {
                ColumnarBatch batch = batches.next();
                for (int row = 0; row < batch.getSize(); row++) {
                    ids.add(batch.getColumnVector(0).getString(row));
                }
            }
        }
        return ids;
    }
}
