package dev.mesh.runtime.storage;

import dev.mesh.error.Secrets;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;

/**
 * {@code %redact{pattern}}: the log line of the inner pattern with every secret the process holds masked ({@link
 * Secrets}). Spark's executors and task scheduler log a failed task's message and stack as they are, and a query's
 * error may carry a value the platform keeps secret; the launcher's and the tests' log configurations wrap their whole
 * pattern in it (stack traces included), so no log line carries one. With {@code {drop}}, the stack frames Spark
 * writes into its messages' text are left out too: without --verbose, no stack trace reaches the terminal.
 */
@Plugin(name = "RedactingLogConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"redact"})
public final class RedactingLogConverter extends LogEventPatternConverter {
    /** The lines of a Java stack trace that Spark writes into its own messages (a failed task's, say). */
    private static final Pattern FRAME = Pattern.compile(
            "(?m)^(\\s+at \\S.*|\\s*\\.\\.\\. \\d+ more|Driver stacktrace:)\\R?");

    private final List<PatternFormatter> formatters;
    private final boolean dropFrames;

    private RedactingLogConverter(List<PatternFormatter> formatters, boolean dropFrames) {
        super("redact", "redact");
        this.formatters = List.copyOf(formatters);
        this.dropFrames = dropFrames;
    }

    /**
     * Called by log4j with the pattern's options: the inner pattern, and {@code drop} to leave out the stack frames
     * that messages carry in their text (the launcher keeps them with --verbose).
     */
    public static RedactingLogConverter newInstance(Configuration config, String[] options) {
        if (options == null || options.length < 1 || options.length > 2 || options[0] == null) {
            throw new IllegalArgumentException("%redact takes a pattern and optionally drop: %redact{%d %p %c: %m%n}"
                    + "{drop}");
        }
        return new RedactingLogConverter(PatternLayout.createPatternParser(config).parse(options[0]),
                options.length == 2 && "drop".equals(options[1]));
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        StringBuilder line = new StringBuilder();
        for (PatternFormatter formatter : formatters) {
            formatter.format(event, line);
        }
        String text = Secrets.redact(line.toString());
        if (dropFrames) {
            String brief = FRAME.matcher(text).replaceAll("");
            // a message that ended in frames leaves its own line end before the layout's
            text = brief.equals(text) ? text : brief.replaceAll("(\\R)\\R+$", "$1");
        }
        toAppendTo.append(text);
    }

    @Override
    public boolean handlesThrowable() {
        return formatters.stream().anyMatch(PatternFormatter::handlesThrowable);
    }
}
