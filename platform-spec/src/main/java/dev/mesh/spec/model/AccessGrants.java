package dev.mesh.spec.model;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The consumers each product's owners granted through access requests (beside those its spec lists): applied to the
 * products as they are loaded, so that validation, runs, {@code mesh sql} and the server enforce them exactly like
 * consumers written in the producer's spec.
 */
public record AccessGrants(Map<ProductId, Set<String>> consumers) {
    public static final AccessGrants NONE = new AccessGrants(Map.of());

    public AccessGrants {
        Map<ProductId, Set<String>> copy = new TreeMap<>();
        consumers.forEach((product, domains) -> copy.put(product, Set.copyOf(new TreeSet<>(domains))));
        consumers = Map.copyOf(copy);
    }

    /** The product with its granted consumers added to its access. */
    public ProductSpec apply(ProductSpec product) {
        Set<String> granted = consumers.getOrDefault(product.id(), Set.of());
        return granted.isEmpty() ? product : product.withAccess(product.access().withGranted(granted));
    }

    public Set<String> of(ProductId product) {
        return consumers.getOrDefault(product, Set.of());
    }
}
