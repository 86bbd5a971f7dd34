package dev.mesh.quality;

import dev.mesh.quality.deequ.DeequVerification;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.spi.MetricHistory;
import dev.mesh.runtime.spi.QualityGate;
import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.ProductSpec;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The quality gate on Deequ: all dataset-level rules and anomaly rules of a product in one verification run. */
public final class DeequQualityGate implements QualityGate {
    @Override
    public GateResult evaluate(Dataset<Row> candidate, ProductSpec product, List<CheckSpec> checks,
            MetricHistory history) {
        return DeequVerification.verify(candidate, checks, product.quality().anomalies(), history);
    }
}
