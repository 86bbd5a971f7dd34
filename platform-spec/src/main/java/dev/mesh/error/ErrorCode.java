package dev.mesh.error;

/** What kind of failure a {@link MeshException} is, and the process exit code a scheduler sees for it. */
public enum ErrorCode {
    /** A bad command line, spec or policy: the user must change their input. */
    INVALID_INPUT(2),
    /** A job tried to read or reach what it was not granted (another domain's data, files by path): refused. */
    ACCESS_DENIED(2),
    /** The quality gate blocked publication. */
    QUALITY_GATE_FAILED(3),
    /** Storage, Spark or another component below the platform failed. */
    INFRASTRUCTURE(1),
    /** A bug in the platform itself. */
    INTERNAL(1),
    /** Someone stopped the run before it finished (mesh serve's cancel): nothing was published. */
    CANCELLED(130);

    private final int exitCode;

    ErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
