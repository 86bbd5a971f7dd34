package dev.mesh.runtime.kernel;

import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.internal.data.DefaultColumnarBatch;
import io.delta.kernel.defaults.internal.data.vector.DefaultGenericVector;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Values between the JVM and Delta Kernel's columnar batches: Spark rows into a batch of a table's columns (timestamps
 * in microseconds, lists and maps as Kernel values), and a scanned batch back into rows of Java values.
 */
final class KernelValues {
    private KernelValues() {}

    /** The table's columns, each a vector of the rows' values for it (null where the rows' schema lacks it). */
    static ColumnarBatch batch(StructType tableSchema, org.apache.spark.sql.types.StructType rowSchema,
            List<org.apache.spark.sql.Row> rows) {
        ColumnVector[] vectors = new ColumnVector[tableSchema.length()];
        for (int column = 0; column < vectors.length; column++) {
            StructField field = tableSchema.at(column);
            int index = List.of(rowSchema.fieldNames()).indexOf(field.getName());
            List<Object> values = new ArrayList<>(rows.size());
            for (org.apache.spark.sql.Row row : rows) {
                values.add(index < 0 || row.isNullAt(index) ? null : toKernel(field.getDataType(), row.get(index)));
            }
            vectors[column] = DefaultGenericVector.fromList(field.getDataType(), values);
        }
        return new DefaultColumnarBatch(rows.size(), tableSchema, vectors);
    }

    /** A Java value as Kernel's vectors hold it: timestamps in microseconds, lists and maps as Kernel values. */
    private static Object toKernel(DataType type, Object value) {
        if (value == null) {
            return null;
        }
        if (type instanceof TimestampType || type instanceof TimestampNTZType) {
            Instant instant = value instanceof Timestamp timestamp ? timestamp.toInstant() : (Instant) value;
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
        }
        if (type instanceof DateType) {
            LocalDate date = value instanceof java.sql.Date sqlDate ? sqlDate.toLocalDate() : (LocalDate) value;
            return (int) date.toEpochDay();
        }
        if (type instanceof ArrayType array) {
            List<Object> elements = new ArrayList<>();
            ((List<?>) value).forEach(element -> elements.add(toKernel(array.getElementType(), element)));
            ColumnVector vector = DefaultGenericVector.fromList(array.getElementType(), elements);
            return new ArrayValue() {
                @Override
                public int getSize() {
                    return elements.size();
                }

                @Override
                public ColumnVector getElements() {
                    return vector;
                }
            };
        }
        if (type instanceof MapType map) {
            List<Object> keys = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            ((Map<?, ?>) value).forEach((key, entry) -> {
                keys.add(toKernel(map.getKeyType(), key));
                values.add(toKernel(map.getValueType(), entry));
            });
            ColumnVector keyVector = DefaultGenericVector.fromList(map.getKeyType(), keys);
            ColumnVector valueVector = DefaultGenericVector.fromList(map.getValueType(), values);
            return new MapValue() {
                @Override
                public int getSize() {
                    return keys.size();
                }

                @Override
                public ColumnVector getKeys() {
                    return keyVector;
                }

                @Override
                public ColumnVector getValues() {
                    return valueVector;
                }
            };
        }
        return value;
    }

    /** The batch's live rows (those its selection vector keeps: deletion vectors), as column name to value. */
    static void rows(FilteredColumnarBatch filtered, Consumer<Map<String, Object>> each) {
        ColumnarBatch batch = filtered.getData();
        StructType schema = batch.getSchema();
        Optional<ColumnVector> selection = filtered.getSelectionVector();
        for (int row = 0; row < batch.getSize(); row++) {
            if (selection.isPresent() && (selection.get().isNullAt(row) || !selection.get().getBoolean(row))) {
                continue;
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (int column = 0; column < schema.length(); column++) {
                values.put(schema.at(column).getName(),
                        value(schema.at(column).getDataType(), batch.getColumnVector(column), row));
            }
            each.accept(values);
        }
    }

    private static Object value(DataType type, ColumnVector vector, int i) {
        if (vector.isNullAt(i)) {
            return null;
        } else if (type instanceof StringType) {
            return vector.getString(i);
        } else if (type instanceof LongType) {
            return vector.getLong(i);
        } else if (type instanceof IntegerType) {
            return vector.getInt(i);
        } else if (type instanceof DoubleType) {
            return vector.getDouble(i);
        } else if (type instanceof BooleanType) {
            return vector.getBoolean(i);
        } else if (type instanceof TimestampType || type instanceof TimestampNTZType) {
            return instant(vector.getLong(i));
        } else if (type instanceof DateType) {
            return LocalDate.ofEpochDay(vector.getInt(i));
        } else if (type instanceof io.delta.kernel.types.DecimalType) {
            return vector.getDecimal(i);
        } else if (type instanceof io.delta.kernel.types.ShortType) {
            return vector.getShort(i);
        } else if (type instanceof io.delta.kernel.types.ByteType) {
            return vector.getByte(i);
        } else if (type instanceof io.delta.kernel.types.FloatType) {
            return vector.getFloat(i);
        } else if (type instanceof io.delta.kernel.types.BinaryType) {
            return vector.getBinary(i);
        } else if (type instanceof io.delta.kernel.types.StructType struct) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int field = 0; field < struct.length(); field++) {
                fields.put(struct.at(field).getName(), value(struct.at(field).getDataType(), vector.getChild(field),
                        i));
            }
            return fields;
        } else if (type instanceof ArrayType array) {
            ArrayValue value = vector.getArray(i);
            return values(array.getElementType(), value.getElements(), value.getSize());
        } else if (type instanceof MapType map) {
            MapValue value = vector.getMap(i);
            List<Object> keys = values(map.getKeyType(), value.getKeys(), value.getSize());
            List<Object> values = values(map.getValueType(), value.getValues(), value.getSize());
            Map<Object, Object> entries = new LinkedHashMap<>();
            for (int entry = 0; entry < keys.size(); entry++) {
                entries.put(keys.get(entry), values.get(entry));
            }
            return entries;
        }
        throw new IllegalStateException("no plain Java value for a Delta column of type " + type);
    }

    private static List<Object> values(DataType type, ColumnVector vector, int size) {
        List<Object> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(value(type, vector, i));
        }
        return values;
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }
}
