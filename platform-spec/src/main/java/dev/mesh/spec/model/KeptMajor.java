package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Map;

/**
 * An older major version of a product's output kept beside the current one ({@code versions: { 1: { until: ... } }}):
 * maintained from the same spec, each publication of the current major rewritten into the old major's columns, so
 * consumers that pin it keep reading it until {@code until}, the end of its deprecation window, and then until no
 * consumer pins it; only then is it retired. {@code columns} says how an old column is made from the current output
 * (a SQL expression over its columns) when the current output no longer has it by name.
 */
public record KeptMajor(int major, LocalDate until, Map<String, String> columns) {
    public KeptMajor {
        requireNonNull(until, "until is null");
        columns = Map.copyOf(columns);
    }
}
