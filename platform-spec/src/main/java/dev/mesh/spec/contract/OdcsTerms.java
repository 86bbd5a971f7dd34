package dev.mesh.spec.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.mesh.spec.model.CheckSpec.CheckKind;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vocabulary the ODCS export and import share: the standard's version, logical types, duration units, the SQL
 * shapes that carry checks the standard's library has no metric for, and where the platform's own sections go.
 */
final class OdcsTerms {
    static final String API_VERSION = "v3.1.0";
    /** The contract-level custom property that carries what only the platform reads (inputs, transform, ...). */
    static final String MESH_SPEC = "meshSpec";
    /** The SLA terms the standard has no property for. */
    static final String MESH_SLA = "meshSla";
    /** A column's protection when published outside its domain. */
    static final String MESH_PROTECTION = "meshProtection";
    /** Why a column derived from personal data is not personal data (with classification none). */
    static final String MESH_DECLASSIFIED = "meshDeclassified";
    static final String OBJECT = "${object}";

    /** How contracts and imported specs are written: block YAML, quoting only what would read as another type. */
    static final ObjectMapper YAML_WRITER = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    /** The check kinds over one column's aggregate, and the SQL function ODCS rules name for each, both ways. */
    private static final Map<CheckKind, String> AGGREGATES = Map.of(CheckKind.MIN, "MIN", CheckKind.MAX, "MAX",
            CheckKind.MEAN, "AVG");
    private static final Pattern AGGREGATE = Pattern.compile(
            "(?i)\\s*SELECT\\s+(" + String.join("|", AGGREGATES.values()) + ")"
                    + "\\s*\\(\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s+FROM\\s+\\$\\{(?:object|table)}\\s*;?\\s*");
    private static final Pattern COUNT_WHERE = Pattern.compile(
            "(?is)\\s*SELECT\\s+COUNT\\s*\\(\\s*\\*\\s*\\)\\s+FROM\\s+\\$\\{(?:object|table)}\\s+WHERE\\s+(.+?)\\s*;?\\s*");
    private static final Pattern NEGATED = Pattern.compile("(?is)NOT\\s*\\((.*)\\)");
    private static final Map<String, Duration> UNITS = units();

    private OdcsTerms() {}

    /** The standard's logical type of a Spark SQL type. */
    static String logicalType(String sparkType) {
        String type = sparkType.toLowerCase(Locale.ROOT);
        if (type.equals("tinyint") || type.equals("smallint") || type.equals("int") || type.equals("bigint")) {
            return "integer";
        }
        if (type.equals("float") || type.equals("double") || type.startsWith("decimal")) {
            return "number";
        }
        return switch (type) {
            case "date" -> "date";
            case "timestamp" -> "timestamp";
            case "boolean" -> "boolean";
            default -> "string";
        };
    }

    /** The Spark type of a logical type, when only that is given. */
    static Optional<String> sparkTypeOfLogical(String logicalType) {
        return Optional.ofNullable(switch (logicalType) {
            case "string" -> "string";
            case "integer" -> "bigint";
            case "number" -> "double";
            case "date" -> "date";
            case "timestamp" -> "timestamp";
            case "boolean" -> "boolean";
            default -> null;
        });
    }

    /** A physical type as databases name it, as the Spark type that holds its values; empty when unknown. */
    static Optional<String> sparkTypeOfPhysical(String physicalType) {
        String type = physicalType.trim().toLowerCase(Locale.ROOT);
        Matcher decimal = Pattern.compile("(?:decimal|numeric|number)\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)")
                .matcher(type);
        if (decimal.matches()) {
            return Optional.of("decimal(" + decimal.group(1) + "," + decimal.group(2) + ")");
        }
        String base = type.replaceAll("\\s*\\(.*\\)$", "");
        return Optional.ofNullable(switch (base) {
            case "string", "varchar", "char", "text", "character varying", "character", "nvarchar", "uuid" -> "string";
            case "boolean", "bool" -> "boolean";
            case "tinyint", "byte" -> "tinyint";
            case "smallint", "short", "int2" -> "smallint";
            case "int", "integer", "int4" -> "int";
            case "bigint", "long", "int8" -> "bigint";
            case "float", "real", "float4" -> "float";
            case "double", "double precision", "float8" -> "double";
            case "date" -> "date";
            case "timestamp", "timestamptz", "timestamp with time zone", "timestamp without time zone",
                    "datetime" -> "timestamp";
            case "binary", "bytea", "varbinary" -> "binary";
            default -> null;
        });
    }

