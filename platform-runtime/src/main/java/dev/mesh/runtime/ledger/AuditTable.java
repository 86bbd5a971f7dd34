package dev.mesh.runtime.ledger;

import java.util.Map;
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
}
