package dev.mesh.runtime.spi;

import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The landing files a product has published, by input: {@link #test} whether a file as listed now is one already
 * published (an incremental read skips it), {@link #published} what was published under a path, if anything (a
 * file found again under that name with other content has changed).
 */
public interface PublishedFiles extends BiPredicate<String, SourceFile> {
    /** Nothing published yet: every file is read. */
    PublishedFiles NONE = new PublishedFiles() {
        @Override
        public boolean test(String input, SourceFile file) {
            return false;
        }

        @Override
        public Optional<Published> published(String input, String path) {
            return Optional.empty();
        }
    };

    Optional<Published> published(String input, String path);

    /**
     * A file as the product version that published it recorded it, and the batch it belongs to in the product's
     * history: the version that first published it in a batch of its own (a rebuild republishes every file, and keeps
     * each in its batch).
     */
    record Published(SourceFile file, long version, long batch) {}
}
