package dev.mesh.spec;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One column of a declared schema: a Spark SQL type name, whether it may be null, its data classification, and how
 * the platform protects it in a port visible outside the product's domain ({@code protection}).
 */
public record ColumnSpec(String name, String type, boolean required, String description, String classification,
        Protection protection) {
    /** The classification of personal data, which policies require protected outside the domain. */
    public static final String PII = "pii";

    public ColumnSpec {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        description = description == null ? "" : description;
        classification = classification == null ? "" : classification;
        protection = protection == null ? Protection.NONE : protection;
    }

    public ColumnSpec(String name, String type, boolean required, String description, String classification) {
        this(name, type, required, description, classification, Protection.NONE);
    }

    public boolean isPii() {
        return PII.equalsIgnoreCase(classification);
    }

    /** How a column's values are published in a port visible outside the domain. */
    public enum Protection {
        /** As they are. */
        NONE,
        /** SHA-256 of the salt (from the environment variable the governance names) and the value, in hex. */
        HASH,
        /** Null. */
        REDACT,
        /** The column is not published. */
        DROP;

        public String specName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
