package dev.mesh.runtime.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesh.runtime.testing.SharedSpark;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta Kernel reads what Spark wrote and Spark reads what Kernel appended, value for value: microsecond
 * timestamps, nulls, lists and maps; rows deleted through a deletion vector stay deleted; an append never changes a
 * table's schema; a table that is not there reads as empty.
 */
class KernelDeltaTableTest {
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("at", DataTypes.TimestampType, false)
            .add("count", DataTypes.LongType, true)
            .add("score", DataTypes.DoubleType, true)
            .add("flag", DataTypes.BooleanType, true)
            .add("tags", DataTypes.createArrayType(DataTypes.StringType), true)
            .add("stages", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true);
    private static final Instant AT = Instant.parse("2026-11-26T10:15:30.123456Z");

    @TempDir
    Path dir;

    @Test
    void kernelReadsWhatSparkWroteValueForValue() {
        String path = dir.resolve("t").toUri().toString();
        SparkSession spark = SharedSpark.session();
        spark.createDataFrame(List.of(row("a", 7L), row("b", null)), SCHEMA).write().format("delta").save(path);

        List<Map<String, Object>> rows = read(path);

        assertThat(rows).hasSize(2);
        Map<String, Object> a = rows.stream().filter(r -> r.get("id").equals("a")).findFirst().orElseThrow();
        assertThat(a).containsEntry("at", AT).containsEntry("count", 7L).containsEntry("score", 0.25)
                .containsEntry("flag", true).containsEntry("tags", List.of("x", "y"))
                .containsEntry("stages", Map.of("read", 800L, "checks", 1200L));
        Map<String, Object> b = rows.stream().filter(r -> r.get("id").equals("b")).findFirst().orElseThrow();
        assertThat(b.get("count")).isNull();
        assertThat(b).containsKey("count");
    }

    @Test
    void aHeadReadsTheFirstRowsOfAnyColumnTypeAndStopsThere() {
        String path = dir.resolve("typed").toUri().toString();
        SparkSession spark = SharedSpark.session();
        spark.sql("SELECT id, CAST(id * 1.25 AS DECIMAL(10,2)) AS amount, CAST(id AS SMALLINT) AS small, "
                + "CAST(id AS TINYINT) AS tiny, CAST(id AS FLOAT) AS ratio, DATE'2026-12-04' AS day, "
                + "named_struct('city', 'Oslo', 'zip', id) AS address, CAST('ab' AS BINARY) AS raw "
                + "FROM range(0, 100, 1, 4)").write().format("delta").save(path);

        List<Map<String, Object>> head = KernelDeltaTable.at(new org.apache.hadoop.conf.Configuration(), path).head(3);

        assertThat(head).hasSize(3);
        Map<String, Object> first = head.get(0);
        long id = (Long) first.get("id");
        assertThat(first).containsEntry("amount", new java.math.BigDecimal(id * 125).movePointLeft(2)
                .setScale(2)).containsEntry("small", (short) id).containsEntry("tiny", (byte) id)
                .containsEntry("ratio", (float) id).containsEntry("day", java.time.LocalDate.of(2026, 12, 4))
                .containsEntry("address", Map.of("city", "Oslo", "zip", id));
        assertThat((byte[]) first.get("raw")).containsExactly('a', 'b');
        assertThat(KernelDeltaTable.at(new org.apache.hadoop.conf.Configuration(), path).head(1000)).hasSize(100);
        String none = dir.resolve("none").toUri().toString();
        assertThat(KernelDeltaTable.at(new org.apache.hadoop.conf.Configuration(), none).head(5)).isEmpty();
    }

    @Test
    void sparkReadsWhatKernelAppendedAndAppendsAfterIt() {
        String path = dir.resolve("t").toUri().toString();
        KernelDeltaTable table = KernelDeltaTable.at(SharedSpark.session().sparkContext().hadoopConfiguration(), path);
        assertThat(table.exists()).isFalse();

        long created = table.append(SCHEMA, Map.of(), List.of(row("a", 7L), row("b", null)));
        assertThat(created).isZero();
        SharedSpark.session().createDataFrame(List.of(row("c", 3L)), SCHEMA).write().format("delta")
                .mode("append").save(path);
        assertThat(table.append(SCHEMA, Map.of(), List.of(row("d", 4L)))).isEqualTo(2);

        List<Row> rows = SharedSpark.session().read().format("delta").load(path).orderBy("id").collectAsList();
        assertThat(rows).extracting(r -> r.getString(0)).containsExactly("a", "b", "c", "d");
        Row a = rows.get(0);
        assertThat(a.getTimestamp(1).toInstant()).isEqualTo(AT);
        assertThat(a.getLong(2)).isEqualTo(7L);
        assertThat(a.getDouble(3)).isEqualTo(0.25);
        assertThat(a.getBoolean(4)).isTrue();
        assertThat(a.<String>getList(5)).containsExactly("x", "y");
        assertThat(a.<String, Long>getJavaMap(6)).containsEntry("read", 800L).containsEntry("checks", 1200L);
        assertThat(rows.get(1).isNullAt(2)).isTrue();
        assertThat(read(path)).hasSize(4);
    }

