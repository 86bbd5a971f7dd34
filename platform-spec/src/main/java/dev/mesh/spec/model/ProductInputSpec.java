package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Another data product's output port, read at the Delta version that is current when the run starts; {@code major}
 * is the major version of the product's schema the reader relies on ({@code product: sales.orders@1}), if it pins one.
 */
public record ProductInputSpec(String name, ProductId product, Optional<Integer> major) implements InputSpec {
    public ProductInputSpec {
        requireNonNull(name, "name is null");
        requireNonNull(product, "product is null");
        requireNonNull(major, "major is null");
    }

    public ProductInputSpec(String name, ProductId product) {
        this(name, product, Optional.empty());
    }
}
