package dev.mesh.runtime.spi;

import dev.mesh.spec.TransformSpec;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import dev.mesh.spec.ProductSpec;

/** A templated transformation (ingest, SQL, ...); found through {@link java.util.ServiceLoader}. */
public interface ProductTemplate {
    TransformSpec.Template template();

    /**
     * Turns the inputs (by input name, each also registered as a temporary view of that name in {@code spark})
     * into the candidate output. The runtime then conforms the result to the output schema.
     */
    Dataset<Row> transform(SparkSession spark, ProductSpec product, Map<String, Dataset<Row>> inputs);
}
