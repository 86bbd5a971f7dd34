package dev.mesh.templates;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import dev.mesh.error.MeshException;
import dev.mesh.error.PlainMessages;
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
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
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
 * rejected rows.
 */
public final class FileInputReader implements InputReader {
    static final String CORRUPT = "_corrupt_record";
    private static final String FILE = "_mesh_file";
    private static final String MISMATCH = "_mesh_mismatch";
    private static final String RECORD = "_mesh_record";
    private static final String PARSED = "_mesh_parsed_";
    private static final String REASONS = "reasons";
    /** Spark's reader option that filters files by name; the platform applies it to its own listing instead. */
    private static final String GLOB_FILTER = "pathGlobFilter";
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
                Optional.ofNullable(spec.options().get(GLOB_FILTER)), what);
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
            return parquet(context, spec, location, fs, files, columns, fingerprint);
        }
        List<String> declared = columns.stream().map(ColumnSpec::name).toList();
        Map<List<String>, List<SourceFile>> byHeader = spec.format() == FileFormat.CSV
                ? headers(spec, fs, files, declared) : Map.of();
        List<String> added = AddedColumns.of(spec, context.product().id(), byHeader, declared);
        List<Dataset<Row>> parts = spec.format() == FileFormat.CSV
                ? csvParts(context, spec, byHeader, declared, added)
                : List.of(jsonPart(context, spec, files, columns));
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
        Dataset<Row> annotated = strictly(parsed, spec, columns, added).persist(StorageLevel.MEMORY_AND_DISK());
        List<Column> published = new ArrayList<>();
        declared.forEach(name -> published.add(col("`" + name + "`")));
        added.forEach(name -> published.add(col("`" + name + "`")));
        // a run that reads the input once learns what it read and rejected from that pass
        String observation = "mesh_read_" + spec.name() + "_" + OBSERVATIONS.incrementAndGet();
        Dataset<Row> good = annotated.observe(observation, functions.count(lit(1)).as("records"),
                        functions.count(col(REASONS)).as("rejected"))
                .where(col(REASONS).isNull()).select(published.toArray(Column[]::new));
        Dataset<Row> rejected = annotated.where(col(REASONS).isNotNull()).select(REASONS, "record", "file");
        return ResolvedInput.builder(spec.name(), InputKind.FILES, location, good, fingerprint)
                .rejected(Optional.of(rejected)).files(files).release(() -> annotated.unpersist(false))
                .addedColumns(added).observation(observation).build();
    }

    /**
     * Every file the run records as ingested is one Spark reads: its reader leaves files out by name (those starting
     * with '_' or '.') even when given them one by one, which an input that ignores no such names would lose.
     */
    private static void requireEveryFileRead(Dataset<Row> raw, List<SourceFile> files, FileInputSpec spec,
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

    /** The files grouped by their header line (the declared columns for files without one). */
    private static Map<List<String>, List<SourceFile>> headers(FileInputSpec spec, FileSystem fs,
            List<SourceFile> files, List<String> declared) {
        Charset charset = Charset.forName(spec.encoding());
        Map<List<String>, List<SourceFile>> byHeader = new LinkedHashMap<>();
        for (SourceFile file : files) {
            List<String> header = spec.hasHeader()
                    ? CsvHeader.read(fs, new Path(file.path()), charset, spec.options()) : declared;
            byHeader.computeIfAbsent(header, h -> new ArrayList<>()).add(file);
        }
        return byHeader;
    }

    /**
     * One part per distinct header: each is read with positional names of its own header's length, then its
     * columns are picked by name. A file whose header is not the declared schema fails the run, is quarantined,
     * has its undeclared columns ignored, or adds them (the {@code added} columns, null in the files without them), as
     * the input says.
     */
    private static List<Dataset<Row>> csvParts(InputContext context, FileInputSpec spec,
            Map<List<String>, List<SourceFile>> byHeader, List<String> declared, List<String> added) {
        List<Dataset<Row>> parts = new ArrayList<>();
        byHeader.forEach((header, group) -> {
            if (header.isEmpty()) {
                return;
            }
            ColumnMatch match = ColumnMatch.of(header, declared);
            String mismatch = mismatch(context, spec, group, match);
            StructType positional = new StructType();
            for (int i = 0; i < header.size(); i++) {
                positional = positional.add("_c" + i, DataTypes.StringType, true);
            }
            Dataset<Row> raw = reader(context.spark(), spec)
                    .option("header", Boolean.toString(spec.hasHeader()))
                    .schema(positional.add(CORRUPT, DataTypes.StringType, true))
                    .csv(paths(group));
            requireEveryFileRead(raw, group, spec, context);
            List<Column> select = new ArrayList<>();
            for (String name : declared) {
                Integer position = match.positions().get(name);
                select.add((position == null ? lit(null).cast("string") : col("_c" + position)).as(name));
            }
            for (String name : added) {
                Optional<Integer> position = ColumnMatch.position(header, name);
                select.add(position.map(at -> col("_c" + at)).orElse(lit(null).cast("string")).as(name));
            }
            Column[] asInFile = new Column[header.size()];
            for (int i = 0; i < header.size(); i++) {
                asInFile[i] = col("_c" + i).as(header.get(i));
            }
            select.add(col(CORRUPT));
            select.add(input_file_name().as(FILE));
            select.add(lit(mismatch).cast("string").as(MISMATCH));
            select.add((mismatch == null ? lit(null).cast("string") : to_json(struct(asInFile))).as(RECORD));
            parts.add(raw.select(select.toArray(Column[]::new)));
        });
        return parts;
    }

    /**
     * JSON lines read as text and parsed by {@link JsonRecords}: numbers keep their exact text, keys bind like CSV
     * headers, and duplicate keys send their record to quarantine (Spark's JSON reader reads numbers through doubles,
     * binds keys by exact name and keeps a duplicate key's last value). Blank lines are not records.
     */
    private static Dataset<Row> jsonPart(InputContext context, FileInputSpec spec, List<SourceFile> files,
            List<ColumnSpec> columns) {
        Dataset<Row> lines = context.spark().read().text(paths(files));
        requireEveryFileRead(lines, files, spec, context);
        JsonRecords records = new JsonRecords(columns.stream().map(ColumnSpec::name).toList(), spec.encoding(),
                spec.options());
        Column json = functions.udf(records, records.type()).apply(col("value").cast("binary"));
        Dataset<Row> parsed = lines.where(functions.length(functions.trim(col("value"))).gt(0))
                .select(json.as("j"), input_file_name().as(FILE));
        List<Column> select = new ArrayList<>();
        columns.forEach(column -> select.add(col("j.`" + column.name() + "`").as(column.name())));
        select.add(col("j." + CORRUPT).as(CORRUPT));
        select.add(col(FILE));
        select.add(col("j." + JsonRecords.MISMATCH).as(MISMATCH));
        select.add(when(col("j." + JsonRecords.MISMATCH).isNotNull(), col("j.line")).as(RECORD));
        return parsed.select(select.toArray(Column[]::new));
    }

    /**
     * The declared columns parsed strictly and the added ones as text, with every reason a record is rejected (null
     * for a record that is not), the record and its file (for rejected records only). Two projections: each value is
     * parsed once, in the first, and the second judges it from the parsed column (one expression for both would
     * parse it again inside the reason's condition, where Spark does not share it).
     */
    private static Dataset<Row> strictly(Dataset<Row> text, FileInputSpec spec, List<ColumnSpec> columns,
            List<String> added) {
        StrictValues values = new StrictValues(spec.options(),
                text.sparkSession().conf().get("spark.sql.session.timeZone"));
        List<Column> first = new ArrayList<>();
        List<Column> select = new ArrayList<>();
        Column[] reasons = new Column[columns.size()];
        List<Column> raw = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            ColumnSpec column = columns.get(i);
            Column value = col("`" + column.name() + "`");
            String parsedName = PARSED + i;
            first.add(value);
            first.add(values.parse(value, column.type()).cast(column.type()).as(parsedName));
            select.add(col(parsedName).as(column.name()));
            reasons[i] = values.reason(value, col(parsedName), column.name(), column.type(), spec.encoding());
            raw.add(value);
        }
        for (String name : added) {
            first.add(col("`" + name + "`"));
            select.add(col("`" + name + "`"));
            raw.add(col("`" + name + "`"));
        }
        for (String internal : List.of(CORRUPT, MISMATCH, RECORD, FILE)) {
            first.add(col(internal));
        }
        String format = spec.format().name().toLowerCase(Locale.ROOT);
        String malformed = "malformed " + format + " record: " + (spec.format() == FileFormat.CSV
                ? "its fields do not line up with the header's columns" : "not a valid JSON object");
        Column why = when(col(CORRUPT).isNotNull(), array(lit(malformed)))
                .when(col(MISMATCH).isNotNull(), array(col(MISMATCH)))
                .when(reasons.length == 0 ? lit(false) : coalesce(reasons).isNotNull(),
                        functions.filter(array(reasons), Column::isNotNull));
        select.add(why.as(REASONS));
        // the text of a record and its file are kept for the rejected only: they go to quarantine
        Column rejected = why.isNotNull();
        select.add(when(rejected, coalesce(col(CORRUPT), col(RECORD), to_json(struct(raw.toArray(Column[]::new)))))
                .as("record"));
        select.add(when(rejected, col(FILE)).as("file"));
        return text.select(first.toArray(Column[]::new)).select(select.toArray(Column[]::new));
    }

    /**
     * Parquet keeps its own types and is read with the declared schema; a file whose columns are not the declared
     * ones is handled as the input's {@code onSchemaMismatch} says (added columns keep their Parquet types).
     */
    private static ResolvedInput parquet(InputContext context, FileInputSpec spec, String location, FileSystem fs,
            List<SourceFile> files, List<ColumnSpec> columns, String fingerprint) {
        List<String> declared = columns.stream().map(ColumnSpec::name).toList();
        List<SourceFile> matching = new ArrayList<>();
        List<SourceFile> quarantined = new ArrayList<>();
        Map<SourceFile, String> reasons = new LinkedHashMap<>();
        Map<List<String>, List<SourceFile>> byColumns = new LinkedHashMap<>();
        for (SourceFile file : files) {
            List<String> fileColumns = parquetColumns(fs, file);
            ColumnMatch match = ColumnMatch.of(fileColumns, declared);
            String mismatch = spec.schema().isEmpty() ? null : mismatch(context, spec, List.of(file), match);
            if (mismatch == null) {
                matching.add(file);
                byColumns.computeIfAbsent(fileColumns, c -> new ArrayList<>()).add(file);
            } else {
                quarantined.add(file);
                reasons.put(file, mismatch);
            }
        }
        List<String> added = AddedColumns.of(spec, context.product().id(), byColumns, declared);
        StructType schema = schema(columns);
        for (StructField field : addedFields(context, spec, byColumns, added)) {
            schema = schema.add(field);
        }
        DataFrameReader reader = context.spark().read();
        Dataset<Row> rows = matching.isEmpty() ? empty(context.spark(), columns)
                : (spec.schema().isEmpty() ? reader : reader.schema(schema)).parquet(paths(matching));
        if (!matching.isEmpty()) {
            requireEveryFileRead(rows, matching, spec, context);
        }
        Optional<Dataset<Row>> rejected = Optional.empty();
        for (SourceFile file : quarantined) {
            Dataset<Row> records = context.spark().read().parquet(LandingFiles.literal(file.path())).select(
                    array(lit(reasons.get(file))).as("reasons"), to_json(struct(col("*"))).as("record"),
                    lit(file.path()).as("file"));
            rejected = Optional.of(rejected.map(r -> r.unionByName(records)).orElse(records));
        }
        return ResolvedInput.builder(spec.name(), InputKind.FILES, location, rows, fingerprint).rejected(rejected)
                .files(files).addedColumns(added).build();
    }

    /**
     * The Parquet types of the columns the files add, from their footers; files that disagree on a column's type
     * fail the run, naming the column.
     */
    private static List<StructField> addedFields(InputContext context, FileInputSpec spec,
            Map<List<String>, List<SourceFile>> byColumns, List<String> added) {
        if (added.isEmpty()) {
            return List.of();
        }
        List<SourceFile> adding = byColumns.entrySet().stream()
                .filter(entry -> added.stream().anyMatch(name -> ColumnMatch.position(entry.getKey(), name).isPresent()))
                .flatMap(entry -> entry.getValue().stream()).toList();
        StructType merged;
        try {
            merged = context.spark().read().option("mergeSchema", "true").parquet(paths(adding)).schema();
        } catch (RuntimeException e) {
            throw MeshException.invalidInput("input '%s' of %s: the files that add columns (%s) disagree on their "
                    + "types: %s; make the files agree, or set the input's onSchemaMismatch to ignoreExtra",
                    spec.name(), context.product().id(), String.join(", ", added), PlainMessages.of(e));
        }
        List<StructField> fields = new ArrayList<>();
        for (String name : added) {
            Arrays.stream(merged.fields()).filter(field -> field.name().equalsIgnoreCase(name)).findFirst()
                    .ifPresent(field -> fields.add(new StructField(name, field.dataType(), true, Metadata.empty())));
        }
        return fields;
    }

    /**
     * Null when the file's columns are the declared ones, or only add undeclared ones that the input ignores; the
     * quarantine reason when the input quarantines mismatching files; else the run fails, naming file and columns.
     */
    private static String mismatch(InputContext context, FileInputSpec spec, List<SourceFile> files,
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

    private static List<String> parquetColumns(FileSystem fs, SourceFile file) {
        Configuration conf = fs.getConf();
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file.path()), conf))) {
            return reader.getFooter().getFileMetaData().getSchema().getFields().stream().map(Type::getName).toList();
        } catch (IOException | RuntimeException e) {
            throw MeshException.invalidInput("landing file %s is not a readable Parquet file: %s", file.path(),
                    e.getMessage());
        }
    }

    private static DataFrameReader reader(SparkSession spark, FileInputSpec spec) {
        Map<String, String> options = new LinkedHashMap<>(spec.options());
        // the listing applied the filter and listed what it left out; Spark would leave files out silently
        options.remove(GLOB_FILTER);
        if (spec.format() == FileFormat.CSV) {
            // a quoted field may hold line breaks (read whole, never split into a truncated value and a phantom
            // record), and a quote inside one is doubled, as RFC 4180 writes it, unless the input names an escape
            options.put("multiLine", "true");
            options.putIfAbsent("escape", "\"");
        }
        DataFrameReader reader = spark.read().options(options)
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT);
        if (!Charset.forName(spec.encoding()).equals(StandardCharsets.UTF_8)) {
            reader = reader.option("encoding", spec.encoding());
        }
        return reader;
    }

    private static Dataset<Row> empty(SparkSession spark, List<ColumnSpec> columns) {
        return spark.createDataFrame(List.of(), schema(columns));
    }

    private static StructType schema(List<ColumnSpec> columns) {
        StructType schema = new StructType();
        for (ColumnSpec column : columns) {
            schema = schema.add(column.name(), DataType.fromDDL(column.type()), true);
        }
        return schema;
    }

    private static String[] paths(List<SourceFile> files) {
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
