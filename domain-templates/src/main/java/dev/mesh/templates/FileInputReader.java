package dev.mesh.templates;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.spi.IgnoredFile;
import dev.mesh.runtime.spi.InputContext;
import dev.mesh.runtime.spi.InputReader;
import dev.mesh.runtime.spi.PublishedFiles;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.runtime.spi.SourceFile;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.FileInputSpec.FileFormat;
import dev.mesh.spec.model.FileInputSpec.SchemaMismatch;
import dev.mesh.spec.model.InputKind;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.SourceSpec;
import dev.mesh.spec.validation.IgnorePatterns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The batch file ingest: reads the landing files of a source that the product has not ingested yet (all of them
 * for a product that is rebuilt each run) as CSV, JSON or Parquet. CSV columns are bound to the declared schema by
 * their header's names, and CSV and JSON values are read as text and parsed strictly as their declared types
 * ({@link StrictValues}). Nothing is dropped or changed silently: a record that does not parse, a value that is not
 * a literal of its type, bytes that are not valid in the files' encoding, or (with {@code onSchemaMismatch:
 * quarantine}) a file whose columns are not the declared ones come back as rejected records with the reason, for the
 * product's quarantine. The parsed values are persisted, so the files are read and parsed once for good and
 * rejected rows. The formats are read by {@link TextFiles} (CSV, JSON) and {@link ParquetFiles}.
 */
public final class FileInputReader implements InputReader {
    /** Names each read's observation uniquely in the JVM (Spark refuses two observations of one name in a plan). */
    private static final AtomicLong OBSERVATIONS = new AtomicLong();

    @Override
    public boolean supports(InputSpec input) {
        return input instanceof FileInputSpec;
    }

    @Override
    public ResolvedInput read(InputContext context, InputSpec input) {
        FileInputSpec spec = (FileInputSpec) input;
        SourceSpec source = context.domain().source(spec.source()).orElseThrow();
        String domain = context.product().domain();
        String folder = context.zones().landing(domain, source.landing(), "");
        String location = context.zones().landing(domain, source.landing(), spec.path());
        FileSystem fs = fileSystem(context.spark(), location);
        String what = "input '" + spec.name() + "' of " + context.product().id();
        LandingFiles.Listing listing = LandingFiles.list(fs, folder, location, IgnorePatterns.of(spec.ignore()),
                Optional.ofNullable(spec.options().get(TextFiles.GLOB_FILTER)), what);
        List<SourceFile> all = listing.files();
        if (all.isEmpty()) {
            throw MeshException.invalidInput("%s: no files to ingest at %s (source '%s' lands in %s)%s; drop the "
                    + "source's files there first", what, location, spec.source(), folder,
                    listing.ignored().isEmpty() ? "" : "; " + listing.ignored().size() + " file(s) there are left out, "
                            + "e.g. " + listing.ignored().get(0).path() + ": " + listing.ignored().get(0).reason());
        }
        List<IgnoredFile> ignored = new ArrayList<>(listing.ignored());
        List<SourceFile> files = unpublished(context, spec, fs, all, ignored);
        return read(context, spec, location, fs, files, columns(context, spec)).withIgnored(ignored);
    }

