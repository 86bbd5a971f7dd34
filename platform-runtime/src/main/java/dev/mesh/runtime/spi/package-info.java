/**
 * The runtime's extension surface, found through {@link java.util.ServiceLoader}: {@link
 * dev.mesh.runtime.spi.ProductTemplate} (a template's Spark half, paired by name with its
 * {@code dev.mesh.spec.spi.TemplateDescriptor}), {@link dev.mesh.runtime.spi.InputReader} (a kind of input, resolved
 * to a {@link dev.mesh.runtime.spi.ResolvedInput} whose fingerprint keys the run) and {@link
 * dev.mesh.runtime.spi.QualityGate} (the gate a run passes before it publishes). Stable: these interfaces and the
 * records they exchange. Run listeners ({@code dev.mesh.runtime.run.RunListener}) and platform tables
 * ({@code dev.mesh.runtime.ledger.PlatformTable}) are registered the same way but still live next to the code that
 * calls them. Storage backends are not a seam yet; {@code docs/extending.md} says what each addition touches.
 */
package dev.mesh.runtime.spi;
