package dev.mesh.templates;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.spi.ProductTemplate;
import dev.mesh.spec.ProductSpec;
import dev.mesh.spec.TemplateParameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;

/**
 * Runs {@link DedupeDescriptor}: one row per key, the one with the greatest {@code orderBy} values (nulls lose). The
 * rule is total, so the result never depends on how the input was split: rows that tie on {@code orderBy} are ordered
 * by every other column in the input's order (greatest first, nulls last; map columns, which Spark cannot order, are
 * skipped), and rows equal in all of those are equal rows, so either is the same result.
 */
public final class DedupeTemplate implements ProductTemplate {
    private static final String RANK = "__mesh_dedupe_rank";

    @Override
    public String name() {
        return DedupeDescriptor.NAME;
    }

    @Override
    public Dataset<Row> transform(SparkSession spark, ProductSpec product, Map<String, Dataset<Row>> inputs) {
        Dataset<Row> input = inputs.values().iterator().next();
        TemplateParameters parameters = product.transform().parameters();
        List<String> keys = resolve(input, parameters.strings("keys"), "keys", product);
        List<String> orderBy = resolve(input, parameters.strings("orderBy"), "orderBy", product);
        Set<String> ranked = new java.util.HashSet<>(keys);
        List<Column> order = new ArrayList<>();
        for (String column : orderBy) {
            order.add(functions.col(quoted(column)).desc_nulls_last());
            ranked.add(column);
        }
        for (StructField field : input.schema().fields()) {
            if (!ranked.contains(field.name()) && !(field.dataType() instanceof MapType)) {
                order.add(functions.col(quoted(field.name())).desc_nulls_last());
            }
        }
        Column[] partition = keys.stream().map(key -> functions.col(quoted(key))).toArray(Column[]::new);
        return input.withColumn(RANK, functions.row_number().over(Window.partitionBy(partition)
                        .orderBy(order.toArray(Column[]::new))))
                .where(functions.col(RANK).equalTo(1))
                .drop(RANK);
    }

    /** The input's own names for the columns a parameter lists (matched ignoring case, as the output is). */
    private static List<String> resolve(Dataset<Row> input, List<String> wanted, String parameter,
            ProductSpec product) {
        Map<String, String> byLowerCase = Arrays.stream(input.columns())
                .collect(Collectors.toMap(c -> c.toLowerCase(Locale.ROOT), c -> c, (a, b) -> a));
        List<String> columns = new ArrayList<>();
        for (String column : wanted) {
            String actual = byLowerCase.get(column.toLowerCase(Locale.ROOT));
            if (actual == null) {
                throw MeshException.invalidInput("%s (%s): transform.%s: the input has no column '%s'; it has: %s",
                        product.id(), product.file(), parameter, column, String.join(", ", input.columns()));
            }
            columns.add(actual);
        }
        return columns;
    }

    private static String quoted(String column) {
        return "`" + column.replace("`", "``") + "`";
    }
}
