package dev.mesh.runtime.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * One of the platform's Delta tables under {@code <root>/_platform/}: its name, its schema and how one of its records
 * becomes a row. Each table is a class of the module that writes it (runs, quality metrics and usage here; SLA status
 * and feedback in the quality module), registered in that module's
 * {@code META-INF/services/dev.mesh.runtime.spi.PlatformTable} so that provisioning and {@code mesh sql} find
 * every one. Tables are append-only.
 *
 * @param <R> the record one row holds
 */
public interface PlatformTable<R> {
    /** The table's folder under {@code _platform/} and its name in {@code mesh sql} ({@code platform.NAME}). */
    String name();

    StructType schema();

    /** Delta table properties the table is created with (none by default). */
    default Map<String, String> properties() {
        return Map.of();
    }

    /** The row of one record, built by column name ({@link RowBuilder}). */
    Row toRow(R record);

    /** Every table registered on the classpath, in registration order. */
    static List<PlatformTable<?>> all() {
        List<PlatformTable<?>> tables = new ArrayList<>();
        ServiceLoader.load(PlatformTable.class, PlatformTable.class.getClassLoader())
                .forEach(table -> tables.add((PlatformTable<?>) table));
        return tables;
    }
}
