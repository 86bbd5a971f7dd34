package dev.mesh.runtime.result;

/**
 * What one run cost in infrastructure, from Spark's listener and the Delta commit: executor CPU time, task time,
 * bytes and records read and written, and the data files the publication added.
 */
public record RunUsage(long cpuMillis, long taskMillis, long bytesRead, long recordsRead, long bytesWritten,
        long recordsWritten, long filesWritten) {
    public static final RunUsage NONE = new RunUsage(0, 0, 0, 0, 0, 0, 0);
}
