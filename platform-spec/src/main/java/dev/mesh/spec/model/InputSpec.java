package dev.mesh.spec.model;

/**
 * One named input of a product: landing files, another product's output port, or a database table; the name is the
 * view that the transformation reads.
 */
public sealed interface InputSpec permits FileInputSpec, ProductInputSpec, JdbcInputSpec {
    String name();
}
