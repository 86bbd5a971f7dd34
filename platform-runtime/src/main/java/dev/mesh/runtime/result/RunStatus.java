package dev.mesh.runtime.result;

/** How a product run ended. */
public enum RunStatus {
    /** The gate passed and a new version of the product was committed. */
    PUBLISHED,
    /** The same spec over the same input data was already published; nothing was written. */
    UP_TO_DATE,
    /** An error-level check failed; nothing was published. */
    GATE_FAILED,
    /** The run failed before publishing (bad SQL, unreadable input, storage error...). */
    FAILED,
    /** Not run because a product it reads failed in the same invocation. */
    SKIPPED,
    /**
     * The run's process stopped before it could record an outcome (killed, crashed, its machine lost); recorded by a
     * later run of the product. Its commit, if it made one, is published; a rerun publishes what it did not.
     */
    UNFINISHED,
    /**
     * The product's current checks were evaluated over its whole published table, which was not changed: by
     * {@code mesh check}, or by a run of an append or merge product whose checks changed since the table was last
     * judged. Its check counts are the table's verdict; an error-level failure is its error.
     */
    CHECKED;

    public boolean ok() {
        return this == PUBLISHED || this == UP_TO_DATE;
    }
}
