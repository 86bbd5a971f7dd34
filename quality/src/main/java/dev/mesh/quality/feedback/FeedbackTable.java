package dev.mesh.quality.feedback;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.row_number;

import dev.mesh.runtime.spi.PlatformTable;
import dev.mesh.runtime.spi.RowBuilder;
import dev.mesh.spec.model.ProductId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code _platform/feedback}: consumers' ratings and comments, one row each. */
public final class FeedbackTable implements PlatformTable<Feedback> {
    public static final FeedbackTable TABLE = new FeedbackTable();

    private static final StructType SCHEMA = new StructType()
            .add("recorded_at", DataTypes.TimestampType, false)
            .add("domain", DataTypes.StringType, false)
            .add("product", DataTypes.StringType, false)
            .add("from_domain", DataTypes.StringType, true)
            .add("rating", DataTypes.IntegerType, false)
            .add("comment", DataTypes.StringType, true);

    @Override
    public String name() {
        return "feedback";
    }

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Row toRow(Feedback feedback) {
        return RowBuilder.of(SCHEMA)
                .set("recorded_at", feedback.recordedAt())
                .set("domain", feedback.product().domain())
                .set("product", feedback.product().name())
                .set("from_domain", feedback.fromDomain())
                .set("rating", feedback.rating())
                .set("comment", feedback.comment())
                .build();
    }

    /**
     * Each product's feedback summary, from the rows of this table: the average and count aggregated in Spark, and
     * only the {@code latest} newest rows per product brought to the driver.
     */
    public static Map<ProductId, FeedbackSummary> summaries(Dataset<Row> table, int latest) {
        // one pass: each product's average and count ride along on its newest rows, the only rows collected
        WindowSpec product = Window.partitionBy("domain", "product");
        Map<ProductId, List<Feedback>> newest = new LinkedHashMap<>();
        Map<ProductId, Row> stats = new HashMap<>();
        for (Row row : table.withColumn("recency", row_number().over(product.orderBy(col("recorded_at").desc())))
                .withColumn("average_rating", avg("rating").over(product))
                .withColumn("ratings", count("*").over(product))
                .where(col("recency").leq(latest)).orderBy(col("recorded_at").desc()).collectAsList()) {
            Feedback one = fromRow(row);
            newest.computeIfAbsent(one.product(), k -> new ArrayList<>()).add(one);
            stats.putIfAbsent(one.product(), row);
        }
        Map<ProductId, FeedbackSummary> summaries = new HashMap<>();
        newest.forEach((id, rows) -> summaries.put(id, new FeedbackSummary(
                stats.get(id).getDouble(stats.get(id).fieldIndex("average_rating")),
                stats.get(id).getLong(stats.get(id).fieldIndex("ratings")), rows)));
        return summaries;
    }

    /** The feedback a row holds. */
    public static Feedback fromRow(Row row) {
        return new Feedback(row.getTimestamp(row.fieldIndex("recorded_at")).toInstant(),
                new ProductId(row.getString(row.fieldIndex("domain")), row.getString(row.fieldIndex("product"))),
                row.getString(row.fieldIndex("from_domain")), row.getInt(row.fieldIndex("rating")),
                row.getString(row.fieldIndex("comment")));
    }
}
