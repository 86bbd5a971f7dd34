package dev.mesh.runtime.spi;

import static java.util.Objects.requireNonNull;

/**
 * One landing file as a run saw it: its path, size and modification time, and what identifies its content: the
 * store's ETag on S3 (from the listing, no read), the SHA-256 of its bytes on the local disk (once the run needed it),
 * or empty where unknown. The same path, size and time (and ETag, where both are known) is the file already seen.
 */
public record SourceFile(String path, long size, long modifiedMillis, String checksum) {
    public SourceFile {
        requireNonNull(path, "path is null");
        checksum = checksum == null ? "" : checksum;
    }

    public SourceFile(String path, long size, long modifiedMillis) {
        this(path, size, modifiedMillis, "");
    }

    /** The file's name, without its folder. */
    public String name() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** This file with what identifies its content. */
    public SourceFile withChecksum(String value) {
        return new SourceFile(path, size, modifiedMillis, value);
    }
}
