package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Files a source drops in the domain's landing zone: {@code source} names a source the domain owns (its folder
 * under {@code <root>/<domain>/landing/}), {@code path} an optional sub-folder or glob inside it. CSV columns are
 * bound to the schema by their header's names; {@code onSchemaMismatch} says what happens to a file whose columns are
 * not the declared ones; {@code encoding} is the files' character set. {@code ignore} lists the patterns of landing
 * files that are not data (markers, checksums, uploads in progress, staging folders): each file the listing finds is
 * read or listed as ignored with the pattern that ignored it. {@code onChangedFile} says what happens when a file
 * already published is found again, under its name, with other content.
 */
public record FileInputSpec(
        String name,
        String source,
        String path,
        FileFormat format,
        Map<String, String> options,
        List<ColumnSpec> schema,
        String encoding,
        SchemaMismatch onSchemaMismatch,
        List<String> ignore,
        ChangedFile onChangedFile)
        implements InputSpec {
    public static final String DEFAULT_ENCODING = "UTF-8";
    /**
     * Names starting with '_' or '.' (Hadoop's markers such as {@code _SUCCESS}, uploads in progress such as {@code
     * .x.csv.tmp}, staging folders such as {@code _tmp/} and {@code .partial/}), checksums and {@code hadoop fs -put}'s
     * copies in progress.
     */
    public static final List<String> DEFAULT_IGNORE = List.of("_*", ".*", "*.crc", "*._COPYING_");

    public FileInputSpec {
        requireNonNull(name, "name is null");
        requireNonNull(source, "source is null");
        path = path == null ? "" : path;
        requireNonNull(format, "format is null");
        options = Map.copyOf(options);
        schema = List.copyOf(schema);
        encoding = encoding == null ? DEFAULT_ENCODING : encoding;
        onSchemaMismatch = onSchemaMismatch == null ? SchemaMismatch.FAIL : onSchemaMismatch;
        ignore = ignore == null ? DEFAULT_IGNORE : List.copyOf(ignore);
        onChangedFile = onChangedFile == null ? ChangedFile.FAIL : onChangedFile;
    }

    public FileInputSpec(String name, String source, String path, FileFormat format, Map<String, String> options,
            List<ColumnSpec> schema) {
        this(name, source, path, format, options, schema, DEFAULT_ENCODING, SchemaMismatch.FAIL, DEFAULT_IGNORE,
                ChangedFile.FAIL);
    }

    /** Whether CSV files start with a header line (the {@code header} option; true unless set to false). */
    public boolean hasHeader() {
        return !"false".equalsIgnoreCase(options.getOrDefault("header", "true"));
    }

    /** File formats the ingest reader understands. */
    public enum FileFormat {
        CSV, JSON, PARQUET
    }

    /**
     * What happens when a landing file the product published is found again under its name with other content (it
     * grew in place, or a source replaced its export).
     */
    public enum ChangedFile {
        /** The run fails before reading anything, naming the file and the version that published it (the default). */
        FAIL("fail"),
        /** The file is ingested again whole: a merge product takes its rows by key (refused for append products). */
        REINGEST("reingest"),
        /** The change is listed in the run's output and its run row, and the file is not read again. */
        IGNORE("ignore");

        private final String specName;

        ChangedFile(String specName) {
            this.specName = specName;
        }

        public String specName() {
            return specName;
        }

        public static Map<String, ChangedFile> bySpecName() {
            Map<String, ChangedFile> names = new LinkedHashMap<>();
            for (ChangedFile value : values()) {
                names.put(value.specName, value);
            }
            return names;
        }
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
