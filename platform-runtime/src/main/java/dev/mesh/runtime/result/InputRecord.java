package dev.mesh.runtime.result;

import static java.util.Objects.requireNonNull;

/** What a run read from one input: the files or product, the Delta version pinned, and how many records. */
public record InputRecord(String name, String kind, String reference, Long version, long records) {
    public InputRecord {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(reference, "reference is null");
    }
}
