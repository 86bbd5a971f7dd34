package dev.mesh.spec;

/** One named input of a product; the name is the view that the transformation reads. */
public sealed interface InputSpec permits FileInputSpec, ProductInputSpec {
    String name();
}
