package dev.mesh.quality.sla;

import dev.mesh.runtime.ledger.PlatformTable;
import dev.mesh.runtime.ledger.RowBuilder;
import java.time.Duration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code _platform/sla_status}: one row per product and SLA evaluation: the level, why, and the measures behind it. */
public final class SlaStatusTable implements PlatformTable<SlaStatus> {
    public static final SlaStatusTable TABLE = new SlaStatusTable();

    private static final StructType SCHEMA = new StructType()
            .add("evaluated_at", DataTypes.TimestampType, false)
            .add("domain", DataTypes.StringType, false)
            .add("product", DataTypes.StringType, false)
            .add("status", DataTypes.StringType, false)
            .add("reasons", DataTypes.createArrayType(DataTypes.StringType), false)
            .add("last_success_at", DataTypes.TimestampType, true)
            .add("freshness_s", DataTypes.LongType, true)
            .add("freshness_limit_s", DataTypes.LongType, true)
            .add("quality_score", DataTypes.DoubleType, true)
            .add("min_quality_score", DataTypes.DoubleType, true)
            .add("last_duration_s", DataTypes.DoubleType, true)
            .add("max_duration_s", DataTypes.DoubleType, true)
            .add("success_rate", DataTypes.DoubleType, true)
            .add("min_success_rate", DataTypes.DoubleType, true)
            .add("runs_in_window", DataTypes.LongType, false);

    @Override
    public String name() {
        return "sla_status";
    }

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Row toRow(SlaStatus s) {
        return RowBuilder.of(SCHEMA)
                .set("evaluated_at", s.evaluatedAt())
                .set("domain", s.product().domain())
                .set("product", s.product().name())
                .set("status", s.level().name())
                .set("reasons", s.reasons())
                .set("last_success_at", s.lastSuccessAt())
                .set("freshness_s", s.freshness() == null ? null : s.freshness().toSeconds())
                .set("freshness_limit_s", s.freshnessLimit() == null ? null : s.freshnessLimit().toSeconds())
                .set("quality_score", s.qualityScore())
                .set("min_quality_score", s.minQualityScore())
                .set("last_duration_s", seconds(s.lastDuration()))
                .set("max_duration_s", seconds(s.maxDuration()))
                .set("success_rate", s.successRate())
                .set("min_success_rate", s.minSuccessRate())
                .set("runs_in_window", s.runsInWindow())
                .build();
    }

    private static Double seconds(Duration duration) {
        return duration == null ? null : duration.toMillis() / 1000.0;
    }
}
