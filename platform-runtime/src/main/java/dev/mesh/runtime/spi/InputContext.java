package dev.mesh.runtime.spi;

import static java.util.Objects.requireNonNull;

import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.ProductSpec;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * What an {@link InputReader} may use: the run's session, the zones, the product and domain being run, which landing
 * files the product has already ingested (by input name, with what identified each) and the high-water marks it has
 * published (by input name), both of which an incremental read skips, and the environment variables specs name
 * (connection details).
 */
public record InputContext(SparkSession spark, ZoneLayout zones, ProductSpec product, DomainSpec domain,
        PublishedFiles ingested, Map<String, String> watermarks, Map<String, String> environment) {
    /** Nothing ingested yet: every file is read. */
    public static final PublishedFiles NOTHING_INGESTED = PublishedFiles.NONE;

    public InputContext {
        requireNonNull(spark, "spark is null");
        requireNonNull(zones, "zones is null");
        requireNonNull(product, "product is null");
        requireNonNull(domain, "domain is null");
        requireNonNull(ingested, "ingested is null");
        watermarks = Map.copyOf(watermarks);
        environment = Map.copyOf(environment);
    }

    public InputContext(SparkSession spark, ZoneLayout zones, ProductSpec product, DomainSpec domain) {
        this(spark, zones, product, domain, NOTHING_INGESTED, Map.of(), Map.of());
    }
}