    @Test
    void anAppendOnlyTableTakesAppends() {
        String path = "file:" + dir.resolve("t");
        // as provisioning creates the audit trail
        dev.mesh.runtime.spark.DeltaTables.createIfAbsent(SharedSpark.session(), path, SCHEMA,
                Map.of("delta.appendOnly", "true"));
        KernelDeltaTable table = KernelDeltaTable.at(SharedSpark.session().sparkContext().hadoopConfiguration(), path);

        assertThat(table.append(SCHEMA, Map.of("delta.appendOnly", "true"), List.of(row("a", 1L)))).isEqualTo(1);
        assertThat(read(path)).extracting(r -> r.get("id")).containsExactly("a");
        assertThatThrownBy(() -> KernelDeltaTable.at(SharedSpark.session().sparkContext().hadoopConfiguration(),
                dir.resolve("new").toUri().toString()).append(SCHEMA, Map.of("delta.appendOnly", "true"),
                        List.of(row("a", 1L))))
                .as("Kernel creates no table with properties: provisioning does, with Spark")
                .hasMessageContaining("is not there, and only Spark creates a table with properties");
    }

    @Test
    void rowsDeletedThroughADeletionVectorStayDeleted() {
        String path = dir.resolve("t").toUri().toString();
        SparkSession spark = SharedSpark.session();
        spark.createDataFrame(List.of(row("a", 1L), row("b", 2L), row("c", 3L)), SCHEMA).coalesce(1).write()
                .format("delta").option("delta.enableDeletionVectors", "true").save(path);
        spark.sql("DELETE FROM delta.`" + path + "` WHERE id = 'b'");
        assertThat(spark.read().format("delta").load(path).inputFiles()).as("the file is kept, with a vector")
                .hasSize(1);

        assertThat(read(path)).extracting(r -> r.get("id")).containsExactlyInAnyOrder("a", "c");
        assertThatThrownBy(() -> KernelDeltaTable.at(SharedSpark.session().sparkContext().hadoopConfiguration(), path)
                .append(SCHEMA, Map.of(), List.of(row("d", 4L))))
                .as("Kernel 3.3 does not write deletion vectors' protocol: Spark appends there")
                .isInstanceOfSatisfying(KernelDeltaTable.NeedsSpark.class, e -> assertThat(e.reason())
                        .isEqualTo(KernelDeltaTable.NeedsSpark.Reason.UNSUPPORTED_PROTOCOL));
        assertThat(read(path)).hasSize(2);
    }

    @Test
    void anAppendWithAColumnTheTableLacksIsRefusedNotDropped() {
        String path = dir.resolve("t").toUri().toString();
        StructType older = new StructType().add("id", DataTypes.StringType).add("at", DataTypes.TimestampType);
        SharedSpark.session().createDataFrame(List.of(RowFactory.create("old", Timestamp.from(AT))), older).write()
                .format("delta").save(path);
        KernelDeltaTable table = KernelDeltaTable.at(SharedSpark.session().sparkContext().hadoopConfiguration(), path);

        assertThatThrownBy(() -> table.append(SCHEMA, Map.of(), List.of(row("a", 1L))))
                .isInstanceOf(KernelDeltaTable.NeedsSpark.class)
                .hasMessageContaining("has no column count, score, flag, tags, stages");
        assertThat(read(path)).hasSize(1);
    }

    @Test
    void appendsCheckpointTheLogAsSparkDoes() {
        String path = dir.resolve("t").toUri().toString();
        KernelDeltaTable table = KernelDeltaTable.at(SharedSpark.session().sparkContext().hadoopConfiguration(), path);
        for (int i = 0; i < 12; i++) {
            table.append(SCHEMA, Map.of(), List.of(row("r" + i, (long) i)));
        }

        assertThat(dir.resolve("t/_delta_log/00000000000000000010.checkpoint.parquet")).exists();
        assertThat(dir.resolve("t/_delta_log/_last_checkpoint")).exists();
        assertThat(read(path)).hasSize(12);
        assertThat(SharedSpark.session().read().format("delta").load(path).count()).isEqualTo(12);
    }

