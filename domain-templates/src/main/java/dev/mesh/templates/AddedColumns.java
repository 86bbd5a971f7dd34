package dev.mesh.templates;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.spi.SourceFile;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.FileInputSpec.SchemaMismatch;
import dev.mesh.spec.model.ProductId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The columns an input whose schema evolves ({@code onSchemaMismatch: evolve}) adds to the product: every undeclared
 * column of its files, in the order first seen, once whatever its case. A name that cannot be a product's column
 * (letters, digits and underscores, starting with a letter) fails the run naming the file, since a published column
 * of that name would break the consumers' SQL.
 */
final class AddedColumns {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,127}");

    private AddedColumns() {}

    /** The undeclared columns of the files, grouped by their columns, that the input adds; none unless it evolves. */
    static List<String> of(FileInputSpec spec, ProductId product, Map<List<String>, List<SourceFile>> byColumns,
            List<String> declared) {
        if (spec.onSchemaMismatch() != SchemaMismatch.EVOLVE) {
            return List.of();
        }
        List<String> added = new ArrayList<>();
        List<String> seen = new ArrayList<>(declared.stream().map(name -> name.toLowerCase(Locale.ROOT)).toList());
        byColumns.forEach((columns, files) -> {
            for (String name : ColumnMatch.of(columns, declared).undeclared()) {
                if (seen.contains(name.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                if (!NAME.matcher(name).matches()) {
                    throw MeshException.invalidInput("input '%s' of %s: file %s has a column '%s' that cannot be "
                            + "added to the product (a column name is letters, digits and _, starting with a "
                            + "letter); rename it in the file, or set the input's onSchemaMismatch to ignoreExtra "
                            + "or quarantine", spec.name(), product, files.get(0).name(), ColumnMatch.printable(name));
                }
                seen.add(name.toLowerCase(Locale.ROOT));
                added.add(name);
            }
        });
        return List.copyOf(added);
    }
}
