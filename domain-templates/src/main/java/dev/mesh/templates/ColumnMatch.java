package dev.mesh.templates;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a file's columns (a CSV header, a Parquet schema) match the declared ones, by name: exactly, else ignoring case
 * when that is unambiguous. Order does not matter; missing, undeclared and repeated columns are a mismatch.
 */
record ColumnMatch(Map<String, Integer> positions, List<String> missing, List<String> undeclared,
        List<String> repeated) {
    ColumnMatch {
        positions = Map.copyOf(positions);
        missing = List.copyOf(missing);
        undeclared = List.copyOf(undeclared);
        repeated = List.copyOf(repeated);
    }

    static ColumnMatch of(List<String> fileColumns, List<String> declared) {
        Map<String, Integer> positions = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> repeated = new ArrayList<>();
        boolean[] used = new boolean[fileColumns.size()];
        for (String name : declared) {
            Optional<Integer> position = position(fileColumns, name);
            if (position.isEmpty()) {
                missing.add(name);
            } else {
                positions.put(name, position.get());
                used[position.get()] = true;
            }
        }
        List<String> undeclared = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < fileColumns.size(); i++) {
            String name = fileColumns.get(i);
            String key = name.toLowerCase(Locale.ROOT);
            if (seen.contains(key)) {
                repeated.add(name);
            } else if (!used[i]) {
                undeclared.add(name);
            }
            seen.add(key);
        }
        return new ColumnMatch(positions, missing, undeclared, repeated);
    }

    boolean exact() {
        return missing.isEmpty() && undeclared.isEmpty() && repeated.isEmpty();
    }

    /** Only undeclared columns differ, which {@code ignoreExtra} allows. */
    boolean onlyUndeclared() {
        return missing.isEmpty() && repeated.isEmpty();
    }

    /** No declared column is in the file: most likely a file without a header line. */
    boolean nothingMatches() {
        return positions.isEmpty();
    }

    String describe() {
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add("missing " + String.join(", ", missing));
        }
        if (!undeclared.isEmpty()) {
            parts.add("undeclared " + shown(undeclared));
        }
        if (!repeated.isEmpty()) {
            parts.add("repeated " + String.join(", ", repeated));
        }
        return String.join("; ", parts);
    }

    /** Names as a person can read them: at most ten, each at most 40 characters, control and binary bytes as '?'. */
    private static String shown(List<String> names) {
        List<String> shown = names.stream().limit(10).map(ColumnMatch::printable).toList();
        return String.join(", ", shown) + (names.size() > 10 ? " and " + (names.size() - 10) + " more" : "");
    }

    /** A column name as a person can read it: at most 40 characters, control and binary bytes as '?'. */
    static String printable(String name) {
        String printable = name.codePoints().map(c -> Character.isISOControl(c) || c == 0xFFFD ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > 40 ? printable.substring(0, 37) + "..." : printable;
    }

    /** Where {@code name} is in a file's columns: exactly, else ignoring case when that is unambiguous. */
    static Optional<Integer> position(List<String> fileColumns, String name) {
        int exact = fileColumns.indexOf(name);
        if (exact >= 0) {
            return Optional.of(exact);
        }
        int found = -1;
        for (int i = 0; i < fileColumns.size(); i++) {
            if (fileColumns.get(i).equalsIgnoreCase(name)) {
                if (found >= 0) {
                    return Optional.empty();
                }
                found = i;
            }
        }
        return found < 0 ? Optional.empty() : Optional.of(found);
    }
}
