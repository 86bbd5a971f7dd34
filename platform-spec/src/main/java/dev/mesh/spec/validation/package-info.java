/**
 * The structures checks across files need, without YAML: the product graph and its cycles ({@code ProductGraph}),
 * column flow and personal data through lineage ({@code ColumnFlow}), ignore patterns of landing files, storage
 * roots. The cross-file rules themselves (ownership, references, visibility) are {@code dev.mesh.spec.MeshValidator},
 * run by {@code SpecLoader}.
 */
package dev.mesh.spec.validation;
