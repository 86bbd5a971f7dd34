package dev.mesh.templates;

import dev.mesh.runtime.spi.ProductTemplate;
import dev.mesh.spec.model.ProductSpec;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Publishes the product's one input as declared: the runtime then projects and casts it to the output schema. */
public final class IngestTemplate implements ProductTemplate {
    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public Dataset<Row> transform(SparkSession spark, ProductSpec product, Map<String, Dataset<Row>> inputs) {
        return inputs.values().iterator().next();
    }
}
