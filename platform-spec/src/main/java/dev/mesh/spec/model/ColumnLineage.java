package dev.mesh.spec.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which input columns each output column of one product derives from ({@code columns}, direct sources), and which
 * input columns decide the rows of the whole output ({@code rows}, indirect: filters, join keys, groupings, sorts,
 * window partitions). Output columns keep the query's order; a column with no source (a literal) has an empty list.
 */
public record ColumnLineage(Map<String, List<ColumnSource>> columns, List<ColumnSource> rows) {
    public static final ColumnLineage NONE = new ColumnLineage(Map.of(), List.of());

    public ColumnLineage {
        Map<String, List<ColumnSource>> copy = new LinkedHashMap<>();
        columns.forEach((name, sources) -> copy.put(name, List.copyOf(new LinkedHashSet<>(sources))));
        columns = java.util.Collections.unmodifiableMap(copy);
        rows = List.copyOf(new LinkedHashSet<>(rows));
    }

    public List<ColumnSource> sourcesOf(String column) {
        for (Map.Entry<String, List<ColumnSource>> entry : columns.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(column)) {
                return entry.getValue();
            }
        }
        return List.of();
    }

    /** The output columns that use {@code input}'s {@code column}, directly or to decide rows (all of them, then). */
    public List<String> readersOf(String input, String column) {
        Set<String> readers = new LinkedHashSet<>();
        columns.forEach((name, sources) -> {
            if (sources.stream().anyMatch(s -> s.input().equalsIgnoreCase(input)
                    && s.column().equalsIgnoreCase(column))) {
                readers.add(name);
            }
        });
        if (rows.stream().anyMatch(s -> s.input().equalsIgnoreCase(input) && s.column().equalsIgnoreCase(column))) {
            readers.addAll(columns.keySet());
        }
        return new ArrayList<>(readers);
    }
}
