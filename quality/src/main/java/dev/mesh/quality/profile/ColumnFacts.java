package dev.mesh.quality.profile;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What profiling found about one column: its type, completeness, distinct values (few, listed) and range. */
public record ColumnFacts(String column, String dataType, double completeness, long approxDistinct,
        List<String> values, Double min, Double max) {
    public ColumnFacts {
        requireNonNull(column, "column is null");
        values = List.copyOf(values);
    }
}
