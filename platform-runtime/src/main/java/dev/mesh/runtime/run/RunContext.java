package dev.mesh.runtime.run;

import static java.util.Objects.requireNonNull;

import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.MeshSpec;
import java.time.Clock;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * What a {@link RunListener} may use: the session, the mesh, its zones and platform tables, the clock, and the
 * environment variables that specs name (webhook URLs, credentials), and the id of the invocation (one command or
 * spark-submit: the runs of one runner) the runs belong to.
 */
public record RunContext(SparkSession spark, MeshSpec mesh, ZoneLayout zones, PlatformTables tables, Clock clock,
        Map<String, String> environment, String invocationId) {
    public RunContext {
        requireNonNull(spark, "spark is null");
        requireNonNull(mesh, "mesh is null");
        requireNonNull(zones, "zones is null");
        requireNonNull(tables, "tables is null");
        requireNonNull(clock, "clock is null");
        environment = Map.copyOf(environment);
        requireNonNull(invocationId, "invocationId is null");
    }

    /** A context of a new invocation. */
    public RunContext(SparkSession spark, MeshSpec mesh, ZoneLayout zones, PlatformTables tables, Clock clock,
            Map<String, String> environment) {
        this(spark, mesh, zones, tables, clock, environment, java.util.UUID.randomUUID().toString());
    }
}
