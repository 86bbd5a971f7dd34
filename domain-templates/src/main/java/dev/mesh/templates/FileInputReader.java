package dev.mesh.templates;

import dev.mesh.runtime.error.MeshException;
import dev.mesh.runtime.spec.ColumnSpec;
import dev.mesh.runtime.spec.FileInputSpec;
import dev.mesh.runtime.spec.FileInputSpec.FileFormat;
import dev.mesh.runtime.spec.InputSpec;
import dev.mesh.runtime.spec.SourceSpec;
import dev.mesh.runtime.spi.InputContext;
import dev.mesh.runtime.spi.InputReader;
import dev.mesh.runtime.spi.ResolvedInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The batch file ingest: reads a source's files from the domain's landing zone as CSV, JSON or Parquet with the
 * declared schema. CSV and JSON records that do not parse as that schema are not dropped: they come back as
 * rejected rows (with the raw record) for the product's quarantine. The parsed read is persisted, so the files are
 * read once for both the good and the rejected rows.
 */
public final class FileInputReader implements InputReader {
    static final String CORRUPT = "_corrupt_record";

    @Override
    public boolean supports(InputSpec input) {
        return input instanceof FileInputSpec;
    }

    @Override
    public ResolvedInput read(InputContext context, InputSpec input) {
        FileInputSpec spec = (FileInputSpec) input;
        SourceSpec source = context.domain().source(spec.source()).orElseThrow();
        String domain = context.product().domain();
        String location = context.zones().landing(domain, source.landing(), spec.path());
        List<FileStatus> files = listFiles(context, location);
        if (files.isEmpty()) {
            throw MeshException.invalidInput("input '%s' of %s: no files to ingest at %s (source '%s' lands in "
                    + "%s); drop the source's files there first", spec.name(), context.product().id(), location,
                    spec.source(), context.zones().landing(domain, source.landing(), ""));
        }
        List<ColumnSpec> columns = spec.schema().isEmpty() && spec.format() != FileFormat.PARQUET
                ? context.product().output().schema() : spec.schema();
        StructType schema = schema(columns);
        DataFrameReader reader = context.spark().read().options(spec.options());
        String[] paths = files.stream().map(f -> f.getPath().toString()).toArray(String[]::new);
        String fingerprint = fingerprint(files);
        String format = spec.format().name().toLowerCase(Locale.ROOT);
        if (spec.format() == FileFormat.PARQUET) {
            Dataset<Row> rows = (columns.isEmpty() ? reader : reader.schema(schema)).parquet(paths);
            return new ResolvedInput(spec.name(), "files", location, rows, Optional.empty(), fingerprint,
                    Optional.empty(), () -> {});
        }
        Dataset<Row> parsed = reader
                .schema(schema.add(CORRUPT, DataTypes.StringType, true))
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT)
                .format(format)
                .load(paths)
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> good = parsed.where(functions.col(CORRUPT).isNull()).drop(CORRUPT);
        Dataset<Row> rejected = parsed.where(functions.col(CORRUPT).isNotNull()).select(
                functions.lit("malformed " + format + " record: does not parse as the declared schema")
                        .as("reason"),
                functions.col(CORRUPT).as("record"));
        return new ResolvedInput(spec.name(), "files", location, good, Optional.of(rejected), fingerprint,
                Optional.empty(), () -> parsed.unpersist(false));
    }

    /** Data files under {@code location} (a folder, a file or a glob), ignoring hidden and marker files. */
    private static List<FileStatus> listFiles(InputContext context, String location) {
        Path path = new Path(location);
        try {
            FileSystem fs = path.getFileSystem(context.spark().sparkContext().hadoopConfiguration());
            List<FileStatus> files = new ArrayList<>();
            FileStatus[] matches = fs.globStatus(path);
            if (matches == null) {
                return files;
            }
            for (FileStatus match : matches) {
                if (match.isFile()) {
                    addIfData(files, match);
                    continue;
                }
                RemoteIterator<LocatedFileStatus> listing = fs.listFiles(match.getPath(), true);
                while (listing.hasNext()) {
                    addIfData(files, listing.next());
                }
            }
            files.sort(Comparator.comparing(f -> f.getPath().toString()));
            return files;
        } catch (IOException e) {
            throw MeshException.infrastructure("cannot list " + location + ": " + e.getMessage(), e);
        }
    }

    private static void addIfData(List<FileStatus> files, FileStatus file) {
        String name = file.getPath().getName();
        if (!name.startsWith(".") && !name.startsWith("_")) {
            files.add(file);
        }
    }

    private static String fingerprint(List<FileStatus> files) {
        StringBuilder text = new StringBuilder();
        for (FileStatus file : files) {
            text.append(file.getPath()).append(':').append(file.getLen()).append(':')
                    .append(file.getModificationTime()).append('\n');
        }
        return text.toString();
    }

    private static StructType schema(List<ColumnSpec> columns) {
        StructType schema = new StructType();
        for (ColumnSpec column : columns) {
            schema = schema.add(column.name(), DataType.fromDDL(column.type()), true);
        }
        return schema;
    }
}
