package dev.mesh.runtime.spi;

import static java.util.Objects.requireNonNull;

import dev.mesh.spec.model.InputKind;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An input ready to be read, made with {@link #builder}: {@code rows} for the transformation; {@code rejected} records the reader could not
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
        InputKind kind,
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

    /** This input with the landing files its reader left out. */
    public ResolvedInput withIgnored(List<IgnoredFile> more) {
        List<IgnoredFile> all = new java.util.ArrayList<>(ignored);
        all.addAll(more);
        return new ResolvedInput(name, kind, reference, rows, rejected, fingerprint, version, files, release,
                watermark, addedColumns, observation, all);
    }

    /**
     * An input named {@code name} of {@code kind} at {@code reference} whose rows are {@code rows}, identified by
     * {@code fingerprint}; what else it has is set on the builder (by default: nothing rejected, no Delta version, no
     * files, nothing to release, no watermark, no added columns, no observation, nothing ignored).
     */
    public static Builder builder(String name, InputKind kind, String reference, Dataset<Row> rows,
            String fingerprint) {
        return new Builder(name, kind, reference, rows, fingerprint);
    }

    /** Builds a {@link ResolvedInput}; each setter returns the builder. */
    public static final class Builder {
        private final String name;
        private final InputKind kind;
        private final String reference;
        private final Dataset<Row> rows;
        private final String fingerprint;
        private Optional<Dataset<Row>> rejected = Optional.empty();
        private Optional<Long> version = Optional.empty();
        private List<SourceFile> files = List.of();
        private Runnable release = () -> { };
        private Optional<Watermark> watermark = Optional.empty();
        private List<String> addedColumns = List.of();
        private Optional<String> observation = Optional.empty();

        private Builder(String name, InputKind kind, String reference, Dataset<Row> rows, String fingerprint) {
            this.name = name;
            this.kind = kind;
            this.reference = reference;
            this.rows = rows;
            this.fingerprint = fingerprint;
        }

        public Builder rejected(Optional<Dataset<Row>> rejected) {
            this.rejected = rejected;
            return this;
        }

        public Builder version(long version) {
            this.version = Optional.of(version);
            return this;
        }

        public Builder files(List<SourceFile> files) {
            this.files = files;
            return this;
        }

        public Builder release(Runnable release) {
            this.release = release;
            return this;
        }

        public Builder watermark(Optional<Watermark> watermark) {
            this.watermark = watermark;
            return this;
        }

        public Builder addedColumns(List<String> addedColumns) {
            this.addedColumns = addedColumns;
            return this;
        }

        public Builder observation(String observation) {
            this.observation = Optional.of(observation);
            return this;
        }

        public ResolvedInput build() {
            return new ResolvedInput(name, kind, reference, rows, rejected, fingerprint, version, files, release,
                    watermark, addedColumns, observation, List.of());
        }
    }

    /** The number of records read: parsed rows plus rejected ones. */
    public long recordsRead() {
        return rows.count() + rejected.map(Dataset::count).orElse(0L);
    }
}
