package dev.mesh.spec;

import static java.util.Objects.requireNonNull;

/** One column of a declared schema: a Spark SQL type name, whether it may be null, and its data classification. */
public record ColumnSpec(String name, String type, boolean required, String description, String classification) {
    public ColumnSpec {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        description = description == null ? "" : description;
        classification = classification == null ? "" : classification;
    }
}
