package dev.mesh.runtime.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An input ready to be read: {@code rows} for the transformation; {@code rejected} rows the reader could not
 * parse (columns {@code reason} and {@code record}), which go to quarantine; {@code fingerprint} identifies exactly
 * the data read (file names, sizes and times, or a Delta version), {@code version} the Delta version read, if any.
 */
public record ResolvedInput(
        String name,
        String kind,
        String reference,
        Dataset<Row> rows,
        Optional<Dataset<Row>> rejected,
        String fingerprint,
        Optional<Long> version,
        Runnable release) {
    public ResolvedInput {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(reference, "reference is null");
        requireNonNull(rows, "rows is null");
        requireNonNull(rejected, "rejected is null");
        requireNonNull(fingerprint, "fingerprint is null");
        requireNonNull(version, "version is null");
        requireNonNull(release, "release is null");
    }

    /** The number of records read: parsed rows plus rejected ones. */
    public long recordsRead() {
        return rows.count() + rejected.map(Dataset::count).orElse(0L);
    }
}
