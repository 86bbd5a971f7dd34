/**
 * Federated governance: the engine that evaluates global and domain policy rules (the rules themselves are part of the
 * model) against every product, and the policy version that approvals refer to.
 */
package dev.mesh.spec.policy;
