package dev.mesh.runtime.run;

import dev.mesh.error.MeshException;
import dev.mesh.spec.ColumnSpec;
import dev.mesh.spec.ProductSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** Shapes a template's result into the declared output port: the declared columns, in order, of the declared types. */
final class OutputConformer {
    private OutputConformer() {}

    static Dataset<Row> conform(Dataset<Row> result, ProductSpec product) {
        Map<String, String> available = Arrays.stream(result.columns())
                .collect(Collectors.toMap(c -> c.toLowerCase(Locale.ROOT), Function.identity(), (a, b) -> a));
        List<String> missing = product.output().columnNames().stream()
                .filter(name -> !available.containsKey(name.toLowerCase(Locale.ROOT)))
                .toList();
        if (!missing.isEmpty()) {
            throw MeshException.invalidInput("%s (%s): the %s template's result has no column %s declared in "
                            + "output.schema; it has: %s", product.id(), product.file(),
                    product.transform().template(), String.join(", ", missing),
                    String.join(", ", result.columns()));
        }
        Column[] columns = product.output().schema().stream()
                .map(column -> cast(result, available.get(column.name().toLowerCase(Locale.ROOT)), column))
                .toArray(Column[]::new);
        return result.select(columns);
    }

    private static Column cast(Dataset<Row> result, String actualName, ColumnSpec column) {
        return functions.col("`" + actualName + "`").cast(column.type()).as(column.name());
    }
}
