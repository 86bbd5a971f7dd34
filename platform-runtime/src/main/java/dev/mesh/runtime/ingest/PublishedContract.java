package dev.mesh.runtime.ingest;

import dev.mesh.runtime.kernel.KernelDeltaTable;
import dev.mesh.spec.model.OutputContract;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/** The output contract a product was last published under, from its newest commit that records one. */
public final class PublishedContract {
    private PublishedContract() {}

    /** Empty when the product has no table yet, or only commits that record no contract (an older platform's). */
    public static Optional<OutputContract> read(SparkSession spark, String productPath) {
        return PublishedCommits.newest(spark, productPath, CommitMetadata::contract)
                .flatMap(PublishedCommits.Found::value);
    }

    /** The same, read through Delta Kernel and the log's commit files: no SparkSession (for {@code mesh validate}). */
    public static Optional<OutputContract> read(Configuration hadoop, String productPath) {
        return KernelDeltaTable.at(hadoop, productPath).newestCommitWith(CommitMetadata::contract)
                .flatMap(found -> found);
    }
}
