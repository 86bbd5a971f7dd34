package dev.mesh.runtime.fault;

/**
 * Named points of a run where the reliability tests kill it. With the environment variable {@value #VARIABLE} set to
 * a point's name, the process halts there as under SIGKILL (no shutdown hooks, no finally blocks, nothing flushed);
 * unset, as in production, every point does nothing.
 */
public final class FaultPoints {
    public static final String VARIABLE = "MESH_TEST_HALT_AT";
    /** The inputs are resolved and the run key known; nothing is read yet. */
    public static final String RESOLVED = "resolved";
    /** The gate passed; nothing is committed yet (a run that writes in one pass has written its files, uncommitted). */
    public static final String GATED = "gated";
    /** The Delta commit is made; the ingest ledger and the run record are not. */
    public static final String COMMITTED = "committed";
    /** The run's row is in {@code runs}; its metrics are not, nor the invocation's usage. */
    public static final String RECORDED = "recorded";

    private static final String HALT_AT = System.getenv(VARIABLE);

    private FaultPoints() {}

    public static void reach(String point) {
        if (point.equals(HALT_AT)) {
            Runtime.getRuntime().halt(137);
        }
    }
}
