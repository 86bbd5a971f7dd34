package dev.mesh.runtime.spark;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.catalog.CatalogTableType;
import org.apache.spark.sql.catalyst.catalog.SessionCatalog;
import scala.Option;

/**
 * Names in the session's catalog for Delta tables at known locations. A session that lives on (a server, a test JVM
 * running many commands) may hold a name from another mesh or storage root, at a location that may no longer exist:
 * the catalog's own record is compared without reading the table, and an external table registered elsewhere is
 * unregistered (its files stay where they are) before the name is given the new location.
 */
public final class CatalogTables {
    private CatalogTables() {}

    /** Makes {@code database.name} the Delta table at {@code path}; the database must exist. */
    public static void register(SparkSession spark, String database, String name, String path) {
        SessionCatalog catalog = spark.sessionState().catalog();
        TableIdentifier id = new TableIdentifier(name, Option.apply(database));
        if (catalog.tableExists(id)) {
            CatalogTable table;
            try {
                table = catalog.getTableMetadata(id);
            } catch (AnalysisException e) {
                throw new IllegalStateException(database + "." + name + " cannot be looked up: " + e.getMessage(), e);
            }
            if (same(table.location().toString(), path)) {
                return;
            }
            if (!table.tableType().equals(CatalogTableType.EXTERNAL())) {
                throw new IllegalStateException(database + "." + name + " is registered as a "
                        + table.tableType().name() + " table, not at the product's location " + path);
            }
            catalog.dropTable(id, true, false);
        }
        spark.sql("CREATE TABLE IF NOT EXISTS `" + database + "`.`" + name + "` USING delta LOCATION '" + path + "'");
    }

    private static boolean same(String location, String path) {
        return normal(location).equals(normal(path));
    }

    private static String normal(String location) {
        String path = location.startsWith("file:") ? new Path(location).toUri().getPath() : location;
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
