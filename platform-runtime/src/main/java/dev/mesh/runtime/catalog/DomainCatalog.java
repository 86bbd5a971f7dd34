package dev.mesh.runtime.catalog;

import static java.util.Objects.requireNonNull;

import dev.mesh.runtime.spark.CatalogTables;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductSpec;
import org.apache.spark.sql.SparkSession;

/**
 * One catalog database per domain and its published products as tables by location, so that
 * {@code SELECT * FROM sales.orders} works. Spark's built-in catalog lives only as long as its session, so a
 * session registers them when it starts; with a Hive metastore this would happen once, at provisioning.
 */
public final class DomainCatalog {
    /** A product's quarantine reads as {@code DOMAIN.PRODUCT__quarantine} in {@code mesh sql}. */
    public static final String QUARANTINE_SUFFIX = "__quarantine";

    private final SparkSession spark;
    private final ZoneLayout zones;

    public DomainCatalog(SparkSession spark, ZoneLayout zones) {
        this.spark = requireNonNull(spark, "spark is null");
        this.zones = requireNonNull(zones, "zones is null");
    }

    /** Creates the domain's database; false when it already existed. */
    public boolean createDatabase(String domain) {
        if (spark.catalog().databaseExists(domain)) {
            return false;
        }
        spark.sql("CREATE DATABASE IF NOT EXISTS `" + domain + "` LOCATION '" + zones.products(domain) + "'");
        return true;
    }

    /** Registers every domain database and every product that has been published at least once. */
    public void registerAll(MeshSpec mesh) {
        mesh.domains().forEach(domain -> createDatabase(domain.name()));
        for (ProductSpec product : mesh.products()) {
            registerTable(product);
        }
    }

    /**
     * Registers, of the products published at least once, those {@code reader} may read: its own, and the others'
     * whose access lets it (their ports hold the protected values).
     */
    public void registerVisibleTo(MeshSpec mesh, String reader) {
        mesh.domains().forEach(domain -> createDatabase(domain.name()));
        for (ProductSpec product : mesh.products()) {
            if (product.access().allows(product.domain(), reader)) {
                registerTable(product);
            }
        }
    }

    public void registerTable(ProductSpec product) {
        String path = zones.product(product.id());
        if (DeltaTables.exists(spark, path)) {
            register(product.domain(), product.name(), path);
        }
    }

    /**
     * Registers the product's quarantine (the records its runs rejected, with their reasons) as
     * {@code DOMAIN.PRODUCT__quarantine}, once something was quarantined.
     */
    public void registerQuarantine(ProductSpec product) {
        String path = zones.quarantine(product.id());
        if (DeltaTables.exists(spark, path)) {
            register(product.domain(), product.name() + QUARANTINE_SUFFIX, path);
        }
    }

    /** Makes {@code database.name} the Delta table at {@code path}, whatever the session held under the name. */
    public void register(String database, String name, String path) {
        CatalogTables.register(spark, database, name, path);
    }
}
