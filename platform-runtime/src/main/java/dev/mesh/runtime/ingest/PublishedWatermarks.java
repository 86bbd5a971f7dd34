package dev.mesh.runtime.ingest;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The high-water marks a product has published, read from its newest commit that carries them: every platform commit
 * of a product read by a watermark carries the marks of all such inputs, so the newest one is the whole answer.
 * Commits the platform did not make (maintenance) carry none and are passed over.
 */
public final class PublishedWatermarks {
    /** The marks, and the product version they are published up to (-1 when the product has no table yet). */
    public record Marks(long productVersion, Map<String, String> byInput) {
        public static final Marks NONE = new Marks(-1, Map.of());

        public Marks {
            byInput = Map.copyOf(byInput);
        }
    }

    private PublishedWatermarks() {}

    public static Marks read(SparkSession spark, String productPath) {
        return PublishedCommits.newest(spark, productPath, CommitMetadata::watermarks)
                .map(found -> new Marks(found.latestVersion(), found.value().orElse(Map.of())))
                .orElse(Marks.NONE);
    }
}
