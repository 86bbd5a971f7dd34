package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

/** A source system a domain owns, and the folder of the domain's landing zone where its files arrive. */
public record SourceSpec(String name, String landing, String description) {
    public SourceSpec {
        requireNonNull(name, "name is null");
        requireNonNull(landing, "landing is null");
        description = description == null ? "" : description;
    }
}
