package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One column of a declared schema: a Spark SQL type name, whether it may be null, its data classification, how the
 * platform protects it in a port visible outside the product's domain ({@code protection}), and why a column derived
 * from personal data no longer is personal data ({@code declassification}, with {@code classification: none}).
 */
public record ColumnSpec(String name, String type, boolean required, String description, String classification,
        Protection protection, String declassification) {
    /** The classification of personal data, which policies require protected outside the domain. */
    public static final String PII = "pii";
    /** The classification that, with a reason, says a column derived from personal data is not personal data. */
    public static final String NONE = "none";

    public ColumnSpec {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        description = description == null ? "" : description;
        classification = classification == null ? "" : classification;
        protection = protection == null ? Protection.NONE : protection;
        declassification = declassification == null ? "" : declassification;
    }

    public ColumnSpec(String name, String type, boolean required, String description, String classification,
            Protection protection) {
        this(name, type, required, description, classification, protection, "");
    }

    public ColumnSpec(String name, String type, boolean required, String description, String classification) {
        this(name, type, required, description, classification, Protection.NONE);
    }

    public boolean isPii() {
        return PII.equalsIgnoreCase(classification);
    }

    /** Whether the producer declares that this column, though derived from personal data, is not personal data. */
    public boolean declassified() {
        return NONE.equalsIgnoreCase(classification) && !declassification.isBlank();
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
