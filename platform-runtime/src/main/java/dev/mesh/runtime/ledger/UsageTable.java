package dev.mesh.runtime.ledger;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.spi.PlatformTable;
import dev.mesh.runtime.spi.RowBuilder;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
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

    /**
     * What the zones (of one domain, if given) held when last measured (none before a run measured them), by domain
     * and zone, and what the latest {@code runLimit} runs used, newest first.
     */
    public record Summary(List<UsageRecord.Zone> zones, List<UsageRecord.Run> runs) {}

    /** The {@link Summary} of the table, read once. */
    public static Summary summary(PlatformTables tables, Optional<String> domain, int runLimit) {
        Dataset<Row> all = tables.read(TABLE);
        Dataset<Row> usage = domain.map(name -> all.where(col("domain").equalTo(name))).orElse(all).cache();
        try {
            return new Summary(latestZones(usage), latestRuns(usage, runLimit));
        } finally {
            usage.unpersist();
        }
    }

    private static List<UsageRecord.Zone> latestZones(Dataset<Row> usage) {
        Dataset<Row> zones = usage.where(col("kind").equalTo(UsageRecord.Kind.ZONE.column()));
        Row latest = zones.agg(max("recorded_at")).head();
        if (latest.isNullAt(0)) {
            return List.of();
        }
        return zones.where(col("recorded_at").equalTo(latest.getTimestamp(0))).orderBy("domain", "zone")
                .collectAsList().stream()
                .map(row -> new UsageRecord.Zone(row.getTimestamp(row.fieldIndex("recorded_at")).toInstant(),
                        row.getAs("domain"), row.getAs("zone"), row.<Long>getAs("bytes"), row.<Long>getAs("files")))
                .toList();
    }

    private static List<UsageRecord.Run> latestRuns(Dataset<Row> usage, int limit) {
        return usage.where(col("kind").equalTo(UsageRecord.Kind.RUN.column())).orderBy(col("recorded_at").desc())
                .limit(limit).collectAsList().stream()
                .map(row -> new UsageRecord.Run(row.getTimestamp(row.fieldIndex("recorded_at")).toInstant(),
                        row.getAs("domain"), row.getAs("product"), row.getAs("run_id"), new RunUsage(
                                number(row, "cpu_ms"), number(row, "task_ms"), number(row, "bytes_read"),
                                number(row, "records_read"), number(row, "bytes_written"),
                                number(row, "records_written"), number(row, "files_written"))))
                .toList();
    }

    private static long number(Row row, String column) {
        Long value = row.getAs(column);
        return value == null ? 0 : value;
    }
}
