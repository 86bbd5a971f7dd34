package dev.mesh.runtime.ledger;

import static org.apache.spark.sql.functions.col;

import dev.mesh.runtime.spi.PlatformTable;
import dev.mesh.runtime.spi.RowBuilder;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code _platform/audit}: who did what to which part of the mesh, under which spec and policy versions. Delta
 * itself keeps it append-only ({@code delta.appendOnly}): a DELETE or UPDATE of its rows is refused.
 */
public final class AuditTable implements PlatformTable<AuditRecord> {
    public static final AuditTable TABLE = new AuditTable();

    private static final StructType SCHEMA = new StructType()
            .add("at", DataTypes.TimestampType, false)
            .add("principal", DataTypes.StringType, false)
            .add("action", DataTypes.StringType, false)
            .add("domain", DataTypes.StringType, true)
            .add("target", DataTypes.StringType, false)
            .add("spec_hash", DataTypes.StringType, true)
            .add("policy_version", DataTypes.StringType, true)
            .add("outcome", DataTypes.StringType, false)
            .add("detail", DataTypes.StringType, true)
            .add("run_id", DataTypes.StringType, true);

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Map<String, String> properties() {
        return Map.of("delta.appendOnly", "true");
    }

    @Override
    public Row toRow(AuditRecord record) {
        return RowBuilder.of(SCHEMA)
                .set("at", record.at())
                .set("principal", record.principal())
                .set("action", record.action().column())
                .set("domain", record.domain())
                .set("target", record.target())
                .set("spec_hash", record.specHash())
                .set("policy_version", record.policyVersion())
                .set("outcome", record.outcome())
                .set("detail", record.detail())
                .set("run_id", record.runId())
                .build();
    }

    /** Which rows to read: a domain's, one action's, those since an instant; newest first, at most {@code limit}. */
    public record Filter(Optional<String> domain, Optional<AuditRecord.Action> action, Optional<Instant> since,
            int limit) {}

    /** The rows {@code filter} selects, newest first; none when there is no audit trail yet. */
    public static List<AuditRecord> query(PlatformTables tables, Filter filter) {
        if (!tables.exists(TABLE)) {
            return List.of();
        }
        Dataset<Row> rows = tables.read(TABLE);
        if (filter.domain().isPresent()) {
            rows = rows.where(col("domain").equalTo(filter.domain().get()));
        }
        if (filter.action().isPresent()) {
            rows = rows.where(col("action").equalTo(filter.action().get().column()));
        }
        if (filter.since().isPresent()) {
            rows = rows.where(col("at").geq(Timestamp.from(filter.since().get())));
        }
        return rows.orderBy(col("at").desc()).limit(filter.limit()).collectAsList().stream()
                .map(AuditTable::record).toList();
    }

    private static AuditRecord record(Row row) {
        return new AuditRecord(row.getTimestamp(row.fieldIndex("at")).toInstant(), row.getAs("principal"),
                AuditRecord.Action.valueOf(row.<String>getAs("action").toUpperCase(Locale.ROOT)), row.getAs("domain"),
                row.getAs("target"), row.getAs("spec_hash"), row.getAs("policy_version"), row.getAs("outcome"),
                row.getAs("detail"), row.getAs("run_id"));
    }
}
