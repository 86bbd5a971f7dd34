package dev.mesh.runtime.ingest;

import static java.util.Objects.requireNonNull;

import dev.mesh.runtime.spi.SourceFile;

/** A landing file that a product's input published, as its commit records it. */
public record IngestedFile(String input, String path, long size, long modifiedMillis) {
    public IngestedFile {
        requireNonNull(input, "input is null");
        requireNonNull(path, "path is null");
    }

    public static IngestedFile of(String input, SourceFile file) {
        return new IngestedFile(input, file.path(), file.size(), file.modifiedMillis());
    }
}
