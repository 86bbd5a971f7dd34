/**
 * YAML binding: a file's tree with each field's line ({@code YamlDocument}, {@code YamlNode}) and one reader per file
 * kind, with one binder per block of a product file ({@code InputFields}, {@code TransformFields},
 * {@code SchemaFields}, {@code QualityFields}, {@code CheckFields}), each reporting every problem with its field path,
 * and the naming, path and type rules they apply ({@code SpecRules}). Internal: reached through
 * {@code dev.mesh.spec.SpecLoader}.
 */
package dev.mesh.spec.yaml;
