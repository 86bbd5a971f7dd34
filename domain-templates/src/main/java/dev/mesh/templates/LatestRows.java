package dev.mesh.templates;

import dev.mesh.error.MeshException;
import dev.mesh.spec.model.ProductSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;

/**
 * The latest row per key by a total order, shared by the templates that reduce rows to one per key: the given order
 * first, then every other column in the input's order (greatest first, nulls last; map columns, which Spark cannot
 * order, are skipped). Rows equal in all of those are equal rows, so the result never depends on how the input was
 * split or ordered.
 */
final class LatestRows {
    private static final String RANK = "__mesh_latest_rank";

    private LatestRows() {}

    /** One row per {@code keys}: the first by {@code order} (over the columns {@code ordered}), ties as above. */
    static Dataset<Row> keep(Dataset<Row> input, List<String> keys, List<Column> order, Set<String> ordered) {
        Set<String> ranked = new HashSet<>(keys);
        ranked.addAll(ordered);
        List<Column> total = new ArrayList<>(order);
        for (StructField field : input.schema().fields()) {
            if (!ranked.contains(field.name()) && !(field.dataType() instanceof MapType)) {
                total.add(column(field.name()).desc_nulls_last());
            }
        }
        Column[] partition = keys.stream().map(LatestRows::column).toArray(Column[]::new);
        return input.withColumn(RANK, functions.row_number().over(Window.partitionBy(partition)
                        .orderBy(total.toArray(Column[]::new))))
                .where(functions.col(RANK).equalTo(1))
                .drop(RANK);
    }

    /**
     * The input's own names for the columns a spec field lists (matched ignoring case, as the output is); {@code
     * field} is its path, e.g. {@code transform.orderBy}.
     */
    static List<String> resolve(Dataset<Row> input, List<String> wanted, String field, ProductSpec product) {
        Map<String, String> byLowerCase = Arrays.stream(input.columns())
                .collect(Collectors.toMap(c -> c.toLowerCase(Locale.ROOT), c -> c, (a, b) -> a));
        List<String> columns = new ArrayList<>();
        for (String column : wanted) {
            String actual = byLowerCase.get(column.toLowerCase(Locale.ROOT));
            if (actual == null) {
                throw MeshException.invalidInput("%s (%s): %s: the input has no column '%s'; it has: %s",
                        product.id(), product.file(), field, column, String.join(", ", input.columns()));
            }
            columns.add(actual);
        }
        return columns;
    }

    static Column column(String name) {
        return functions.col(quoted(name));
    }

    /** A column name as a SQL identifier, for expressions written as text (MERGE conditions and assignments). */
    static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
