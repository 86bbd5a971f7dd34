package dev.mesh.runtime.ingest;

import static java.util.Objects.requireNonNull;

import dev.mesh.runtime.spi.SourceFile;

/**
 * A landing file that a product's input published, as its commit records it: path, size, modification time and what
 * identifies its content (ETag or SHA-256; empty for files an older platform recorded, or an overwrite product's).
 */
public record IngestedFile(String input, String path, long size, long modifiedMillis, String checksum) {
    public IngestedFile {
        requireNonNull(input, "input is null");
        requireNonNull(path, "path is null");
        checksum = checksum == null ? "" : checksum;
    }

    public static IngestedFile of(String input, SourceFile file) {
        return new IngestedFile(input, file.path(), file.size(), file.modifiedMillis(), file.checksum());
    }

    /** The file as a listing would show it. */
    public SourceFile asSourceFile() {
        return new SourceFile(path, size, modifiedMillis, checksum);
    }
}
