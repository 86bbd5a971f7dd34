package dev.mesh.runtime.ingest;

import static org.apache.spark.sql.functions.col;

import dev.mesh.runtime.spark.DeltaLogs;
import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What a product's newest commit that carries it says in its {@link CommitMetadata}: commits the platform did not
 * make (maintenance) carry nothing and are passed over.
 */
final class PublishedCommits {
    /** Commits read per look into the history; a product's newest commit is nearly always the one. */
    private static final int BATCH = 20;

    private PublishedCommits() {}

    /** The product's latest version, and what {@code extract} finds in its newest commit that has it. */
    record Found<T>(long latestVersion, Optional<T> value) {}

    static <T> Optional<Found<T>> newest(SparkSession spark, String productPath,
            Function<String, Optional<T>> extract) {
        Optional<DeltaLogs.TableVersion> current = DeltaLogs.current(spark, productPath);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        long latest = current.get().version();
        DeltaTable table = DeltaTable.forPath(spark, productPath);
        for (long upTo = latest; upTo >= 0; upTo -= BATCH) {
            List<Row> commits = table.history((int) Math.min(Integer.MAX_VALUE, latest - upTo + BATCH))
                    .where(col("version").leq(upTo)).select("version", "userMetadata").orderBy(col("version").desc())
                    .collectAsList();
            for (Row commit : commits) {
                Optional<T> value = extract.apply(commit.isNullAt(1) ? null : commit.getString(1));
                if (value.isPresent()) {
                    return Optional.of(new Found<>(latest, value));
                }
            }
        }
        return Optional.of(new Found<>(latest, Optional.empty()));
    }
}
