package dev.mesh.runtime.storage;

import java.util.List;
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
 * pattern in it (stack traces included), so no log line carries one.
 */
@Plugin(name = "RedactingLogConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"redact"})
public final class RedactingLogConverter extends LogEventPatternConverter {
    private final List<PatternFormatter> formatters;

    private RedactingLogConverter(List<PatternFormatter> formatters) {
        super("redact", "redact");
        this.formatters = List.copyOf(formatters);
    }

    /** Called by log4j with the pattern's options: the inner pattern. */
    public static RedactingLogConverter newInstance(Configuration config, String[] options) {
        if (options == null || options.length != 1 || options[0] == null) {
            throw new IllegalArgumentException("%redact takes one pattern: %redact{%d %p %c: %m%n}");
        }
        return new RedactingLogConverter(PatternLayout.createPatternParser(config).parse(options[0]));
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        StringBuilder line = new StringBuilder();
        for (PatternFormatter formatter : formatters) {
            formatter.format(event, line);
        }
        toAppendTo.append(Secrets.redact(line.toString()));
    }

    @Override
    public boolean handlesThrowable() {
        return formatters.stream().anyMatch(PatternFormatter::handlesThrowable);
    }
}
