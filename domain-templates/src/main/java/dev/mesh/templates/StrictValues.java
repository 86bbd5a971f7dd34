package dev.mesh.templates;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * Turns a source's text values into the declared types without coercion: a value that is not exactly a literal of
 * its type (grouping separators, trailing text, impossible dates, more digits than a decimal holds, an integer out of
 * range) parses to null, and {@link #reason} says why its record goes to quarantine. Surrounding spaces are allowed
 * and a blank value of a non-text column is null.
 */
final class StrictValues {
    /** What decoding puts where bytes are not valid in the file's encoding. */
    static final String REPLACEMENT = "\uFFFD";

    private static final String INTEGER = "^[+-]?[0-9]+$";
    private static final String FLOATING = "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$|^[+-]?(Infinity|NaN)$";
    private static final String DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
    /** A timestamp holds microseconds: more significant digits would be cut silently. */
    private static final String TIMESTAMP = "^[0-9]{4}-[0-9]{2}-[0-9]{2}"
            + "([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6}0*)?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$";
    private static final String NANOSECONDS = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{7,}"
            + "(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$";
    private static final String ZONED = "(Z|[+-][0-9]{2}(:?[0-9]{2})?)$";
    /** The lengths of the clock changes a zone can have: a local time these after its instant is the same again. */
    private static final long[] OVERLAPS_SECONDS = {1800, 3600, 7200};
    private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),\\s*(\\d+)\\)");
    private static final int SHOWN_CHARACTERS = 100;

    private final Map<String, String> options;
    private final String timeZone;

    /** {@code timeZone}: the session's, in which a timestamp without an offset is a local time. */
    StrictValues(Map<String, String> options, String timeZone) {
        this.options = Map.copyOf(options);
        this.timeZone = timeZone;
    }

    /** The value of {@code raw} (a string column) as {@code type}, or null when it is not one. */
    Column parse(Column raw, String type) {
        if (type.equals("string")) {
            return raw;
        }
        Column text = trim(raw);
        Column value = switch (type) {
            case "binary" -> raw.cast("binary");
            case "boolean" -> when(lower(text).isin("true", "false"), lower(text).cast("boolean"));
            case "tinyint", "smallint", "int", "bigint" -> when(text.rlike(INTEGER), text.cast(type));
            case "float", "double" -> finite(text, when(text.rlike(FLOATING), text.cast(type)));
            case "date" -> options.containsKey("dateFormat") ? to_date(text, options.get("dateFormat"))
                    : when(text.rlike(DATE), text.cast("date"));
            case "timestamp" -> when(existsOnce(text), timestamp(text));
            default -> decimal(text, type);
        };
        return when(text.notEqual(lit("")), value);
    }

    private Column timestamp(Column text) {
        return options.containsKey("timestampFormat") ? to_timestamp(text, options.get("timestampFormat"))
                : when(text.rlike(TIMESTAMP), text.cast("timestamp"));
    }

    /**
     * Whether a timestamp's local time (one without an offset, in the session's time zone) names exactly one
     * instant: one the clocks skip (spring forward) would become another hour, one they pass twice (fall back) could
     * be either; both go to quarantine. A value with an offset, or a format with a zone, is always one instant.
     */
    private Column existsOnce(Column text) {
        // a zone without clock changes (UTC, the platform's default, or a fixed offset) names every local time once
        if (fixedOffset()) {
            return lit(true);
        }
        return not(skipped(text).or(ambiguous(text)));
    }

    private boolean fixedOffset() {
        try {
            return java.time.ZoneId.of(timeZone, java.time.ZoneId.SHORT_IDS).getRules().isFixedOffset();
        } catch (java.time.DateTimeException e) {
            // a zone Java does not know by that name: check every value
            return false;
        }
    }

    private boolean formatHasZone() {
        String format = options.get("timestampFormat");
        return format != null && format.replaceAll("'[^']*'", "").chars().anyMatch(c -> "XxZzOV".indexOf(c) >= 0);
    }

    /** The value's local time, where it has no offset; null otherwise. */
    private Column localTime(Column text) {
        if (formatHasZone()) {
            return lit(null).cast("timestamp_ntz");
        }
        Column local = options.containsKey("timestampFormat")
                ? functions.to_timestamp_ntz(text, lit(options.get("timestampFormat")))
                : when(text.rlike(TIMESTAMP), text.cast("timestamp_ntz"));
        return when(not(text.rlike(ZONED)), local);
    }

    private Column skipped(Column text) {
        Column local = localTime(text);
        return functions.coalesce(local.isNotNull().and(timestamp(text).cast("timestamp_ntz").notEqual(local)),
                lit(false));
    }

    private Column ambiguous(Column text) {
        Column local = localTime(text);
        Column micros = functions.call_function("unix_micros", timestamp(text));
        Column later = lit(false);
        for (long seconds : OVERLAPS_SECONDS) {
            later = later.or(functions.call_function("timestamp_micros", micros.plus(seconds * 1_000_000L))
                    .cast("timestamp_ntz").equalTo(local));
        }
        return functions.coalesce(local.isNotNull().and(later), lit(false));
    }

    /**
     * Why {@code raw} is rejected as {@code column} of {@code type} (null when it is not). A value of another type
     * than text (or bytes) that holds undecodable bytes never parses, so only a value that did not parse is searched for them.
     */
    Column reason(Column raw, Column parsed, String column, String type, String encoding) {
        Column shown = substring(raw, 1, SHOWN_CHARACTERS);
        Column undecodable = concat(lit("column '" + column + "': holds bytes that are not valid " + encoding
                + " ('"), shown, lit("'); set the input's encoding to the files' character set"));
        if (type.equals("string") || type.equals("binary")) {
            return when(raw.contains(REPLACEMENT), undecodable);
        }
        Column why = when(raw.contains(REPLACEMENT), undecodable);
        if (type.equals("timestamp")) {
            Column text = trim(raw);
            Column value = concat(lit("column '" + column + "': '"), shown);
            why = why.when(text.rlike(NANOSECONDS), concat(value, lit("' is more precise than the microseconds a "
                            + "timestamp holds; round it at the source, or declare the column as string")))
                    .when(skipped(text), concat(value, lit("' does not exist in time zone " + timeZone + " (the clocks "
                            + "skip it); write it with its offset")))
                    .when(ambiguous(text), concat(value, lit("' is ambiguous in time zone " + timeZone + " (the "
                            + "clocks pass it twice); write it with its offset")));
        }
        return when(parsed.isNull().and(raw.isNotNull()).and(trim(raw).notEqual(lit(""))),
                why.otherwise(concat(lit("column '" + column + "': '"), shown, lit("' is not " + describe(type)))));
    }

    private String describe(String type) {
        return switch (type) {
            case "date" -> options.containsKey("dateFormat") ? "a date in the format " + options.get("dateFormat")
                    : "a date (yyyy-MM-dd)";
            case "timestamp" -> options.containsKey("timestampFormat")
                    ? "a timestamp in the format " + options.get("timestampFormat")
                    : "a timestamp (yyyy-MM-dd[ HH:mm[:ss[.ffffff]]][zone])";
            case "boolean" -> "a boolean (true or false)";
            case "int" -> "an int";
            default -> "a " + type;
        };
    }

    /** Overflowing a float or double gives infinity: only a literal Infinity may be infinite. */
    private static Column finite(Column text, Column value) {
        Column infinite = value.equalTo(lit(Double.POSITIVE_INFINITY)).or(value.equalTo(lit(Double.NEGATIVE_INFINITY)));
        return when(infinite.and(not(text.rlike("Infinity"))), lit(null)).otherwise(value);
    }

    /** At most precision - scale digits before the point and scale digits after it (trailing zeros aside). */
    private static Column decimal(Column text, String type) {
        Matcher matcher = DECIMAL.matcher(type);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a type the spec allows: " + type);
        }
        int precision = Integer.parseInt(matcher.group(1));
        int scale = Integer.parseInt(matcher.group(2));
        String regex = "^[+-]?(?=[.]?[0-9])0*[0-9]{0," + (precision - scale) + "}([.][0-9]{0," + scale + "}0*)?$";
        return when(text.rlike(regex), text.cast(type));
    }
}
