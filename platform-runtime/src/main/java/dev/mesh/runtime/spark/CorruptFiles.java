package dev.mesh.runtime.spark;

import dev.mesh.error.PlainMessages;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.runtime.spi.SourceFile;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.sql.execution.datasources.SchemaColumnConvertNotSupportedException;

/**
 * Names the landing file behind a read that failed inside a compressed stream (a truncated or corrupt .gz, .bz2...):
 * Spark reports only "Unexpected end of input stream". Only on that failure are the run's compressed files read
 * through, to find which one is broken. A Parquet file whose column has another type than declared is named too.
 */
public final class CorruptFiles {
    private CorruptFiles() {}

    public static Optional<String> find(Throwable failure, List<ResolvedInput> inputs, Configuration conf) {
        boolean streamBroke = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            streamBroke |= cause instanceof EOFException || cause instanceof ZipException;
            if (cause instanceof SchemaColumnConvertNotSupportedException types) {
                return Optional.of(typeMismatch(types, failure, inputs));
            }
        }
        if (!streamBroke) {
            return Optional.empty();
        }
        CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
        for (ResolvedInput input : inputs) {
            for (SourceFile file : input.files()) {
                Path path = new Path(file.path());
                CompressionCodec codec = codecs.getCodec(path);
                if (codec == null) {
                    continue;
                }
                try (InputStream in = codec.createInputStream(path.getFileSystem(conf).open(path))) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException e) {
                    return Optional.of("landing file " + file.name() + " of input '" + input.name() + "' is "
                            + "truncated or corrupt (" + PlainMessages.of(e) + "); replace it with a complete file "
                            + "and run again");
                }
            }
        }
        return Optional.empty();
    }

    /** A Parquet file whose column has another type than the declared one: named with both types. */
    private static String typeMismatch(SchemaColumnConvertNotSupportedException types, Throwable failure,
            List<ResolvedInput> inputs) {
        String column = types.getColumn().replaceAll("^\\[|\\]$", "");
        String message = "";
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            message = cause.getMessage() != null && cause.getMessage().contains("cannot be converted in file")
                    ? cause.getMessage() : message;
        }
        for (ResolvedInput input : inputs) {
            for (SourceFile file : input.files()) {
                if (message.contains(file.name())) {
                    return "landing file " + file.name() + " of input '" + input.name() + "' has column " + column
                            + " as " + types.getPhysicalType() + ", not " + types.getLogicalType() + " as declared; "
                            + "fix the file or the declared schema";
                }
            }
        }
        return "a landing file has column " + column + " as " + types.getPhysicalType() + ", not "
                + types.getLogicalType() + " as declared (" + PlainMessages.of(failure) + ")";
    }
}
