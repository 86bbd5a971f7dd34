package dev.mesh.runtime.run;

import java.util.Optional;

/**
 * How to run: {@code runId} lets a scheduler retry a run under its own id; {@code force} publishes again even when
 * the same spec over the same input data was already published.
 */
public record RunOptions(Optional<String> runId, boolean force) {
    public static final RunOptions DEFAULT = new RunOptions(Optional.empty(), false);

    public RunOptions {
        runId = runId == null ? Optional.empty() : runId;
    }
}
