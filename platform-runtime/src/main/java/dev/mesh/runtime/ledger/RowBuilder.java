package dev.mesh.runtime.ledger;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Builds a row of a schema by column name: a name the schema lacks, or a non-nullable column left unset, fails at
 * once instead of shifting every value after it. Instants become timestamps.
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
        // lists and maps go as they are: Spark converts java.util collections to its array and map types
        return value;
    }
}
