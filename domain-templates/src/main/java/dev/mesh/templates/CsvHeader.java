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

    /** The names in the file's first line; empty for an empty file. */
    static List<String> read(FileSystem fs, Path file, Charset charset, Map<String, String> options) {
        String text = firstLine(fs, file, charset);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isEmpty()) {
            return List.of();
        }
        CsvParserSettings settings = new CsvParserSettings();
        settings.getFormat().setDelimiter(option(options, "sep", option(options, "delimiter", ",")));
        settings.getFormat().setQuote(option(options, "quote", "\"").charAt(0));
        settings.getFormat().setQuoteEscape(option(options, "escape", "\\").charAt(0));
        settings.setMaxCharsPerColumn(-1);
        settings.setMaxColumns(100_000);
        settings.trimValues(false);
        settings.setNullValue("");
        settings.setEmptyValue("");
        String[] names = new CsvParser(settings).parseLine(text);
        return names == null ? List.of() : Arrays.asList(names);
    }

    private static String firstLine(FileSystem fs, Path file, Charset charset) {
        // ASCII-compatible encodings end the line at a '\n' or '\r' byte; UTF-16 and UTF-32 are decoded first
        boolean asciiCompatible = charset.newEncoder().maxBytesPerChar() <= 3 && !charset.name().startsWith("UTF-16")
                && !charset.name().startsWith("UTF-32");
        // compressed files (.gz, .bz2, ...) are read through the codec their extension names, as Spark reads them
        CompressionCodec codec = new CompressionCodecFactory(fs.getConf()).getCodec(file);
        try (InputStream in = new BufferedInputStream(codec == null ? fs.open(file)
                : codec.createInputStream(fs.open(file)), 8192)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && bytes.size() < MAX_HEADER_BYTES) {
                if (asciiCompatible && (b == '\n' || b == '\r')) {
                    break;
                }
                bytes.write(b);
            }
            String text = new String(bytes.toByteArray(), charset);
            int end = text.indexOf('\n');
            text = end < 0 ? text : text.substring(0, end);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw MeshException.infrastructure("cannot read the header of " + file + ": " + e.getMessage(), e);
        }
    }

    private static String option(Map<String, String> options, String name, String fallback) {
        String value = options.get(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
