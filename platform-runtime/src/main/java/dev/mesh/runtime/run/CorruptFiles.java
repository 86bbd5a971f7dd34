package dev.mesh.runtime.run;

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

/**
 * Names the landing file behind a read that failed inside a compressed stream (a truncated or corrupt .gz, .bz2...):
 * Spark reports only "Unexpected end of input stream". Only on that failure are the run's compressed files read
 * through, to find which one is broken.
 */
final class CorruptFiles {
    private CorruptFiles() {}

    static Optional<String> find(Throwable failure, List<ResolvedInput> inputs, Configuration conf) {
        boolean streamBroke = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            streamBroke |= cause instanceof EOFException || cause instanceof ZipException;
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
}
