package dev.mesh.runtime.ingest;

import static java.util.Objects.requireNonNull;

import dev.mesh.runtime.spi.SourceFile;

/**
 * A landing file that a product's input published, as its commit records it: path, size, modification time and what
 * identifies its content (ETag or SHA-256; empty for files an older platform recorded, or an overwrite product's).
 * {@code batch} is the product version whose batch the file belongs to when that is not the commit recording it (a
 * rebuild keeps each file's batch, so that a later rebuild replays the same history); -1 for the commit's own.
 */
public record IngestedFile(String input, String path, long size, long modifiedMillis, String checksum, long batch) {
    public IngestedFile {
        requireNonNull(input, "input is null");
        requireNonNull(path, "path is null");
        checksum = checksum == null ? "" : checksum;
    }

    public IngestedFile(String input, String path, long size, long modifiedMillis, String checksum) {
        this(input, path, size, modifiedMillis, checksum, -1);
    }

    public static IngestedFile of(String input, SourceFile file) {
        return new IngestedFile(input, file.path(), file.size(), file.modifiedMillis(), file.checksum());
    }

    /** The file, recorded as belonging to the batch of version {@code version}. */
    public IngestedFile inBatch(long version) {
        return new IngestedFile(input, path, size, modifiedMillis, checksum, version);
    }

    /** The file as a listing would show it. */
    public SourceFile asSourceFile() {
        return new SourceFile(path, size, modifiedMillis, checksum);
    }
}
