package dev.mesh.runtime.spi;

import static java.util.Objects.requireNonNull;

/**
 * One landing file as a run saw it. A file is ingested once: the same path with another size or modification time is
 * a new file (a source that replaced its export), the same path, size and time is the file already ingested.
 */
public record SourceFile(String path, long size, long modifiedMillis) {
    public SourceFile {
        requireNonNull(path, "path is null");
    }

    /** The file's name, without its folder. */
    public String name() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
