package dev.mesh.runtime.ingest;

import dev.mesh.runtime.spark.DeltaLogs;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
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
        // the commits' files read newest first, a batch at a time; a version whose file is gone is passed over
        for (long upTo = latest; upTo >= 0; upTo -= BATCH) {
            List<DeltaLogs.CommitMetadata> commits = DeltaLogs.commits(spark, productPath,
                    Math.max(0, upTo - BATCH + 1), upTo);
            for (int i = commits.size() - 1; i >= 0; i--) {
                Optional<T> value = extract.apply(commits.get(i).userMetadata());
                if (value.isPresent()) {
                    return Optional.of(new Found<>(latest, value));
                }
            }
        }
        return Optional.of(new Found<>(latest, Optional.empty()));
    }
}
