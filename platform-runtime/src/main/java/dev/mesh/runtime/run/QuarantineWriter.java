package dev.mesh.runtime.run;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.ProductSpec;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Writes rejected records to the product's quarantine table (Delta, in the domain's zone) with the run id, the input
 * and file they came from and every reason they were rejected, so that nothing is dropped silently. Each rejected
 * record is quarantined once: a record already in the table (same input, file, record and reasons, by its
 * {@code record_key}) is not added again when a later run reads its file again (a run that failed the gate, was
 * killed, or rebuilds the product).
 */
final class QuarantineWriter {

    private final ZoneLayout zones;

    QuarantineWriter(ZoneLayout zones) {
        this.zones = requireNonNull(zones, "zones is null");
    }

    /**
     * How many records a run quarantined; {@code lostTo}, the product's version when another run of the product wrote
     * its quarantine at the same time (nothing of this attempt is kept: it starts again).
     */
    record Written(long count, OptionalLong lostTo) {
        static final Written NOTHING = new Written(0, OptionalLong.empty());
    }

    /**
     * Adds the records the inputs' readers rejected and the rows that broke row rules ({@code ruleBreakers}:
     * input, reasons, record, file); returns how many this run rejected.
     */
    Written write(ProductSpec product, String runId, List<ResolvedInput> inputs, Optional<Dataset<Row>> ruleBreakers,
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
        if (all == null) {
            return Written.NOTHING;
        }
        String id = product.id().toString();
        Dataset<Row> records = all.select(lit(runId).as("run_id"), lit(id).as("product"), col("input"),
                col("reasons"), col("record"), lit(Timestamp.from(now)).as("quarantined_at"), col("file"),
                sha2(concat_ws("\u0001", lit(id), col("input"), coalesce(col("file"), lit("")), col("record"),
                        array_join(col("reasons"), "\u0001")), 256).as("record_key"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long count = records.count();
            if (count == 0) {
                return Written.NOTHING;
            }
            String path = zones.quarantine(product.id());
            zones.requireInsideZone(product.domain(), path);
            if (!DeltaTables.exists(records.sparkSession(), path)) {
                records.write().format("delta").mode("append").save(path);
            } else {
                // an insert-only MERGE: idempotent, and older tables gain the record_key column
                records.sparkSession().conf().set(DeltaTables.AUTO_MERGE, "true");
                try {
                    DeltaTable.forPath(records.sparkSession(), path).as("q")
                            .merge(records.as("r"), "q.record_key = r.record_key")
                            .whenNotMatched().insertAll()
                            .execute();
                } finally {
                    records.sparkSession().conf().unset(DeltaTables.AUTO_MERGE);
                }
            }
            return new Written(count, OptionalLong.empty());
        } catch (MeshException e) {
            throw e;
        } catch (RuntimeException e) {
            if (DeltaTables.concurrentModification(e)) {
                // another run of the product wrote its quarantine at the same time: this attempt starts again
                return new Written(0, OptionalLong.of(DeltaTables.latestVersion(records.sparkSession(),
                        zones.product(product.id())).orElse(-1L)));
            }
            throw MeshException.infrastructure("cannot write quarantine table " + zones.quarantine(product.id())
                    + ": " + e.getMessage(), e);
        } finally {
            records.unpersist(false);
        }
    }
}
