package dev.mesh.templates;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import dev.mesh.error.MeshException;
import dev.mesh.error.PlainMessages;
import dev.mesh.runtime.spi.InputContext;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.runtime.spi.SourceFile;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.InputKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Parquet landing files: read with the declared schema, their own types kept, mismatching files handled as the input
 * says; columns a file adds keep their Parquet types.
 */
final class ParquetFiles {

    private ParquetFiles() {}

    /**
     * Parquet keeps its own types and is read with the declared schema; a file whose columns are not the declared
     * ones is handled as the input's {@code onSchemaMismatch} says (added columns keep their Parquet types).
     */
    static ResolvedInput parquet(InputContext context, FileInputSpec spec, String location, FileSystem fs,
            List<SourceFile> files, List<ColumnSpec> columns, String fingerprint) {
        List<String> declared = columns.stream().map(ColumnSpec::name).toList();
        List<SourceFile> matching = new ArrayList<>();
        List<SourceFile> quarantined = new ArrayList<>();
        Map<SourceFile, String> reasons = new LinkedHashMap<>();
        Map<List<String>, List<SourceFile>> byColumns = new LinkedHashMap<>();
        for (SourceFile file : files) {
            List<String> fileColumns = parquetColumns(fs, file);
            ColumnMatch match = ColumnMatch.of(fileColumns, declared);
            String mismatch = spec.schema().isEmpty() ? null
                    : FileInputReader.mismatch(context, spec, List.of(file), match);
            if (mismatch == null) {
                matching.add(file);
                byColumns.computeIfAbsent(fileColumns, c -> new ArrayList<>()).add(file);
            } else {
                quarantined.add(file);
                reasons.put(file, mismatch);
            }
        }
        List<String> added = AddedColumns.of(spec, context.product().id(), byColumns, declared);
        StructType schema = FileInputReader.schema(columns);
        for (StructField field : addedFields(context, spec, byColumns, added)) {
            schema = schema.add(field);
        }
        DataFrameReader reader = context.spark().read();
        Dataset<Row> rows = matching.isEmpty() ? FileInputReader.empty(context.spark(), columns)
                : (spec.schema().isEmpty() ? reader : reader.schema(schema)).parquet(FileInputReader.paths(matching));
        if (!matching.isEmpty()) {
            FileInputReader.requireEveryFileRead(rows, matching, spec, context);
        }
        Optional<Dataset<Row>> rejected = Optional.empty();
        for (SourceFile file : quarantined) {
            Dataset<Row> records = context.spark().read().parquet(LandingFiles.literal(file.path())).select(
                    array(lit(reasons.get(file))).as(TextFiles.REASONS), to_json(struct(col("*"))).as("record"),
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
                .filter(entry -> added.stream()
                        .anyMatch(name -> ColumnMatch.position(entry.getKey(), name).isPresent()))
                .flatMap(entry -> entry.getValue().stream()).toList();
        StructType merged;
        try {
            merged = context.spark().read().option("mergeSchema", "true").parquet(FileInputReader.paths(adding))
                    .schema();
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

    private static List<String> parquetColumns(FileSystem fs, SourceFile file) {
        Configuration conf = fs.getConf();
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file.path()), conf))) {
            return reader.getFooter().getFileMetaData().getSchema().getFields().stream().map(Type::getName).toList();
        } catch (IOException | RuntimeException e) {
            throw MeshException.invalidInput("landing file %s is not a readable Parquet file: %s", file.path(),
                    e.getMessage());
        }
    }
}
