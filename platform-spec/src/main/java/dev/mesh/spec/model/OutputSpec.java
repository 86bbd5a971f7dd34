package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** The output port: how a run's rows are published, and the schema consumers rely on. */
public record OutputSpec(WriteMode mode, List<String> keys, List<String> partitionBy, List<ColumnSpec> schema) {
    public OutputSpec {
        requireNonNull(mode, "mode is null");
        keys = List.copyOf(keys);
        partitionBy = List.copyOf(partitionBy);
        schema = List.copyOf(schema);
    }

    public Optional<ColumnSpec> column(String name) {
        return schema.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public List<String> columnNames() {
        return schema.stream().map(ColumnSpec::name).toList();
    }

    /** How a run's rows reach the published table. */
    public enum WriteMode {
        APPEND, OVERWRITE, MERGE
    }

    /** The problem of a column name not in the output schema, with the nearest declared one or the list. */
    public static String noColumn(String name, List<String> columns) {
        return "no column '" + name + "' in output.schema" + NearestNames.suggestion(name, columns)
                + (NearestNames.nearest(name, columns).isPresent() ? "" : " (columns: " + String.join(", ", columns)
                + ")");
    }
}
