package dev.mesh.runtime.spi;

import java.util.List;

/** The values a metric of a product took in its earlier published runs, oldest first (for anomaly rules). */
public interface MetricHistory {
    MetricHistory EMPTY = (name, instance) -> List.of();

    /** Values of the metric (Deequ's name, e.g. Size or Mean, and instance, e.g. * or a column). */
    List<Double> values(String metricName, String instance);
}
