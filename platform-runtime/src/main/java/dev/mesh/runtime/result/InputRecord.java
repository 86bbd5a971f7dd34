package dev.mesh.runtime.result;

import static java.util.Objects.requireNonNull;

import dev.mesh.runtime.spi.IgnoredFile;
import java.util.List;

/**
 * What a run read from one input: the files or product, the Delta version pinned, and how many records; for landing
 * files, every file it read ({@code files}) and every file it found and left out with the reason ({@code ignored}).
 */
public record InputRecord(String name, String kind, String reference, Long version, long records, List<String> files,
        List<IgnoredFile> ignored) {
    public InputRecord {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(reference, "reference is null");
        files = files == null ? List.of() : List.copyOf(files);
        ignored = ignored == null ? List.of() : List.copyOf(ignored);
    }

    public InputRecord(String name, String kind, String reference, Long version, long records) {
        this(name, kind, reference, version, records, List.of(), List.of());
    }
}
