package dev.mesh.runtime.spi;

import dev.mesh.error.Secrets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Builds a row of a schema by column name: a name the schema lacks, or a non-nullable column left unset, fails at
 * once instead of shifting every value after it. Instants become timestamps; every text (in lists and maps too) is
 * scrubbed of the secrets the process holds, whatever record it came from.
 */
public final class RowBuilder {
    private final StructType schema;
    private final Object[] values;
    private final boolean[] set;

    private RowBuilder(StructType schema) {
        this.schema = schema;
        this.values = new Object[schema.size()];
        this.set = new boolean[schema.size()];
    }

    public static RowBuilder of(StructType schema) {
        return new RowBuilder(schema);
    }

    public RowBuilder set(String column, Object value) {
        int index = schema.fieldIndex(column);
        values[index] = convert(value);
        set[index] = true;
        return this;
    }

    public Row build() {
        StructField[] fields = schema.fields();
        for (int i = 0; i < fields.length; i++) {
            if (!fields[i].nullable() && values[i] == null) {
                throw new IllegalStateException("column " + fields[i].name() + " of a platform table row is "
                        + (set[i] ? "null" : "unset") + " but not nullable");
            }
        }
        return RowFactory.create(values.clone());
    }

    private static Object convert(Object value) {
        if (value instanceof Instant instant) {
            return Timestamp.from(instant);
        }
        if (value instanceof String text) {
            return Secrets.redact(text);
        }
        // lists and maps go as java.util collections: Spark converts them to its array and map types
        if (value instanceof List<?> list) {
            return list.stream().map(RowBuilder::convert).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> converted = new LinkedHashMap<>();
            map.forEach((key, entry) -> converted.put(convert(key), convert(entry)));
            return converted;
        }
        return value;
    }
}
