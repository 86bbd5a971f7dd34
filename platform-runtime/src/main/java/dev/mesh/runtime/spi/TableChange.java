package dev.mesh.runtime.spi;

import io.delta.tables.DeltaTable;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How a template's candidate changes the published table when that is more than appending, replacing or upserting
 * rows: change events applied by key (cdc), a history of versions per key (scd2). The runtime still owns the run: it
 * quarantines and gates the {@link #published} rows, and publishes in one idempotent Delta commit carrying the run's
 * commit info, by {@link #merge} into an existing table, or by writing the {@link #published} rows for a product's
 * first run and for a full refresh.
 */
public interface TableChange {
    /** Columns of the template's result the runtime keeps beside the output's, for {@link #merge} (e.g. a flag). */
    List<String> carriedColumns();

    /** The candidate's rows that the product holds after a full rebuild: what the gate checks. */
    Dataset<Row> published(Dataset<Row> candidate);

    /** Applies the candidate to the product's table ({@code target}, aliased {@code t}) in one MERGE, and runs it. */
    void merge(DeltaTable target, Dataset<Row> candidate);
}