    /**
     * The listed files the product has not published, each with what identifies its content (an incremental product
     * records it, to know the file if it is found again). A file found again under a published name with other
     * content is handled as the input's {@code onChangedFile} says: the run fails before reading anything (the
     * default), the file is read again, or it is left out with the reason.
     */
    private static List<SourceFile> unpublished(InputContext context, FileInputSpec spec, FileSystem fs,
            List<SourceFile> all, List<IgnoredFile> ignored) {
        boolean identifies = context.product().output().mode() != WriteMode.OVERWRITE;
        List<SourceFile> files = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (SourceFile listed : all) {
            if (context.ingested().test(spec.name(), listed)) {
                continue;
            }
            Optional<PublishedFiles.Published> before = context.ingested().published(spec.name(), listed.path());
            SourceFile file = identifies ? FileIdentity.identified(fs, listed) : listed;
            if (before.isEmpty()) {
                files.add(file);
                continue;
            }
            SourceFile was = before.get().file();
            if (!was.checksum().isEmpty() && was.checksum().equals(file.checksum())) {
                // touched or copied again, the same bytes: the file already published
                continue;
            }
            String change = "changed since version " + before.get().version() + " published it (" + FileIdentity
                    .describeChange(was, file) + ")";
            switch (spec.onChangedFile()) {
                case FAIL -> changed.add(file.path() + " " + change);
                case IGNORE -> ignored.add(new IgnoredFile(file.path(), change + "; the input's onChangedFile: ignore "
                        + "leaves it out"));
                case REINGEST -> files.add(file);
            }
        }
        if (!changed.isEmpty()) {
            throw MeshException.invalidInput("input '%s' of %s: landing file %s%s; a published file is never read "
                    + "again silently: land new data under a new name (or restore the file), or set the input's "
                    + "onChangedFile to reingest (merge products take its rows again by key) or ignore; nothing was "
                    + "read", spec.name(), context.product().id(), changed.get(0),
                    changed.size() > 1 ? " (and " + (changed.size() - 1) + " more changed files)" : "");
        }
        return files;
    }

    private ResolvedInput read(InputContext context, FileInputSpec spec, String location, FileSystem fs,
            List<SourceFile> files, List<ColumnSpec> columns) {
        String fingerprint = fingerprint(files);
        if (files.isEmpty()) {
            return ResolvedInput.builder(spec.name(), InputKind.FILES, location, empty(context.spark(), columns),
                    fingerprint).files(files).build();
        }
        // dates and timestamps with a declared format: Spark's own strict parser, never the lenient legacy one
        context.spark().conf().set("spark.sql.legacy.timeParserPolicy", "CORRECTED");
        if (spec.format() == FileFormat.PARQUET) {
            return ParquetFiles.parquet(context, spec, location, fs, files, columns, fingerprint);
        }
        List<String> declared = columns.stream().map(ColumnSpec::name).toList();
        Map<List<String>, List<SourceFile>> byHeader = spec.format() == FileFormat.CSV
                ? TextFiles.headers(spec, fs, files, declared) : Map.of();
        List<String> added = AddedColumns.of(spec, context.product().id(), byHeader, declared);
        List<Dataset<Row>> parts = spec.format() == FileFormat.CSV
                ? TextFiles.csvParts(context, spec, byHeader, declared, added)
                : List.of(TextFiles.jsonPart(context, spec, files, columns));
        if (parts.isEmpty()) {
            // only empty files: nothing to read, and they count as ingested
            return ResolvedInput.builder(spec.name(), InputKind.FILES, location, empty(context.spark(), columns),
                    fingerprint).files(files).build();
        }
        Dataset<Row> parsed = parts.get(0);
        for (Dataset<Row> part : parts.subList(1, parts.size())) {
            parsed = parsed.unionByName(part);
        }
        // the parsed values are what is kept: every later phase reads them, and none parses again
        Dataset<Row> annotated = TextFiles.strictly(parsed, spec, columns, added)
                .persist(StorageLevel.MEMORY_AND_DISK());
        List<Column> published = new ArrayList<>();
        declared.forEach(name -> published.add(col("`" + name + "`")));
        added.forEach(name -> published.add(col("`" + name + "`")));
        // a run that reads the input once learns what it read and rejected from that pass
        String observation = "mesh_read_" + spec.name() + "_" + OBSERVATIONS.incrementAndGet();
        Dataset<Row> good = annotated.observe(observation, functions.count(lit(1)).as("records"),
                        functions.count(col(TextFiles.REASONS)).as("rejected"))
                .where(col(TextFiles.REASONS).isNull()).select(published.toArray(Column[]::new));
        Dataset<Row> rejected = annotated.where(col(TextFiles.REASONS).isNotNull())
                .select(TextFiles.REASONS, "record", "file");
        return ResolvedInput.builder(spec.name(), InputKind.FILES, location, good, fingerprint)
                .rejected(Optional.of(rejected)).files(files).release(() -> annotated.unpersist(false))
                .addedColumns(added).observation(observation).build();
    }

