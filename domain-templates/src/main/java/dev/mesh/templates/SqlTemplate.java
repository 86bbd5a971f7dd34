package dev.mesh.templates;

import dev.mesh.runtime.spi.ProductTemplate;
import dev.mesh.runtime.sql.SqlGuard;
import dev.mesh.spec.model.ProductSpec;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the product's Spark SQL query over its inputs, each visible as a view named after the input. The text is
 * parsed and checked first: only exactly one query that reads nothing but the inputs ever reaches Spark's analyser,
 * so no statement of it is executed while the plan is being built.
 */
public final class SqlTemplate implements ProductTemplate {
    @Override
    public String name() {
        return "sql";
    }

    @Override
    public Dataset<Row> transform(SparkSession spark, ProductSpec product, Map<String, Dataset<Row>> inputs) {
        return SqlGuard.query(spark, product.transform().parameters().requiredString("sql"),
                inputs.keySet(), product.id() + " (" + product.file() + "): transform.sql");
    }
}
