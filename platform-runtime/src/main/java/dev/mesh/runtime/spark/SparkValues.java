package dev.mesh.runtime.spark;

import java.util.Arrays;
import org.apache.spark.sql.Row;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/** Values of Spark rows as plain Java for printing: arrays and Scala sequences as lists, null as NULL. */
public final class SparkValues {
    private SparkValues() {}

    public static Object[] cells(Row row) {
        Object[] cells = new Object[row.size()];
        for (int i = 0; i < row.size(); i++) {
            Object value = row.get(i);
            cells[i] = value == null ? "NULL" : value instanceof Seq<?> seq ? JavaConverters.seqAsJavaList(seq).toString()
                    : value.getClass().isArray() ? Arrays.toString((Object[]) value) : value;
        }
        return cells;
    }
}
