package dev.mesh.runtime.run;

import dev.mesh.runtime.result.RunResult;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import dev.mesh.runtime.zone.ZoneSizes;

/**
 * After each invocation, records what it used into {@code _platform/usage} in one commit: each run's resources, and
 * the zones of the domains it ran as measured now (bytes and files). A run's own records ({@code runs},
 * {@code quality_metrics}) are written as it finishes; its usage waits for the invocation's end, so that a run costs
 * the platform's tables two commits and an invocation one more.
 */
public final class UsageListener implements RunListener {
    @Override
    public void invocationFinished(RunContext context, List<RunResult> results) {
        Set<String> domains = new TreeSet<>();
        results.forEach(result -> domains.add(result.product().domain()));
        context.tables().recordUsage(results, ZoneSizes.measure(context.spark().sparkContext().hadoopConfiguration(),
                context.zones(), domains), context.clock().instant());
    }
}
