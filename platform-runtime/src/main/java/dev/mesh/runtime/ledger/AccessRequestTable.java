package dev.mesh.runtime.ledger;

import dev.mesh.runtime.spi.PlatformTable;
import dev.mesh.runtime.spi.RowBuilder;
import dev.mesh.spec.model.ProductId;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code _platform/access_requests}: a consumer domain asking for a product (with its purpose), and the producer's
 * owners approving, rejecting or later revoking it. Approved and not revoked, a request is a grant.
 */
public final class AccessRequestTable implements PlatformTable<AccessRequestTable.Event> {
    public static final AccessRequestTable TABLE = new AccessRequestTable();

    private static final StructType SCHEMA = new StructType()
            .add("at", DataTypes.TimestampType, false)
            .add("event", DataTypes.StringType, false)
            .add("request_id", DataTypes.StringType, false)
            .add("domain", DataTypes.StringType, false)
            .add("product", DataTypes.StringType, false)
            .add("consumer", DataTypes.StringType, false)
            .add("purpose", DataTypes.StringType, true)
            .add("principal", DataTypes.StringType, false)
            .add("note", DataTypes.StringType, true);

    /** What happened to a request. */
    public enum Kind {
        REQUESTED, APPROVED, REJECTED, REVOKED
    }

    /** One row: a request made, or decided, by {@code principal}. */
    public record Event(java.time.Instant at, Kind kind, String requestId, ProductId product, String consumer,
            Optional<String> purpose, String principal, Optional<String> note) {}

    @Override
    public String name() {
        return "access_requests";
    }

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Row toRow(Event event) {
        return RowBuilder.of(SCHEMA)
                .set("at", event.at())
                .set("event", event.kind().name().toLowerCase(Locale.ROOT))
                .set("request_id", event.requestId())
                .set("domain", event.product().domain())
                .set("product", event.product().name())
                .set("consumer", event.consumer())
                .set("purpose", event.purpose().orElse(null))
                .set("principal", event.principal())
                .set("note", event.note().orElse(null))
                .build();
    }

    static Event fromRow(LedgerRow row) {
        return new Event(row.instant("at"), Kind.valueOf(row.string("event").toUpperCase(Locale.ROOT)),
                row.string("request_id"), new ProductId(row.string("domain"), row.string("product")),
                row.string("consumer"), Optional.ofNullable(row.string("purpose")), row.string("principal"),
                Optional.ofNullable(row.string("note")));
    }
}
