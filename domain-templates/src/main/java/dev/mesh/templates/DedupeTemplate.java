package dev.mesh.templates;

import dev.mesh.runtime.spi.ProductTemplate;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.TemplateParameters;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs {@link DedupeDescriptor}: one row per key, the one with the greatest {@code orderBy} values (nulls lose). The
 * rule is total ({@link LatestRows}), so the result never depends on how the input was split: rows that tie on
 * {@code orderBy} are ordered by every other column in the input's order.
 */
public final class DedupeTemplate implements ProductTemplate {
    @Override
    public String name() {
        return DedupeDescriptor.NAME;
    }

    @Override
    public Dataset<Row> transform(SparkSession spark, ProductSpec product, Map<String, Dataset<Row>> inputs) {
        Dataset<Row> input = inputs.values().iterator().next();
        TemplateParameters parameters = product.transform().parameters();
        List<String> keys = LatestRows.resolve(input, parameters.strings("keys"), "transform.keys", product);
        List<String> orderBy = LatestRows.resolve(input, parameters.strings("orderBy"), "transform.orderBy", product);
        return LatestRows.keep(input, keys,
                orderBy.stream().map(column -> LatestRows.column(column).desc_nulls_last()).toList(),
                Set.copyOf(orderBy));
    }
}
