/**
 * The spec model: immutable records for a mesh (platform, domains, products, governance and its policy rules, the
 * problems found in specs). What every other package reads; it depends on no other package of the module.
 */
package dev.mesh.spec.model;
