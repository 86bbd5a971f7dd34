package dev.mesh.runtime.spi;

import static java.util.Objects.requireNonNull;

import dev.mesh.spec.DomainSpec;
import dev.mesh.spec.ProductSpec;
import dev.mesh.runtime.zone.ZoneLayout;
import java.util.function.BiPredicate;
import org.apache.spark.sql.SparkSession;

/**
 * What an {@link InputReader} may use: the run's session, the zones, the product and domain being run, and which
 * landing files the product has already ingested (by input name), which an incremental read skips.
 */
public record InputContext(SparkSession spark, ZoneLayout zones, ProductSpec product, DomainSpec domain,
        BiPredicate<String, SourceFile> ingested) {
    /** Nothing ingested yet: every file is read. */
    public static final BiPredicate<String, SourceFile> NOTHING_INGESTED = (input, file) -> false;

    public InputContext {
        requireNonNull(spark, "spark is null");
        requireNonNull(zones, "zones is null");
        requireNonNull(product, "product is null");
        requireNonNull(domain, "domain is null");
        requireNonNull(ingested, "ingested is null");
    }

    public InputContext(SparkSession spark, ZoneLayout zones, ProductSpec product, DomainSpec domain) {
        this(spark, zones, product, domain, NOTHING_INGESTED);
    }
}
