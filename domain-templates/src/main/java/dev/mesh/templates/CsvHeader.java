package dev.mesh.templates;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import dev.mesh.error.MeshException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
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
    /** How far a header is looked for: a header line longer than this is cut here. */
    private static final int MAX_HEADER_CHARS = 1 << 20;

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
        // compressed files (.gz, .bz2, ...) are read through the codec their extension names, as Spark reads them
        CompressionCodec codec = new CompressionCodecFactory(fs.getConf()).getCodec(file);
        // decoded before lines are told apart, so that any encoding's line breaks are found (UTF-16's are two bytes)
        try (Reader in = new InputStreamReader(new BufferedInputStream(codec == null ? fs.open(file)
                : codec.createInputStream(fs.open(file)), 8192), charset)) {
            StringBuilder line = new StringBuilder();
            for (int read = 0; read < MAX_HEADER_CHARS; read++) {
                int c = in.read();
                if (c >= 0 && c != '\n' && c != '\r') {
                    if (read > 0 || c != '\uFEFF') {
                        line.append((char) c);
                    }
                    continue;
                }
                // as the CSV parser skips them: empty lines (a line of spaces is a record, and so a header)
                boolean skipped = line.isEmpty() || comment != null && line.charAt(0) == comment;
                if (!skipped || c < 0) {
                    return skipped ? "" : line.toString();
                }
                line.setLength(0);
            }
            return line.toString();
        } catch (IOException e) {
            throw MeshException.infrastructure("cannot read the header of " + file + ": " + e.getMessage(), e);
        }
    }

    private static String option(Map<String, String> options, String name, String fallback) {
        String value = options.get(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
