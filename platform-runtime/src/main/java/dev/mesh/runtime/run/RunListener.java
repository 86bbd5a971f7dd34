package dev.mesh.runtime.run;

import dev.mesh.runtime.result.RunResult;
import dev.mesh.spec.model.ProductSpec;
import java.time.Instant;
import java.util.List;

/**
 * Work that follows runs, whatever started them (the CLI, spark-submit, a program embedding the runtime): alerts,
 * SLA evaluation, zone sizes, lineage. Found through {@link java.util.ServiceLoader}; a listener that fails is logged
 * and never changes a run's outcome.
 */
public interface RunListener {
    /** When a product's run starts, before it reads anything; called on the run's thread. */
    default void productStarted(RunContext context, String runId, ProductSpec product, Instant startedAt) {}

    /** After a product's run (or skip) was recorded; called on the run's thread. */
    default void productFinished(RunContext context, RunResult result) {}

    /** After every product of one invocation finished, with their results in input order. */
    default void invocationFinished(RunContext context, List<RunResult> results) {}
}
