package dev.mesh.templates;

import dev.mesh.runtime.spec.ProductSpec;
import dev.mesh.runtime.spec.TransformSpec.Template;
import dev.mesh.runtime.spi.ProductTemplate;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Runs the product's Spark SQL query over its inputs, each visible as a view named after the input. */
public final class SqlTemplate implements ProductTemplate {
    @Override
    public Template template() {
        return Template.SQL;
    }

    @Override
    public Dataset<Row> transform(SparkSession spark, ProductSpec product, Map<String, Dataset<Row>> inputs) {
        return spark.sql(product.transform().sql());
    }
}
