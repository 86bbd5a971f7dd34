package dev.mesh.spec;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Files a source drops in the domain's landing zone: {@code source} names a source the domain owns (its folder
 * under {@code <root>/<domain>/landing/}), {@code path} an optional sub-folder or glob inside it. CSV columns are
 * bound to the schema by their header's names; {@code onSchemaMismatch} says what happens to a file whose columns are
 * not the declared ones; {@code encoding} is the files' character set.
 */
public record FileInputSpec(
        String name,
        String source,
        String path,
        FileFormat format,
        Map<String, String> options,
        List<ColumnSpec> schema,
        String encoding,
        SchemaMismatch onSchemaMismatch)
        implements InputSpec {
    public static final String DEFAULT_ENCODING = "UTF-8";

    public FileInputSpec {
        requireNonNull(name, "name is null");
        requireNonNull(source, "source is null");
        path = path == null ? "" : path;
        requireNonNull(format, "format is null");
        options = Map.copyOf(options);
        schema = List.copyOf(schema);
        encoding = encoding == null ? DEFAULT_ENCODING : encoding;
        onSchemaMismatch = onSchemaMismatch == null ? SchemaMismatch.FAIL : onSchemaMismatch;
    }

    public FileInputSpec(String name, String source, String path, FileFormat format, Map<String, String> options,
            List<ColumnSpec> schema) {
        this(name, source, path, format, options, schema, DEFAULT_ENCODING, SchemaMismatch.FAIL);
    }

    /** Whether CSV files start with a header line (the {@code header} option; true unless set to false). */
    public boolean hasHeader() {
        return !"false".equalsIgnoreCase(options.getOrDefault("header", "true"));
    }

    /** File formats the ingest reader understands. */
    public enum FileFormat {
        CSV, JSON, PARQUET
    }

    /** What happens to a file whose columns are not the declared schema's. */
    public enum SchemaMismatch {
        /** The run fails, naming the file and the columns (the default). */
        FAIL("fail"),
        /** The file's records go to quarantine with the columns in the reason; the run goes on. */
        QUARANTINE("quarantine"),
        /** Undeclared columns are ignored; a missing declared column still fails the run. */
        IGNORE_EXTRA("ignoreExtra"),
        /**
         * Undeclared columns are added to the product as nullable columns (CSV's as strings, Parquet's of their own
         * type), and the run records them; a missing declared column still fails the run.
         */
        EVOLVE("evolve");

        private final String specName;

        SchemaMismatch(String specName) {
            this.specName = specName;
        }

        public String specName() {
            return specName;
        }

        public static Map<String, SchemaMismatch> bySpecName() {
            Map<String, SchemaMismatch> names = new LinkedHashMap<>();
            for (SchemaMismatch value : values()) {
                names.put(value.specName, value);
            }
            return names;
        }
    }
}
