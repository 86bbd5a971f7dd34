package dev.mesh.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * The hand-written job of {@link ProductVsHandwrittenBench} as a process of its own: a plain SparkSession (local[2],
 * Delta, the bench's shuffle partitions, none of the platform's settings), the job, stop. For
 * {@code bench/separate-processes.sh}, which times it from outside against {@code bin/mesh run}.
 *   HandwrittenJob LANDING OUT [csv|json]
 */
public final class HandwrittenJob {
    private HandwrittenJob() {}

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("hand-written")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .getOrCreate();
        try {
            long millis = ProductVsHandwrittenBench.handwritten(spark, Path.of(args[0]), Path.of(args[1]),
                    args.length > 2 && args[2].equals("csv"));
            System.out.printf(Locale.ROOT, "hand-written job: %.1f s%n", millis / 1e3);
        } finally {
            spark.stop();
        }
    }
}
