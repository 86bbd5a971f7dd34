package dev.mesh.runtime.ledger;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code _platform/usage}: infrastructure usage, a row per run and per domain zone measured. */
public final class UsageTable implements PlatformTable<UsageRecord> {
    public static final UsageTable TABLE = new UsageTable();

    private static final StructType SCHEMA = new StructType()
            .add("kind", DataTypes.StringType, false)
            .add("recorded_at", DataTypes.TimestampType, false)
            .add("domain", DataTypes.StringType, false)
            .add("product", DataTypes.StringType, true)
            .add("run_id", DataTypes.StringType, true)
            .add("zone", DataTypes.StringType, true)
            .add("cpu_ms", DataTypes.LongType, true)
            .add("task_ms", DataTypes.LongType, true)
            .add("bytes_read", DataTypes.LongType, true)
            .add("records_read", DataTypes.LongType, true)
            .add("bytes_written", DataTypes.LongType, true)
            .add("records_written", DataTypes.LongType, true)
            .add("files_written", DataTypes.LongType, true)
            .add("bytes", DataTypes.LongType, true)
            .add("files", DataTypes.LongType, true);

    @Override
    public String name() {
        return "usage";
    }

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Row toRow(UsageRecord record) {
        RowBuilder row = RowBuilder.of(SCHEMA).set("recorded_at", record.recordedAt()).set("domain", record.domain());
        if (record instanceof UsageRecord.Run run) {
            return row.set("kind", UsageRecord.Kind.RUN.column())
                    .set("product", run.product())
                    .set("run_id", run.runId())
                    .set("cpu_ms", run.usage().cpuMillis())
                    .set("task_ms", run.usage().taskMillis())
                    .set("bytes_read", run.usage().bytesRead())
                    .set("records_read", run.usage().recordsRead())
                    .set("bytes_written", run.usage().bytesWritten())
                    .set("records_written", run.usage().recordsWritten())
                    .set("files_written", run.usage().filesWritten())
                    .build();
        }
        UsageRecord.Zone zone = (UsageRecord.Zone) record;
        return row.set("kind", UsageRecord.Kind.ZONE.column())
                .set("zone", zone.zone())
                .set("bytes", zone.bytes())
                .set("files", zone.files())
                .build();
    }
}
