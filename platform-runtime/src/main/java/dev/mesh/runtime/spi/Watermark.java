package dev.mesh.runtime.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The range of a watermark column an input read: above {@code after} (the high-water mark already published; empty on
 * a first or full read) up to and including {@code upTo} (the highest value read; the published mark again when there
 * was nothing new). Values are the source's own text of them, compared by the source.
 */
public record Watermark(String column, Optional<String> after, Optional<String> upTo) {
    public Watermark {
        requireNonNull(column, "column is null");
        requireNonNull(after, "after is null");
        requireNonNull(upTo, "upTo is null");
    }

    /** Whether the read found no row above the published mark. */
    public boolean nothingNew() {
        return after.isPresent() && (upTo.isEmpty() || upTo.equals(after));
    }

    /** The mark to publish with this read's rows. */
    public Optional<String> mark() {
        return upTo.or(() -> after);
    }
}
