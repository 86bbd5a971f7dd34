package dev.mesh.runtime.kernel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.kernel.utils.DataFileStatistics;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The statistics of one data file that a Kernel append writes, as Spark's Delta writes them into the add action:
 * the row count, and the least and greatest value of each top-level timestamp and whole-number column
 * ({@code minValues}, {@code maxValues}; timestamps to the millisecond, as Spark's are, in its format). Delta Kernel
 * 3.3 records the row count alone; with these, readers skip the files of a time range they do not want, Spark's data
 * skipping and {@link KernelDeltaTable#scanNewestFirst} alike. The columns' null counts too ({@code nullCount}):
 * Spark uses a least or greatest value only beside its column's null count.
 */
final class RowStatistics extends DataFileStatistics {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter SPARK_TIMESTAMP = DateTimeFormatter.ofPattern(
            "yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    private final String json;

    private RowStatistics(long rows, String json) {
        super(rows, Map.of(), Map.of(), Map.of());
        this.json = json;
    }

    /** The statistics of a file holding exactly {@code rows}, whose columns are {@code schema}'s. */
    static RowStatistics of(StructType schema, List<Row> rows) {
        ObjectNode stats = JSON.createObjectNode();
        stats.put("numRecords", rows.size());
        ObjectNode min = JSON.createObjectNode();
        ObjectNode max = JSON.createObjectNode();
        ObjectNode nulls = JSON.createObjectNode();
        for (StructField field : schema.fields()) {
            DataType type = field.dataType();
            boolean time = type.equals(DataTypes.TimestampType);
            if (!time && !type.equals(DataTypes.LongType) && !type.equals(DataTypes.IntegerType)) {
                continue;
            }
            int index = schema.fieldIndex(field.name());
            Long least = null;
            Long greatest = null;
            long nullValues = 0;
            for (Row row : rows) {
                if (row.isNullAt(index)) {
                    nullValues++;
                    continue;
                }
                Object value = row.get(index);
                long key = time ? millis(value) : ((Number) value).longValue();
                least = least == null || key < least ? key : least;
                greatest = greatest == null || key > greatest ? key : greatest;
            }
            nulls.put(field.name(), nullValues);
            if (least == null) {
                continue;
            }
            if (time) {
                min.put(field.name(), SPARK_TIMESTAMP.format(Instant.ofEpochMilli(least)));
                max.put(field.name(), SPARK_TIMESTAMP.format(Instant.ofEpochMilli(greatest)));
            } else {
                min.put(field.name(), least);
                max.put(field.name(), greatest);
            }
        }
        stats.set("minValues", min);
        stats.set("maxValues", max);
        stats.set("nullCount", nulls);
        return new RowStatistics(rows.size(), stats.toString());
    }

    /** The instant to the millisecond below it, as Spark truncates a timestamp's statistics. */
    private static long millis(Object value) {
        Instant instant = value instanceof Timestamp timestamp ? timestamp.toInstant() : (Instant) value;
        return instant.truncatedTo(ChronoUnit.MILLIS).toEpochMilli();
    }

    @Override
    public String serializeAsJson() {
        return json;
    }
}
