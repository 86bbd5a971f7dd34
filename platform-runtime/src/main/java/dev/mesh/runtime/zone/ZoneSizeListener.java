package dev.mesh.runtime.zone;

import dev.mesh.runtime.run.RunContext;
import dev.mesh.runtime.run.RunListener;
import dev.mesh.runtime.run.RunResult;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

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
