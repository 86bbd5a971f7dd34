package dev.mesh.runtime.run;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.mesh.runtime.error.MeshException;
import dev.mesh.runtime.spec.ProductSpec;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.runtime.zone.ZoneLayout;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes rejected rows to the product's quarantine table (Delta, in the domain's zone) with the run id, the input
 * they came from and every reason they were rejected, so that nothing is dropped silently.
 */
final class QuarantineWriter {
    private final ZoneLayout zones;

    QuarantineWriter(ZoneLayout zones) {
        this.zones = requireNonNull(zones, "zones is null");
    }

    /**
     * Appends the records the inputs' readers rejected and the rows that broke row rules ({@code ruleBreakers}:
     * input, reasons, record); returns how many there were.
     */
    long write(ProductSpec product, String runId, List<ResolvedInput> inputs, Optional<Dataset<Row>> ruleBreakers,
            Instant now) {
        Dataset<Row> all = null;
        for (ResolvedInput input : inputs) {
            Optional<Dataset<Row>> rejected = input.rejected();
            if (rejected.isPresent()) {
                Dataset<Row> rows = rejected.get().select(lit(input.name()).as("input"), col("reasons"),
                        col("record"), col("file"));
                all = all == null ? rows : all.unionByName(rows);
            }
        }
        if (ruleBreakers.isPresent()) {
            all = all == null ? ruleBreakers.get() : all.unionByName(ruleBreakers.get());
        }
        if (all != null) {
            all = all.select(lit(runId).as("run_id"), lit(product.id().toString()).as("product"), col("input"),
                    col("reasons"), col("record"), lit(Timestamp.from(now)).as("quarantined_at"), col("file"));
        }
        if (all == null || all.isEmpty()) {
            return 0;
        }
        String path = zones.quarantine(product.id());
        zones.requireInsideZone(product.domain(), path);
        try {
            all.write().format("delta").mode("append").option("mergeSchema", "true").save(path);
            // the commit says how many rows it wrote: no second pass to count them
            return Long.parseLong(dev.mesh.runtime.ledger.DeltaTables.lastCommit(all.sparkSession(), path)
                    .orElseThrow().operationMetrics().getOrDefault("numOutputRows", "0"));
        } catch (RuntimeException e) {
            throw MeshException.infrastructure("cannot write quarantine table " + path + ": " + e.getMessage(), e);
        }
    }
}
