package dev.mesh.runtime.spi;

import static java.util.Objects.requireNonNull;

import dev.mesh.runtime.spec.DomainSpec;
import dev.mesh.runtime.spec.ProductSpec;
import dev.mesh.runtime.zone.ZoneLayout;
import org.apache.spark.sql.SparkSession;

/** What an {@link InputReader} may use: the run's session, the zones, and the product and domain being run. */
public record InputContext(SparkSession spark, ZoneLayout zones, ProductSpec product, DomainSpec domain) {
    public InputContext {
        requireNonNull(spark, "spark is null");
        requireNonNull(zones, "zones is null");
        requireNonNull(product, "product is null");
        requireNonNull(domain, "domain is null");
    }
}
