package dev.mesh.spec.model;

import java.util.Locale;

/** What an input reads: landing files, another product's output port, or a database table. */
public enum InputKind {
    FILES,
    PRODUCT,
    JDBC;

    public static InputKind of(InputSpec input) {
        if (input instanceof FileInputSpec) {
            return FILES;
        }
        if (input instanceof ProductInputSpec) {
            return PRODUCT;
        }
        if (input instanceof JdbcInputSpec) {
            return JDBC;
        }
        throw new IllegalArgumentException("unknown input " + input);
    }

    /** The name the run records and users read: {@code files}, {@code product}, {@code jdbc}. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
