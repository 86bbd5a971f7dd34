package dev.mesh.runtime.spi;

import static java.util.Objects.requireNonNull;

/** One computed metric: what it describes (dataset or column), its name and value, or why it failed. */
public record MetricValue(String entity, String instance, String name, Double value, String error) {
    public MetricValue {
        requireNonNull(entity, "entity is null");
        requireNonNull(instance, "instance is null");
        requireNonNull(name, "name is null");
        error = error == null ? "" : error;
    }
}
