package dev.mesh.runtime.ingest;

import static org.apache.spark.sql.functions.col;

import dev.mesh.runtime.spark.DeltaLogs;
import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The high-water marks a product has published, read from its newest commit that carries them: every platform commit
 * of a product read by a watermark carries the marks of all such inputs, so the newest one is the whole answer.
 * Commits the platform did not make (maintenance) carry none and are passed over.
 */
public final class PublishedWatermarks {
    /** Commits read per look into the history; a product's newest commit is nearly always the one. */
    private static final int BATCH = 20;

    /** The marks, and the product version they are published up to (-1 when the product has no table yet). */
    public record Marks(long productVersion, Map<String, String> byInput) {
        public static final Marks NONE = new Marks(-1, Map.of());

        public Marks {
            byInput = Map.copyOf(byInput);
        }
    }

    private PublishedWatermarks() {}

    public static Marks read(SparkSession spark, String productPath) {
        Optional<DeltaLogs.TableVersion> current = DeltaLogs.current(spark, productPath);
        if (current.isEmpty()) {
            return Marks.NONE;
        }
        long latest = current.get().version();
        DeltaTable table = DeltaTable.forPath(spark, productPath);
        for (long upTo = latest; upTo >= 0; upTo -= BATCH) {
            List<Row> commits = table.history((int) Math.min(Integer.MAX_VALUE, latest - upTo + BATCH))
                    .where(col("version").leq(upTo)).select("version", "userMetadata").orderBy(col("version").desc())
                    .collectAsList();
            for (Row commit : commits) {
                Optional<Map<String, String>> marks = CommitMetadata.watermarks(commit.isNullAt(1) ? null
                        : commit.getString(1));
                if (marks.isPresent()) {
                    return new Marks(latest, marks.get());
                }
            }
        }
        return new Marks(latest, Map.of());
    }
}
