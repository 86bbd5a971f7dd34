/**
 * The spec layer's extension surface, found through {@link java.util.ServiceLoader}: {@link
 * dev.mesh.spec.spi.TemplateDescriptor} (a template's parameters and their checks, without Spark; register it in
 * {@code META-INF/services/dev.mesh.spec.spi.TemplateDescriptor} next to the runtime's
 * {@code dev.mesh.runtime.spi.ProductTemplate} of the same name) and {@link dev.mesh.spec.spi.SqlSyntax} (SQL in specs
 * checked at validate). Stable: these interfaces, {@link dev.mesh.spec.spi.TemplateCheck}'s public methods and the
 * model records they take. Everything else in the module may change between versions.
 */
package dev.mesh.spec.spi;
