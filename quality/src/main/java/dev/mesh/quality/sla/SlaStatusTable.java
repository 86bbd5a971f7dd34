package dev.mesh.quality.sla;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;

import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.spi.PlatformTable;
import dev.mesh.runtime.spi.RowBuilder;
import dev.mesh.spec.model.ProductId;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
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

    /** What the SLA monitor last said of a product: its level, its last publication, its quality score. */
    public record Latest(SlaStatus.Level level, Instant lastSuccess, Double qualityScore) {}

    /** The latest evaluation of every product evaluated so far, in one query. */
    public static Map<ProductId, Latest> latest(PlatformTables tables) {
        Map<ProductId, Latest> latest = new HashMap<>();
        if (!tables.exists(TABLE)) {
            return latest;
        }
        for (Row row : tables.read(TABLE).groupBy("domain", "product")
                .agg(max_by(struct(col("status"), col("last_success_at"), col("quality_score")),
                        col("evaluated_at")).as("latest"))
                .select("domain", "product", "latest.status", "latest.last_success_at", "latest.quality_score")
                .collectAsList()) {
            latest.put(new ProductId(row.getString(0), row.getString(1)), new Latest(
                    SlaStatus.Level.valueOf(row.getString(2)), row.isNullAt(3) ? null : row.getTimestamp(3).toInstant(),
                    row.isNullAt(4) ? null : row.getDouble(4)));
        }
        return latest;
    }
}
