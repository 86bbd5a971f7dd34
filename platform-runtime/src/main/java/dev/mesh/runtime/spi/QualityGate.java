package dev.mesh.runtime.spi;

import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.ProductSpec;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Evaluates a product's dataset-level rules on candidate data; found through {@link java.util.ServiceLoader}. */
public interface QualityGate {
    /**
     * Evaluates every check, and every anomaly rule of the product against {@code history}, in one pass over
     * {@code candidate}, which the caller has persisted.
     */
    GateResult evaluate(Dataset<Row> candidate, ProductSpec product, List<CheckSpec> checks, MetricHistory history);
}
