package dev.mesh.runtime.ledger;

import dev.mesh.runtime.spi.PlatformTable;
import dev.mesh.runtime.spi.RowBuilder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code _platform/quality_metrics}: one typed row per constraint and per metric of every gate evaluation. */
public final class QualityMetricsTable implements PlatformTable<QualityMetric> {
    public static final QualityMetricsTable TABLE = new QualityMetricsTable();

    private static final StructType SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("domain", DataTypes.StringType, false)
            .add("product", DataTypes.StringType, false)
            .add("row_type", DataTypes.StringType, false)
            .add("constraint", DataTypes.StringType, true)
            .add("level", DataTypes.StringType, true)
            .add("status", DataTypes.StringType, true)
            .add("entity", DataTypes.StringType, true)
            .add("instance", DataTypes.StringType, true)
            .add("metric_name", DataTypes.StringType, true)
            .add("value", DataTypes.DoubleType, true)
            .add("message", DataTypes.StringType, true)
            .add("recorded_at", DataTypes.TimestampType, false);

    @Override
    public String name() {
        return "quality_metrics";
    }

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Row toRow(QualityMetric metric) {
        return RowBuilder.of(SCHEMA)
                .set("run_id", metric.runId())
                .set("domain", metric.product().domain())
                .set("product", metric.product().name())
                .set("row_type", metric.kind().column())
                .set("constraint", metric.constraint())
                .set("level", metric.level() == null ? null : metric.level().name())
                .set("status", metric.outcome().column())
                .set("entity", metric.entity())
                .set("instance", metric.instance())
                .set("metric_name", metric.metricName())
                .set("value", metric.value())
                .set("message", metric.message())
                .set("recorded_at", metric.recordedAt())
                .build();
    }
}
