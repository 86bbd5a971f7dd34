/**
 * The runtime's extension surface, found through {@link java.util.ServiceLoader}: {@link
 * dev.mesh.runtime.spi.ProductTemplate} (a template's Spark half, paired by name with its
 * {@code dev.mesh.spec.spi.TemplateDescriptor}), {@link dev.mesh.runtime.spi.InputReader} (a kind of input, resolved
 * to a {@link dev.mesh.runtime.spi.ResolvedInput} whose fingerprint keys the run), {@link
 * dev.mesh.runtime.spi.QualityGate} (the gate a run passes before it publishes), {@link
 * dev.mesh.runtime.spi.PlatformTable} (a table under {@code _platform/}, its schema and its rows through
 * {@link dev.mesh.runtime.spi.RowBuilder}) and {@link dev.mesh.runtime.spi.StorageBackend} (a kind of storage, by the
 * URI scheme of the root). Stable: these interfaces and the records they exchange. Run listeners
 * ({@code dev.mesh.runtime.run.RunListener}) are registered the same way but live next to the run they follow, whose
 * results they take. {@code docs/extending.md} gives the files each addition touches.
 */
package dev.mesh.runtime.spi;
