package dev.mesh.spec;

import static java.util.Objects.requireNonNull;

/** Another data product's output port, read at the Delta version that is current when the run starts. */
public record ProductInputSpec(String name, ProductId product) implements InputSpec {
    public ProductInputSpec {
        requireNonNull(name, "name is null");
        requireNonNull(product, "product is null");
    }
}
