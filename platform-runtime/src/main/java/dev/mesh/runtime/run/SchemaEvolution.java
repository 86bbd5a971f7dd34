package dev.mesh.runtime.run;

import dev.mesh.error.MeshException;
import dev.mesh.spec.model.ProductSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What a run's rows add to the product's published schema: the columns the published table does not have (on the
 * first publication, those beyond the declared output and the template's carried columns), each as
 * {@code "name type"}. Only additions pass: a column the product already publishes keeps its type, and a run whose
 * column of that name has another type is refused before anything is written.
 */
final class SchemaEvolution {
    private SchemaEvolution() {}

    static List<String> added(ProductSpec product, StructType rows, Optional<StructType> published,
            List<String> carried) {
        List<String> known = new ArrayList<>();
        published.ifPresentOrElse(
                schema -> Arrays.stream(schema.fields()).forEach(field -> known.add(lower(field.name()))),
                () -> {
                    product.output().columnNames().forEach(name -> known.add(lower(name)));
                    carried.forEach(name -> known.add(lower(name)));
                });
        List<String> added = new ArrayList<>();
        for (StructField field : rows.fields()) {
            if (!known.contains(lower(field.name()))) {
                added.add(field.name() + " " + field.dataType().simpleString());
                continue;
            }
            Optional<StructField> before = published.flatMap(schema -> Arrays.stream(schema.fields())
                    .filter(existing -> existing.name().equalsIgnoreCase(field.name())).findFirst());
            if (before.isPresent() && !before.get().dataType().sameType(field.dataType())
                    && product.output().column(field.name()).isEmpty()) {
                throw MeshException.invalidInput("%s (%s): column '%s' is published as %s, but this run's rows have "
                        + "it as %s; a column added by schema evolution keeps its first type: convert it in the "
                        + "source, or declare it in output.schema with the type to cast it to", product.id(),
                        product.file(), field.name(), before.get().dataType().simpleString(),
                        field.dataType().simpleString());
            }
        }
        return List.copyOf(added);
    }

    /**
     * The rows with the published columns they lack (added by earlier runs) as nulls: a row replaces its key's row
     * whole, so a row without a column publishes none for it.
     */
    static Dataset<Row> padded(Dataset<Row> rows, Optional<StructType> published) {
        if (published.isEmpty()) {
            return rows;
        }
        List<String> present = Arrays.stream(rows.columns()).map(SchemaEvolution::lower).toList();
        List<Column> columns = new ArrayList<>(Arrays.stream(rows.columns())
                .map(name -> functions.col("`" + name + "`")).toList());
        for (StructField field : published.get().fields()) {
            if (!present.contains(lower(field.name()))) {
                columns.add(functions.lit(null).cast(field.dataType()).as(field.name()));
            }
        }
        return columns.size() == present.size() ? rows : rows.select(columns.toArray(Column[]::new));
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
