/**
 * Rules that hold across files and the structures they need: naming and path rules ({@code SpecRules}), ownership and
 * references ({@code MeshValidator}), the product graph and its cycles ({@code ProductGraph}), column flow and
 * personal data through lineage ({@code ColumnFlow}), storage roots. Internal, except {@code ProductGraph} and
 * {@code ColumnFlow}, which the runtime reads.
 */
package dev.mesh.spec.validation;
