package dev.mesh.server.auth;

import dev.mesh.runtime.ledger.LedgerRow;
import dev.mesh.runtime.spi.PlatformTable;
import dev.mesh.runtime.spi.RowBuilder;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code _platform/api_tokens}: the API tokens made and revoked, each by its SHA-256 hash. */
public final class ApiTokenTable implements PlatformTable<ApiTokenEvent> {
    public static final ApiTokenTable TABLE = new ApiTokenTable();

    private static final StructType SCHEMA = new StructType()
            .add("at", DataTypes.TimestampType, false)
            .add("event", DataTypes.StringType, false)
            .add("token_id", DataTypes.StringType, false)
            .add("token_hash", DataTypes.StringType, true)
            .add("principal", DataTypes.StringType, false)
            .add("domain", DataTypes.StringType, true)
            .add("role", DataTypes.StringType, false)
            .add("expires_at", DataTypes.TimestampType, true)
            .add("by", DataTypes.StringType, false);

    @Override
    public String name() {
        return "api_tokens";
    }

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Row toRow(ApiTokenEvent event) {
        return RowBuilder.of(SCHEMA)
                .set("at", event.at())
                .set("event", event.kind().name().toLowerCase(Locale.ROOT))
                .set("token_id", event.tokenId())
                .set("token_hash", event.tokenHash())
                .set("principal", event.principal())
                .set("domain", event.domain().orElse(null))
                .set("role", event.role().label())
                .set("expires_at", event.expiresAt().orElse(null))
                .set("by", event.by())
                .build();
    }

    static ApiTokenEvent fromRow(LedgerRow row) {
        return new ApiTokenEvent(row.instant("at"),
                ApiTokenEvent.Kind.valueOf(row.string("event").toUpperCase(Locale.ROOT)), row.string("token_id"),
                row.string("token_hash"), row.string("principal"), Optional.ofNullable(row.string("domain")),
                Role.parse(row.string("role")), Optional.ofNullable(row.isNull("expires_at") ? null
                        : row.instant("expires_at")), row.string("by"));
    }
}
