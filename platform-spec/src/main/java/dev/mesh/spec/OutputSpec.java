package dev.mesh.spec;

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
}
