package dev.mesh.runtime.run;

import dev.mesh.error.MeshException;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.ProductSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** Shapes a template's result into the declared output port: the declared columns, in order, of the declared types. */
final class OutputConformer {
    private OutputConformer() {}

    /**
     * The output's columns, then the {@code carried} columns of the result as they are (a template's, for its
     * publish), then those of the {@code added} columns (of inputs whose schema evolves) that the result kept.
     */
    static Dataset<Row> conform(Dataset<Row> result, ProductSpec product, List<String> carried, List<String> added) {
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
        List<Column> columns = new ArrayList<>();
        product.output().schema().forEach(column ->
                columns.add(cast(result, available.get(column.name().toLowerCase(Locale.ROOT)), column)));
        carried.forEach(column -> columns.add(functions.col("`" + column + "`")));
        Set<String> taken = new HashSet<>();
        product.output().columnNames().forEach(name -> taken.add(name.toLowerCase(Locale.ROOT)));
        carried.forEach(name -> taken.add(name.toLowerCase(Locale.ROOT)));
        for (String name : added) {
            String actual = available.get(name.toLowerCase(Locale.ROOT));
            if (actual != null && taken.add(name.toLowerCase(Locale.ROOT))) {
                columns.add(functions.col("`" + actual + "`").as(name));
            }
        }
        return result.select(columns.toArray(Column[]::new));
    }

    private static Column cast(Dataset<Row> result, String actualName, ColumnSpec column) {
        return functions.col("`" + actualName + "`").cast(column.type()).as(column.name());
    }
}
