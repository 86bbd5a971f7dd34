package dev.mesh.runtime.run;

import java.util.Optional;

/**
 * How to run: {@code runId} lets a scheduler retry a run under its own id; {@code force} publishes again even when
 * the same spec over the same input data was already published; {@code fullRefresh} rebuilds a product that ingests
 * landing files incrementally from all its files, in one atomic commit.
 */
public record RunOptions(Optional<String> runId, boolean force, boolean fullRefresh) {
    public static final RunOptions DEFAULT = new RunOptions(Optional.empty(), false, false);

    public RunOptions {
        runId = runId == null ? Optional.empty() : runId;
    }

    public RunOptions(Optional<String> runId, boolean force) {
        this(runId, force, false);
    }
}
