package dev.mesh.runtime.spi;

import static java.util.Objects.requireNonNull;

/** A landing file a run found and did not read, with the reason (an ignore pattern, a filter, a changed file). */
public record IgnoredFile(String path, String reason) {
    public IgnoredFile {
        requireNonNull(path, "path is null");
        requireNonNull(reason, "reason is null");
    }
}