    @Test
    void aTableIsCreatedOnceEmptyWithItsSchema() {
        String path = dir.resolve("t").toUri().toString();
        KernelDeltaTable table = KernelDeltaTable.at(SharedSpark.session().sparkContext().hadoopConfiguration(), path);

        assertThat(table.create(SCHEMA)).isTrue();
        assertThat(table.create(SCHEMA)).as("already there").isFalse();

        assertThat(table.columns()).contains(List.of(SCHEMA.fieldNames()));
        assertThat(SharedSpark.session().read().format("delta").load(path).count()).isZero();
        assertThat(SharedSpark.session().read().format("delta").load(path).schema().fieldNames())
                .containsExactly(SCHEMA.fieldNames());
    }

    @Test
    void noTableReadsAsEmpty() {
        String path = dir.resolve("nothing").toUri().toString();
        assertThat(read(path)).isEmpty();
        assertThat(KernelDeltaTable.at(SharedSpark.session().sparkContext().hadoopConfiguration(), path).exists())
                .isFalse();
    }

    /**
     * An append records its rows' least and greatest timestamps and whole numbers as Spark's writer does (to the
     * millisecond, in its format): Spark's data skipping then leaves out the older files, whose data files are
     * deleted here so that opening one would fail, and finds the row of a filter on its exact microsecond; and a
     * reader of the newest rows reads the newest file alone.
     */
    @Test
    void appendsRecordStatisticsThatSparkAndAReaderOfTheNewestSkipFilesBy() throws Exception {
        SparkSession spark = SharedSpark.session();
        Path table = dir.resolve("runs");
        String path = table.toUri().toString();
        KernelDeltaTable kernel = KernelDeltaTable.at(spark.sparkContext().hadoopConfiguration(), path);
        for (long day = 0; day < 3; day++) {
            Instant at = AT.plus(java.time.Duration.ofDays(day));
            kernel.append(SCHEMA, Map.of(), List.of(RowFactory.create("d" + day, Timestamp.from(at), day, null, null,
                    null, null), RowFactory.create("e" + day, Timestamp.from(at.minusSeconds(60)), null, null, null,
                    null, null)));
        }
        Instant newest = AT.plus(java.time.Duration.ofDays(2));
        java.util.List<String> files = new ArrayList<>();
        for (String commit : List.of("00000000000000000000.json", "00000000000000000001.json")) {
            for (String line : java.nio.file.Files.readAllLines(table.resolve("_delta_log").resolve(commit))) {
                com.fasterxml.jackson.databind.JsonNode add = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(line).path("add");
                if (!add.isMissingNode()) {
                    assertThat(add.path("stats").asText()).contains("\"minValues\":{\"at\":\"2026-11-2",
                            "\"count\":");
                    files.add(add.path("path").asText());
                }
            }
        }
        for (String file : files) {
            java.nio.file.Files.delete(table.resolve(file));
        }

        List<Row> found = spark.read().format("delta").load(path)
                .where(org.apache.spark.sql.functions.col("at").geq(Timestamp.from(newest))).collectAsList();
        assertThat(found).extracting(r -> r.getString(0)).containsExactly("d2");
        assertThat(spark.read().format("delta").load(path).where("count = 2").count()).isEqualTo(1);
        List<Object> ids = new ArrayList<>();
        kernel.scanNewestFirst("at", max -> max.isPresent() && !max.get().isBefore(newest),
                r -> ids.add(r.get("id")));
        assertThat(ids).containsExactlyInAnyOrder("d2", "e2");
    }

    private static List<Map<String, Object>> read(String path) {
        List<Map<String, Object>> rows = new ArrayList<>();
        KernelDeltaTable.at(SharedSpark.session().sparkContext().hadoopConfiguration(), path).scan(rows::add);
        return rows;
    }

    private static Row row(String id, Long count) {
        return RowFactory.create(id, Timestamp.from(AT), count, count == null ? null : 0.25,
                count == null ? null : true, count == null ? null : Arrays.asList("x", "y"),
                count == null ? null : new java.util.TreeMap<>(Map.of("read", 800L, "checks", 1200L)));
    }
}
