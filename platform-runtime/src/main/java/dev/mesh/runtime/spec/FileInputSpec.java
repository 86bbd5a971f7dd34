package dev.mesh.runtime.spec;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * Files a source drops in the domain's landing zone: {@code source} names a source the domain owns (its folder
 * under {@code <root>/<domain>/landing/}), {@code path} an optional sub-folder or glob inside it.
 */
public record FileInputSpec(
        String name,
        String source,
        String path,
        FileFormat format,
        Map<String, String> options,
        List<ColumnSpec> schema)
        implements InputSpec {
    public FileInputSpec {
        requireNonNull(name, "name is null");
        requireNonNull(source, "source is null");
        path = path == null ? "" : path;
        requireNonNull(format, "format is null");
        options = Map.copyOf(options);
        schema = List.copyOf(schema);
    }

    /** File formats the ingest reader understands. */
    public enum FileFormat {
        CSV, JSON, PARQUET
    }
}