    /**
     * Whether holding a physical type's values as {@code sparkType} loses something the type says: a length
     * (varchar(36)), padding (char), or the absence of a time zone.
     */
    static boolean dropsDetail(String physicalType, String sparkType) {
        String type = physicalType.trim().toLowerCase(Locale.ROOT);
        return type.contains("(") && !sparkType.startsWith("decimal") || type.startsWith("char")
                || type.equals("character") || type.contains("without time zone") || type.equals("datetime")
                || type.equals("uuid");
    }

    /** A duration as an SLA value and unit: the largest of d, h, min, s that divides it exactly. */
    static Map.Entry<Long, String> durationValue(Duration duration) {
        if (duration.toSeconds() % 86_400 == 0) {
            return Map.entry(duration.toDays(), "d");
        }
        if (duration.toSeconds() % 3_600 == 0) {
            return Map.entry(duration.toHours(), "h");
        }
        if (duration.toSeconds() % 60 == 0) {
            return Map.entry(duration.toMinutes(), "min");
        }
        return Map.entry(duration.toSeconds(), "s");
    }

    /** An SLA value in a unit as a duration; empty for a unit that is not one of time. */
    static Optional<Duration> duration(BigDecimal value, String unit) {
        Duration per = UNITS.get(unit == null ? "" : unit.trim().toLowerCase(Locale.ROOT));
        if (per == null) {
            return Optional.empty();
        }
        BigDecimal seconds = value.multiply(BigDecimal.valueOf(per.toSeconds()));
        return Optional.of(Duration.ofSeconds(seconds.longValue()));
    }

    /** The SQL aggregate an ODCS rule names for a check of {@code kind} over a column: MIN, MAX or AVG. */
    static String aggregate(CheckKind kind) {
        String function = AGGREGATES.get(kind);
        if (function == null) {
            throw new IllegalArgumentException(kind + " is not an aggregate over a column");
        }
        return function;
    }

    /** A check of one column's aggregate (min, max, mean), as an ODCS SQL rule names it. */
    record Aggregate(CheckKind kind, String column) {}

    /** {@code SELECT MIN|MAX|AVG(c) FROM ${object}}: the check kind it is and the column, if the query is that. */
    static Optional<Aggregate> aggregateQuery(String query) {
        Matcher matcher = AGGREGATE.matcher(query);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String function = matcher.group(1).toUpperCase(Locale.ROOT);
        CheckKind kind = AGGREGATES.entrySet().stream().filter(entry -> entry.getValue().equals(function))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        return Optional.of(new Aggregate(kind, matcher.group(2)));
    }

    /** {@code SELECT COUNT(*) FROM ${object} WHERE X}: the condition X that counts the rows breaking a rule. */
    static Optional<String> countWhereQuery(String query) {
        Matcher matcher = COUNT_WHERE.matcher(query);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** The rule whose breaking rows {@code condition} counts: X for NOT (X), else NOT (condition). */
    static String negate(String condition) {
        Matcher matcher = NEGATED.matcher(condition.trim());
        if (matcher.matches() && balanced(matcher.group(1))) {
            return matcher.group(1).trim();
        }
        return "NOT (" + condition.trim() + ")";
    }

    static String countBreaking(String rule) {
        return "SELECT COUNT(*) FROM " + OBJECT + " WHERE NOT (" + rule + ")";
    }

    /** A share of rows (0..1) as the percentage the standard's rules use, exactly (0.99 -> 1). */
    static BigDecimal percentOutside(double share) {
        return BigDecimal.ONE.subtract(BigDecimal.valueOf(share)).movePointRight(2).stripTrailingZeros();
    }

    /** The share of rows a percentage outside leaves, exactly (1 -> 0.99). */
    static double shareInside(BigDecimal percentOutside) {
        return BigDecimal.ONE.subtract(percentOutside.movePointLeft(2)).doubleValue();
    }

    private static boolean balanced(String text) {
        int depth = 0;
        for (char c : text.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    private static Map<String, Duration> units() {
        Map<String, Duration> units = new LinkedHashMap<>();
        for (String unit : new String[] {"s", "sec", "second", "seconds"}) {
            units.put(unit, Duration.ofSeconds(1));
        }
        for (String unit : new String[] {"min", "minute", "minutes"}) {
            units.put(unit, Duration.ofMinutes(1));
        }
        for (String unit : new String[] {"h", "hr", "hour", "hours"}) {
            units.put(unit, Duration.ofHours(1));
        }
        for (String unit : new String[] {"d", "day", "days"}) {
            units.put(unit, Duration.ofDays(1));
        }
        for (String unit : new String[] {"w", "week", "weeks"}) {
            units.put(unit, Duration.ofDays(7));
        }
        return units;
    }
}
