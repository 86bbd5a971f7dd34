package dev.mesh.runtime.run;

import dev.mesh.runtime.result.RunResult;
import dev.mesh.spec.model.ProductId;

/** Follows product runs as they happen (for progress displays); every method is called on the run's thread. */
public interface RunObserver {
    RunObserver NONE = new RunObserver() {};

    default void started(String runId, ProductId product) {}

    /** The run entered a stage: resolve, read, transform, quarantine, checks, write. */
    default void stage(String runId, ProductId product, String stage) {}

    default void finished(RunResult result) {}
}
