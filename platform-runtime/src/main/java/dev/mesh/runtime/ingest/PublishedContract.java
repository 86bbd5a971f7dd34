package dev.mesh.runtime.ingest;

import dev.mesh.spec.model.OutputContract;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/** The output contract a product was last published under, from its newest commit that records one. */
public final class PublishedContract {
    private PublishedContract() {}

    /** Empty when the product has no table yet, or only commits that record no contract (an older platform's). */
    public static Optional<OutputContract> read(SparkSession spark, String productPath) {
        return PublishedCommits.newest(spark, productPath, CommitMetadata::contract)
                .flatMap(PublishedCommits.Found::value);
    }
}
