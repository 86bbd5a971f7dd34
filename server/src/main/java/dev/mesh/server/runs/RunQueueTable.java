package dev.mesh.server.runs;

import dev.mesh.runtime.ledger.LedgerRow;
import dev.mesh.runtime.spi.PlatformTable;
import dev.mesh.runtime.spi.RowBuilder;
import dev.mesh.spec.model.ProductId;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code _platform/run_queue}: the runs {@code mesh serve} was asked for, as they are queued, start and finish. */
public final class RunQueueTable implements PlatformTable<QueueEvent> {
    public static final RunQueueTable TABLE = new RunQueueTable();

    private static final StructType SCHEMA = new StructType()
            .add("at", DataTypes.TimestampType, false)
            .add("event", DataTypes.StringType, false)
            .add("run_id", DataTypes.StringType, false)
            .add("domain", DataTypes.StringType, false)
            .add("product", DataTypes.StringType, false)
            .add("principal", DataTypes.StringType, false)
            .add("force", DataTypes.BooleanType, false)
            .add("full_refresh", DataTypes.BooleanType, false)
            .add("status", DataTypes.StringType, true)
            .add("error", DataTypes.StringType, true);

    @Override
    public String name() {
        return "run_queue";
    }

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Row toRow(QueueEvent event) {
        return RowBuilder.of(SCHEMA)
                .set("at", event.at())
                .set("event", event.kind().name().toLowerCase(Locale.ROOT))
                .set("run_id", event.runId())
                .set("domain", event.product().domain())
                .set("product", event.product().name())
                .set("principal", event.principal())
                .set("force", event.force())
                .set("full_refresh", event.fullRefresh())
                .set("status", event.status().orElse(null))
                .set("error", event.error().orElse(null))
                .build();
    }

    static QueueEvent fromRow(LedgerRow row) {
        return new QueueEvent(row.instant("at"), QueueEvent.Kind.valueOf(row.string("event").toUpperCase(Locale.ROOT)),
                row.string("run_id"), new ProductId(row.string("domain"), row.string("product")),
                row.string("principal"), (Boolean) row.get("force"), (Boolean) row.get("full_refresh"),
                Optional.ofNullable(row.string("status")), Optional.ofNullable(row.string("error")));
    }
}
