package dev.mesh.runtime.run;

import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.spark.RunMetricsListener;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.MeshSpec;
import java.time.Clock;
import java.util.Map;

/**
 * What every run of a runner shares: the mesh, its zones, the extensions, the platform tables, the clock, Spark's
 * usage by run, who watches the runs, and the environment (secrets, salts).
 */
record RunServices(MeshSpec mesh, ZoneLayout zones, Extensions extensions, PlatformTables tables, Clock clock,
        RunMetricsListener sparkMetrics, RunObserver observer, Map<String, String> environment) {}
