package dev.mesh.runtime.run;

import java.util.Optional;

/**
 * How to run: {@code runId} lets a scheduler retry a run under its own id; {@code force} publishes again even when
 * the same spec over the same input data was already published; {@code fullRefresh} rebuilds a product that ingests
 * landing files incrementally from all its files, in one atomic commit; {@code replaceWhere} (a SQL predicate over
 * output columns) rebuilds only the rows it selects, from all the inputs, in one atomic commit that replaces exactly
 * those rows (a backfill).
 */
public record RunOptions(Optional<String> runId, boolean force, boolean fullRefresh, Optional<String> replaceWhere) {
    public static final RunOptions DEFAULT = new RunOptions(Optional.empty(), false, false);

    public RunOptions {
        runId = runId == null ? Optional.empty() : runId;
        replaceWhere = replaceWhere == null ? Optional.empty() : replaceWhere;
        if (fullRefresh && replaceWhere.isPresent()) {
            throw new IllegalArgumentException("a run rebuilds all rows or those a predicate selects, not both");
        }
    }

    public RunOptions(Optional<String> runId, boolean force, boolean fullRefresh) {
        this(runId, force, fullRefresh, Optional.empty());
    }

    public RunOptions(Optional<String> runId, boolean force) {
        this(runId, force, false);
    }

    /** Whether the run rebuilds published rows from all inputs (all of them, or a range) rather than adding to them. */
    public boolean rebuilds() {
        return fullRefresh || replaceWhere.isPresent();
    }
}
