package dev.mesh.runtime.spi;

import dev.mesh.spec.model.ProductSpec;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark side of a template (ingest, sql, ...); found through {@link java.util.ServiceLoader}. Its parameters
 * are declared and validated, without Spark, by the {@link dev.mesh.spec.spi.TemplateDescriptor} of the same name, and
 * reach {@link #transform} bound and checked in {@code product.transform().parameters()}.
 */
public interface ProductTemplate {
    /** The name of the template's descriptor, as products write it in {@code transform.template}. */
    String name();

    /**
     * Turns the inputs (by input name, each also registered as a temporary view of that name in {@code spark})
     * into the candidate output. The runtime then conforms the result to the output schema.
     */
    Dataset<Row> transform(SparkSession spark, ProductSpec product, Map<String, Dataset<Row>> inputs);

    /**
     * How the candidate changes the published table, for a template whose result is not rows to append, replace or
     * upsert as the output's mode says; empty (the default) for those that are.
     */
    default Optional<TableChange> tableChange(ProductSpec product) {
        return Optional.empty();
    }
}
