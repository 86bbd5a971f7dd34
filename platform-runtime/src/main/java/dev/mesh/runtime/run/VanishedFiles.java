package dev.mesh.runtime.run;

import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.runtime.spi.SourceFile;
import java.io.FileNotFoundException;
import java.util.List;
import java.util.Optional;

/**
 * Names the landing file that was listed for a run but gone when Spark came to read it (its source moved or deleted
 * it meanwhile): Spark reports it as a FileNotFoundException deep in a task failure, with advice about refreshing
 * tables that does not apply here.
 */
final class VanishedFiles {
    private VanishedFiles() {}

    static Optional<String> find(Throwable failure, List<ResolvedInput> inputs) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage() == null ? "" : cause.getMessage();
            if (!(cause instanceof FileNotFoundException) && !message.contains("does not exist")) {
                continue;
            }
            for (ResolvedInput input : inputs) {
                for (SourceFile file : input.files()) {
                    if (message.contains(file.path()) || message.contains(file.name())) {
                        return Optional.of("landing file " + file.name() + " of input '" + input.name() + "' was "
                                + "listed for this run but was gone when it was read (moved or deleted meanwhile); "
                                + "nothing was published: run again, and have the source move files into the "
                                + "landing folder only when they are complete");
                    }
                }
            }
        }
        return Optional.empty();
    }
}
