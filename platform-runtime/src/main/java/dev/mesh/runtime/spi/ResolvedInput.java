package dev.mesh.runtime.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An input ready to be read: {@code rows} for the transformation; {@code rejected} records the reader could not
 * parse (columns {@code reasons}, an array of strings, {@code record} and {@code file}), which go to quarantine;
 * {@code fingerprint} identifies exactly the data read (file names, sizes and times, or a Delta version),
 * {@code version} the Delta version read, if any, {@code files} the landing files read, if any, and {@code watermark}
 * the range of a watermark column read, for an input read incrementally by one. {@code addedColumns} are the
 * columns of {@code rows} beyond the declared ones, for an input whose schema evolves ({@code onSchemaMismatch:
 * evolve}): the product publishes them as new columns. {@code observation}, when present, names the metrics
 * ({@code records}, {@code rejected}: longs) that a query reading all of {@code rows} observes on the way, so a run that
 * reads the input in one pass need not count it in another; {@code release} frees what the reader keeps for later
 * passes (its cache), and a run that reads the input once may call it before reading.
 */
public record ResolvedInput(
        String name,
        String kind,
        String reference,
        Dataset<Row> rows,
        Optional<Dataset<Row>> rejected,
        String fingerprint,
        Optional<Long> version,
        List<SourceFile> files,
        Runnable release,
        Optional<Watermark> watermark,
        List<String> addedColumns,
        Optional<String> observation,
        List<IgnoredFile> ignored) {
    public ResolvedInput {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(reference, "reference is null");
        requireNonNull(rows, "rows is null");
        requireNonNull(rejected, "rejected is null");
        requireNonNull(fingerprint, "fingerprint is null");
        requireNonNull(version, "version is null");
        files = List.copyOf(files);
        requireNonNull(release, "release is null");
        requireNonNull(watermark, "watermark is null");
        addedColumns = List.copyOf(addedColumns);
        requireNonNull(observation, "observation is null");
        ignored = List.copyOf(ignored);
    }

    /** An input that ignored nothing. */
    public ResolvedInput(String name, String kind, String reference, Dataset<Row> rows,
            Optional<Dataset<Row>> rejected, String fingerprint, Optional<Long> version, List<SourceFile> files,
            Runnable release, Optional<Watermark> watermark, List<String> addedColumns, Optional<String> observation) {
        this(name, kind, reference, rows, rejected, fingerprint, version, files, release, watermark, addedColumns,
                observation, List.of());
    }

    /** This input with the landing files its reader left out. */
    public ResolvedInput withIgnored(List<IgnoredFile> more) {
        List<IgnoredFile> all = new java.util.ArrayList<>(ignored);
        all.addAll(more);
        return new ResolvedInput(name, kind, reference, rows, rejected, fingerprint, version, files, release,
                watermark, addedColumns, observation, all);
    }

    /** An input whose reads are not observed. */
    public ResolvedInput(String name, String kind, String reference, Dataset<Row> rows,
            Optional<Dataset<Row>> rejected, String fingerprint, Optional<Long> version, List<SourceFile> files,
            Runnable release, Optional<Watermark> watermark, List<String> addedColumns) {
        this(name, kind, reference, rows, rejected, fingerprint, version, files, release, watermark, addedColumns,
                Optional.empty());
    }

    /** An input that publishes only its declared columns. */
    public ResolvedInput(String name, String kind, String reference, Dataset<Row> rows,
            Optional<Dataset<Row>> rejected, String fingerprint, Optional<Long> version, List<SourceFile> files,
            Runnable release, Optional<Watermark> watermark) {
        this(name, kind, reference, rows, rejected, fingerprint, version, files, release, watermark, List.of());
    }

    /** An input without a watermark (files, products). */
    public ResolvedInput(String name, String kind, String reference, Dataset<Row> rows,
            Optional<Dataset<Row>> rejected, String fingerprint, Optional<Long> version, List<SourceFile> files,
            Runnable release) {
        this(name, kind, reference, rows, rejected, fingerprint, version, files, release, Optional.empty(), List.of());
    }

    /** The number of records read: parsed rows plus rejected ones. */
    public long recordsRead() {
        return rows.count() + rejected.map(Dataset::count).orElse(0L);
    }
}
