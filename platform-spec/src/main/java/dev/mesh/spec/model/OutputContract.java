package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the consumers of a product rely on: the major version of its spec, its declared output columns (name, type,
 * whether required) and its keys. A publication whose contract breaks the published one (a column removed or
 * renamed, a type narrowed or changed, a column made required, the keys changed) needs a new major version; added
 * columns and widened types do not.
 */
public record OutputContract(int major, List<Column> columns, List<String> keys, boolean recordsProtections) {
    private static final List<String> INTEGERS = List.of("tinyint", "smallint", "int", "bigint");
    private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),\\s*(\\d+)\\)");

    public OutputContract {
        columns = List.copyOf(columns);
        keys = List.copyOf(keys);
    }

    public OutputContract(int major, List<Column> columns, List<String> keys) {
        this(major, columns, keys, true);
    }

    /**
     * A declared column as consumers see it, with the protection its values are published under ({@code none},
     * {@code hash} or {@code redact}; a dropped column is not in the contract).
     */
    public record Column(String name, String type, boolean required, String protection) {
        public Column {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            protection = protection == null || protection.isEmpty() ? NONE : protection;
        }

        public Column(String name, String type, boolean required) {
            this(name, type, required, NONE);
        }
    }

    private static final String NONE = ColumnSpec.Protection.NONE.specName();

    /** The port as consumers outside the domain read it: protections apply unless it is visible to its domain only. */
    public static OutputContract of(ProductSpec product) {
        boolean protectedPort = product.access().visibility() != AccessSpec.Visibility.DOMAIN;
        List<Column> columns = new ArrayList<>();
        for (ColumnSpec column : product.output().schema()) {
            ColumnSpec.Protection protection = protectedPort ? column.protection() : ColumnSpec.Protection.NONE;
            if (protection != ColumnSpec.Protection.DROP) {
                columns.add(new Column(column.name(), column.type(), column.required(), protection.specName()));
            }
        }
        return new OutputContract(major(product.version()), columns, product.output().keys());
    }

    /**
     * The contract as platforms before protections were part of it recorded it (every declared column, its values as
     * they are): what a product published by one is compared with, so that an upgrade alone breaks nothing.
     */
    public static OutputContract withoutProtections(ProductSpec product) {
        return new OutputContract(major(product.version()), product.output().schema().stream()
                .map(column -> new Column(column.name(), column.type(), column.required())).toList(),
                product.output().keys(), false);
    }

    /** The major version of a semantic version ({@code 2} of {@code 2.1.0}); 0 when it has none. */
    public static int major(String version) {
        Matcher digits = Pattern.compile("^(\\d{1,9})").matcher(version == null ? "" : version);
        return digits.find() ? Integer.parseInt(digits.group(1)) : 0;
    }

    /** Every change from this, the published contract, to {@code next} that breaks a consumer, in words. */
    public List<String> breakingChanges(OutputContract next) {
        List<String> changes = new ArrayList<>();
        Map<String, Column> after = next.columns.stream()
                .collect(Collectors.toMap(c -> c.name().toLowerCase(Locale.ROOT), Function.identity(), (a, b) -> a));
        for (Column before : columns) {
            Column now = after.get(before.name().toLowerCase(Locale.ROOT));
            if (now == null) {
                changes.add("column '" + before.name() + "' removed (or renamed)");
                continue;
            }
            if (!widens(before.type(), now.type())) {
                changes.add("column '" + before.name() + "' changed type from " + before.type() + " to " + now.type());
            }
            if (now.required() && !before.required()) {
                changes.add("column '" + before.name() + "' made required");
            }
            if (!now.protection().equals(before.protection())) {
                changes.add("column '" + before.name() + "' published " + protectedAs(now.protection())
                        + " instead of " + protectedAs(before.protection()) + " (its values change)");
            }
        }
        if (!lower(keys).equals(lower(next.keys))) {
            changes.add("keys changed from " + keys + " to " + next.keys);
        }
        return changes;
    }

    /** The published columns that {@code next} removes or changes in a way that breaks a consumer. */
    public List<String> brokenColumns(OutputContract next) {
        Map<String, Column> after = next.columns.stream()
                .collect(Collectors.toMap(c -> c.name().toLowerCase(Locale.ROOT), Function.identity(), (a, b) -> a));
        List<String> broken = new ArrayList<>();
        for (Column before : columns) {
            Column now = after.get(before.name().toLowerCase(Locale.ROOT));
            if (now == null || !widens(before.type(), now.type()) || now.required() && !before.required()
                    || !now.protection().equals(before.protection())) {
                broken.add(before.name());
            }
        }
        return broken;
    }

    /** Whether values of type {@code from} read as {@code to} without loss: the same type, or a wider one. */
    public static boolean widens(String from, String to) {
        String a = normal(from);
        String b = normal(to);
        if (a.equals(b)) {
            return true;
        }
        if (INTEGERS.contains(a) && INTEGERS.contains(b)) {
            return INTEGERS.indexOf(b) >= INTEGERS.indexOf(a);
        }
        if (a.equals("float") && b.equals("double")) {
            return true;
        }
        Optional<int[]> da = decimal(a);
        Optional<int[]> db = decimal(b);
        if (da.isPresent() && db.isPresent()) {
            return db.get()[1] >= da.get()[1] && db.get()[0] - db.get()[1] >= da.get()[0] - da.get()[1];
        }
        return false;
    }

    private static Optional<int[]> decimal(String type) {
        Matcher matcher = DECIMAL.matcher(type);
        return matcher.matches() ? Optional.of(new int[] {Integer.parseInt(matcher.group(1)),
                Integer.parseInt(matcher.group(2))}) : Optional.empty();
    }

    private static String normal(String type) {
        String lower = type.toLowerCase(Locale.ROOT).replace(" ", "");
        return switch (lower) {
            case "integer" -> "int";
            case "long" -> "bigint";
            case "short" -> "smallint";
            case "byte" -> "tinyint";
            case "decimal" -> "decimal(10,0)";
            default -> lower;
        };
    }

    private static String protectedAs(String protection) {
        return switch (protection) {
            case "hash" -> "hashed";
            case "redact" -> "redacted";
            default -> "as it is";
        };
    }

    private static List<String> lower(List<String> names) {
        return names.stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
    }
}
