package dev.mesh.quality.deequ;

import dev.mesh.error.PlainMessages;
import java.util.regex.Pattern;

/**
 * Deequ's messages in the platform's words: no analyzer, Scala or Java exception class names reach a user, a table
 * or a report ("Empty state for analyzer Uniqueness(List(order_id),None,None), all input values were NULL." is "no
 * rows", or "no values: all of them are null" when there are rows).
 */
final class DeequWords {
    /** Deequ's analyzer case classes as it prints them: {@code Uniqueness(List(order_id),None,None)}. */
    private static final Pattern ANALYZER = Pattern.compile(
            "\\b(?:Completeness|Uniqueness|Distinctness|Compliance|Minimum|Maximum|Mean|Sum|Size|PatternMatch|"
            + "MinLength|MaxLength|Histogram|DataType|Correlation|Entropy|MutualInformation|ApproxCountDistinct|"
            + "ApproxQuantile|StandardDeviation|UniqueValueRatio|CountDistinct)\\((?:[^()]|\\([^()]*\\))*\\)");

    private DeequWords() {}

    static String inPlatformWords(String message, java.util.function.BooleanSupplier noRows) {
        if (message == null || message.isBlank()) {
            return "";
        }
        if (message.contains("Empty state for analyzer")) {
            return noRows.getAsBoolean() ? "no rows" : "no values: all of them are null";
        }
        return ANALYZER.matcher(PlainMessages.of(message, "")).replaceAll("the rule");
    }
}
