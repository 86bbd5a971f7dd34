package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

/** The global name of a data product: {@code domain.product}. */
public record ProductId(String domain, String name) implements Comparable<ProductId> {
    public ProductId {
        requireNonNull(domain, "domain is null");
        requireNonNull(name, "name is null");
    }

    /** Parses {@code domain.product}; returns null when the text has not exactly one dot. */
    public static ProductId parse(String text) {
        int dot = text.indexOf('.');
        if (dot <= 0 || dot != text.lastIndexOf('.') || dot == text.length() - 1) {
            return null;
        }
        return new ProductId(text.substring(0, dot), text.substring(dot + 1));
    }

    @Override
    public int compareTo(ProductId other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return domain + "." + name;
    }
}
