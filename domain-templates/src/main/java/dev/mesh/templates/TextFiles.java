package dev.mesh.templates;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import dev.mesh.runtime.spi.InputContext;
import dev.mesh.runtime.spi.SourceFile;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.FileInputSpec.FileFormat;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * CSV and JSON landing files as text, parsed strictly: CSV bound to the declared columns by each file's header, JSON
 * lines by key ({@link JsonRecords}), every value parsed as its declared type ({@link StrictValues}), and every
 * record that does not parse, does not line up or mismatches the declared columns kept with its reason.
 */
final class TextFiles {
    static final String CORRUPT = "_corrupt_record";
    static final String FILE = "_mesh_file";
    static final String MISMATCH = "_mesh_mismatch";
    static final String RECORD = "_mesh_record";
    private static final String PARSED = "_mesh_parsed_";
    static final String REASONS = "reasons";
    /** Spark's reader option that filters files by name; the platform applies it to its own listing instead. */
    static final String GLOB_FILTER = "pathGlobFilter";

    private TextFiles() {}

    /** The files grouped by their header line (the declared columns for files without one). */
    static Map<List<String>, List<SourceFile>> headers(FileInputSpec spec, FileSystem fs,
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
    static List<Dataset<Row>> csvParts(InputContext context, FileInputSpec spec,
            Map<List<String>, List<SourceFile>> byHeader, List<String> declared, List<String> added) {
        List<Dataset<Row>> parts = new ArrayList<>();
        byHeader.forEach((header, group) -> {
            if (header.isEmpty()) {
                return;
            }
            ColumnMatch match = ColumnMatch.of(header, declared);
            String mismatch = FileInputReader.mismatch(context, spec, group, match);
            StructType positional = new StructType();
            for (int i = 0; i < header.size(); i++) {
                positional = positional.add("_c" + i, DataTypes.StringType, true);
            }
            Dataset<Row> raw = reader(context.spark(), spec)
                    .option("header", Boolean.toString(spec.hasHeader()))
                    .schema(positional.add(CORRUPT, DataTypes.StringType, true))
                    .csv(FileInputReader.paths(group));
            FileInputReader.requireEveryFileRead(raw, group, spec, context);
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
    static Dataset<Row> jsonPart(InputContext context, FileInputSpec spec, List<SourceFile> files,
            List<ColumnSpec> columns) {
        Dataset<Row> lines = context.spark().read().text(FileInputReader.paths(files));
        FileInputReader.requireEveryFileRead(lines, files, spec, context);
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
    static Dataset<Row> strictly(Dataset<Row> text, FileInputSpec spec, List<ColumnSpec> columns,
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
}
