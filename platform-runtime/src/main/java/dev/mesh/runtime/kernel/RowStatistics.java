package dev.mesh.runtime.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.kernel.utils.DataFileStatistics;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    /**
     * The statistics of one file holding exactly the rows of files with these statistics: their rows summed, and
     * for each column every file counts nulls of, the nulls summed and the least and greatest value of the files'
     * (timestamps and whole numbers only; a column one file gives no bound for, not all of its rows null, gets none).
     * Empty when a file does not count its rows.
     */
    static Optional<RowStatistics> merged(List<JsonNode> files) {
        long rows = 0;
        Set<String> columns = null;
        for (JsonNode file : files) {
            if (!file.path("numRecords").isIntegralNumber()) {
                return Optional.empty();
            }
            rows += file.get("numRecords").asLong();
            Set<String> counted = new LinkedHashSet<>();
            file.path("nullCount").fields().forEachRemaining(field -> {
                if (field.getValue().isIntegralNumber()) {
                    counted.add(field.getKey());
                }
            });
            if (columns == null) {
                columns = counted;
            } else {
                columns.retainAll(counted);
            }
        }
        ObjectNode stats = JSON.createObjectNode();
        stats.put("numRecords", rows);
        ObjectNode min = JSON.createObjectNode();
        ObjectNode max = JSON.createObjectNode();
        ObjectNode nulls = JSON.createObjectNode();
        for (String column : columns == null ? Set.<String>of() : columns) {
            long nullValues = 0;
            JsonNode least = null;
            JsonNode greatest = null;
            boolean bounded = true;
            for (JsonNode file : files) {
                long fileNulls = file.get("nullCount").get(column).asLong();
                nullValues += fileNulls;
                JsonNode low = file.path("minValues").path(column);
                JsonNode high = file.path("maxValues").path(column);
                if (low.isMissingNode() && high.isMissingNode() && fileNulls == file.get("numRecords").asLong()) {
                    continue; // every row null: no bound to take
                }
                if (!comparable(low) || !comparable(high) || low.isTextual() != high.isTextual()
                        || least != null && least.isTextual() != low.isTextual()) {
                    bounded = false;
                    continue;
                }
                least = least == null || compare(low, least) < 0 ? low : least;
                greatest = greatest == null || compare(high, greatest) > 0 ? high : greatest;
            }
            nulls.put(column, nullValues);
            if (bounded && least != null) {
                min.set(column, least);
                max.set(column, greatest);
            }
        }
        stats.set("minValues", min);
        stats.set("maxValues", max);
        stats.set("nullCount", nulls);
        return Optional.of(new RowStatistics(rows, stats.toString()));
    }

    /** A bound merged here: a whole number, or a timestamp as Spark writes it. */
    private static boolean comparable(JsonNode bound) {
        if (bound.isIntegralNumber()) {
            return true;
        }
        if (!bound.isTextual() || bound.asText().length() <= 10) {
            return false;
        }
        try {
            KernelDeltaTable.instant(bound.asText());
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    private static int compare(JsonNode a, JsonNode b) {
        if (a.isTextual() != b.isTextual()) {
            throw new IllegalArgumentException("bounds of one column are of different kinds: " + a + ", " + b);
        }
        return a.isTextual() ? KernelDeltaTable.instant(a.asText()).compareTo(KernelDeltaTable.instant(b.asText()))
                : Long.compare(a.asLong(), b.asLong());
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
