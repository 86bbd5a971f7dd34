package dev.mesh.runtime.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One row of a platform table read without Spark ({@link DirectPlatformTables}): its values by column name, as plain
 * Java values. A column the table does not have (an older ledger) reads as null.
 */
public record LedgerRow(Map<String, Object> values) {
    public Object get(String column) {
        return values.get(column);
    }

    public boolean isNull(String column) {
        return values.get(column) == null;
    }

    public String string(String column) {
        return (String) values.get(column);
    }

    public Long number(String column) {
        return (Long) values.get(column);
    }

    public Double decimal(String column) {
        return (Double) values.get(column);
    }

    public Instant instant(String column) {
        return (Instant) values.get(column);
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String column) {
        return (List<String>) values.get(column);
    }
}
