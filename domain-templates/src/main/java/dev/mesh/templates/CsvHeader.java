package dev.mesh.templates;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import dev.mesh.error.MeshException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * The column names of a CSV file, read from its first line with the input's separator, quote and encoding, so that
 * columns are bound to the declared schema by name whatever their order in the file.
 */
final class CsvHeader {
    /** A header line longer than this is not a header. */
    private static final int MAX_HEADER_BYTES = 1 << 20;

    private CsvHeader() {}

    /**
     * The names in the file's first line that is not empty (Spark's reader skips empty lines, and comment lines when the
     * input names a comment character, before it takes the header); empty for a file without one.
     */
    static List<String> read(FileSystem fs, Path file, Charset charset, Map<String, String> options) {
        String comment = options.getOrDefault("comment", "");
        String text = headerLine(fs, file, charset, comment.isEmpty() ? null : comment.charAt(0));
        if (text.isEmpty()) {
            return List.of();
        }
        CsvParserSettings settings = new CsvParserSettings();
        settings.getFormat().setDelimiter(option(options, "sep", option(options, "delimiter", ",")));
        settings.getFormat().setQuote(option(options, "quote", "\"").charAt(0));
        settings.getFormat().setQuoteEscape(option(options, "escape", "\"").charAt(0));
        settings.setMaxCharsPerColumn(-1);
        settings.setMaxColumns(100_000);
        settings.trimValues(false);
        settings.setNullValue("");
        settings.setEmptyValue("");
        String[] names = new CsvParser(settings).parseLine(text);
        return names == null ? List.of() : Arrays.asList(names);
    }

    private static String headerLine(FileSystem fs, Path file, Charset charset, Character comment) {
        // ASCII-compatible encodings end the line at a '\n' or '\r' byte; UTF-16 and UTF-32 are decoded first
        boolean asciiCompatible = charset.newEncoder().maxBytesPerChar() <= 3 && !charset.name().startsWith("UTF-16")
                && !charset.name().startsWith("UTF-32");
        // compressed files (.gz, .bz2, ...) are read through the codec their extension names, as Spark reads them
        CompressionCodec codec = new CompressionCodecFactory(fs.getConf()).getCodec(file);
        try (InputStream in = new BufferedInputStream(codec == null ? fs.open(file)
                : codec.createInputStream(fs.open(file)), 8192)) {
            long consumed = 0;
            boolean first = true;
            while (consumed < MAX_HEADER_BYTES) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                int b;
                boolean ended = false;
                while ((b = in.read()) >= 0 && consumed++ < MAX_HEADER_BYTES) {
                    if (asciiCompatible && (b == '\n' || b == '\r')) {
                        ended = true;
                        break;
                    }
                    bytes.write(b);
                }
                String text = new String(bytes.toByteArray(), charset);
                if (first && text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
                first = false;
                int end = text.indexOf('\n');
                text = end < 0 ? text : text.substring(0, end);
                text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                // as the CSV parser skips them: empty lines (a line of spaces is a record, and so a header)
                boolean skipped = text.isEmpty() || comment != null && text.charAt(0) == comment;
                if (!skipped || !ended || !asciiCompatible) {
                    return skipped ? "" : text;
                }
            }
            return "";
        } catch (IOException e) {
            throw MeshException.infrastructure("cannot read the header of " + file + ": " + e.getMessage(), e);
        }
    }

    private static String option(Map<String, String> options, String name, String fallback) {
        String value = options.get(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
