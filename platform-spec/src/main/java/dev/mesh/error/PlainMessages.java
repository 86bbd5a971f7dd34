package dev.mesh.error;

import java.util.regex.Pattern;

/**
 * Failure messages from below the platform (Spark, Hadoop, Delta, the JDK) made fit for users: the first line only,
 * without Java exception class names ({@code java.io.FileNotFoundException: }) or Spark's error class tags
 * ({@code [TABLE_OR_VIEW_NOT_FOUND] }).
 */
public final class PlainMessages {
    private static final Pattern EXCEPTION_CLASS = Pattern.compile(
            "\\b(?:[a-zA-Z_][a-zA-Z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error|Throwable)\\b:?\\s*");
    private static final Pattern SIMPLE_EXCEPTION = Pattern.compile(
            "^[A-Z][A-Za-z0-9_$]*(?:Exception|Error):\\s*");
    private static final Pattern ERROR_CLASS = Pattern.compile("^\\[[A-Z_.]+\\]\\s*");

    private PlainMessages() {}

    /** The plain first line of {@code message}; {@code fallback} when nothing is left. */
    public static String of(String message, String fallback) {
        if (message == null) {
            return fallback;
        }
        String line = message.strip().lines().findFirst().orElse("").strip();
        line = EXCEPTION_CLASS.matcher(line).replaceAll("");
        line = SIMPLE_EXCEPTION.matcher(line).replaceAll("");
        line = ERROR_CLASS.matcher(line).replaceAll("");
        return line.isBlank() ? fallback : line.strip();
    }

    /** The plain message of a failure, looking into its causes when its own message says nothing. */
    public static String of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String plain = of(cause.getMessage(), "");
            if (!plain.isEmpty()) {
                return plain;
            }
        }
        return "an unexpected failure with no message; run again with --verbose for its stack trace";
    }
}
