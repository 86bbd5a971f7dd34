package dev.mesh.runtime.run;

import dev.mesh.runtime.result.RunResult;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import dev.mesh.runtime.zone.ZoneSizes;

/** After each invocation, measures the zones of the domains it ran (bytes and files) into {@code _platform/usage}. */
public final class ZoneSizeListener implements RunListener {
    @Override
    public void invocationFinished(RunContext context, List<RunResult> results) {
        Set<String> domains = new TreeSet<>();
        results.forEach(result -> domains.add(result.product().domain()));
        context.tables().recordZones(ZoneSizes.measure(context.spark().sparkContext().hadoopConfiguration(),
                context.zones(), domains), context.clock().instant());
    }
}