    /**
     * Every file the run records as ingested is one Spark reads: its reader leaves files out by name (those starting
     * with '_' or '.') even when given them one by one, which an input that ignores no such names would lose.
     */
    static void requireEveryFileRead(Dataset<Row> raw, List<SourceFile> files, FileInputSpec spec,
            InputContext context) {
        java.util.Set<String> read = new java.util.HashSet<>();
        for (String file : raw.inputFiles()) {
            read.add(java.net.URI.create(file).getPath());
        }
        for (SourceFile file : files) {
            if (!read.contains(new Path(file.path()).toUri().getPath())) {
                throw MeshException.invalidInput("input '%s' of %s: Spark's reader leaves out landing file %s (it "
                        + "skips names that start with '_' or '.'); rename the file, or add its name to the input's "
                        + "ignore patterns; nothing was read", spec.name(), context.product().id(), file.path());
            }
        }
    }

    private static List<ColumnSpec> columns(InputContext context, FileInputSpec spec) {
        return spec.schema().isEmpty() ? context.product().output().schema() : spec.schema();
    }

    /**
     * Null when the file's columns are the declared ones, or only add undeclared ones that the input ignores; the
     * quarantine reason when the input quarantines mismatching files; else the run fails, naming file and columns.
     */
    static String mismatch(InputContext context, FileInputSpec spec, List<SourceFile> files,
            ColumnMatch match) {
        boolean extraAllowed = spec.onSchemaMismatch() == SchemaMismatch.IGNORE_EXTRA
                || spec.onSchemaMismatch() == SchemaMismatch.EVOLVE;
        if (match.exact() || (extraAllowed && match.onlyUndeclared())) {
            return null;
        }
        String names = files.stream().map(SourceFile::name).limit(3).reduce((a, b) -> a + ", " + b).orElse("")
                + (files.size() > 3 ? " and " + (files.size() - 3) + " more" : "");
        String columns = "columns not as declared (" + match.describe() + ")";
        if (spec.onSchemaMismatch() == SchemaMismatch.QUARANTINE) {
            return "file " + names + ": " + columns;
        }
        String hint = spec.format() == FileFormat.CSV && match.nothingMatches()
                ? "; if the files have no header line, set options.header: \"false\"" : "";
        throw MeshException.invalidInput("input '%s' of %s: file%s %s %s; fix the file%s or the declared schema, or "
                + "set the input's onSchemaMismatch to quarantine%s%s", spec.name(), context.product().id(),
                files.size() == 1 ? "" : "s", names, files.size() == 1 ? "has " + columns : "have " + columns,
                files.size() == 1 ? "" : "s",
                match.onlyUndeclared() ? ", ignoreExtra or evolve" : "", hint);
    }

    static Dataset<Row> empty(SparkSession spark, List<ColumnSpec> columns) {
        return spark.createDataFrame(List.of(), schema(columns));
    }

    static StructType schema(List<ColumnSpec> columns) {
        StructType schema = new StructType();
        for (ColumnSpec column : columns) {
            schema = schema.add(column.name(), DataType.fromDDL(column.type()), true);
        }
        return schema;
    }

    static String[] paths(List<SourceFile> files) {
        return files.stream().map(file -> LandingFiles.literal(file.path())).toArray(String[]::new);
    }

    private static FileSystem fileSystem(SparkSession spark, String location) {
        try {
            return new Path(location).getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw MeshException.infrastructure("cannot reach " + location + ": " + e.getMessage(), e);
        }
    }

    private static String fingerprint(List<SourceFile> files) {
        StringBuilder text = new StringBuilder();
        for (SourceFile file : files) {
            text.append(file.path()).append(':').append(file.size()).append(':').append(file.modifiedMillis())
                    .append('\n');
        }
        return text.toString();
    }
}
