package dev.mesh.runtime.ingest;

import dev.mesh.runtime.spi.PublishedFiles;
import dev.mesh.runtime.spi.SourceFile;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The landing files a product has published, by input and path, each as the latest version that published it
 * recorded it: what an incremental read skips, and what tells a changed file from a new one.
 */
public final class IngestedFiles implements PublishedFiles {
    public static final IngestedFiles NONE = new IngestedFiles(Map.of(), -1);

    private final Map<Key, Published> files;
    private final long productVersion;

    private record Key(String input, String path) {}

    private IngestedFiles(Map<Key, Published> files, long productVersion) {
        this.files = Map.copyOf(files);
        this.productVersion = productVersion;
    }

    /** The product version these files are published up to; -1 when the product has no table yet. */
    public long productVersion() {
        return productVersion;
    }

    /** The same file: its path published with this size and time, and this ETag or checksum where both know one. */
    @Override
    public boolean test(String input, SourceFile file) {
        Published published = files.get(new Key(input, file.path()));
        if (published == null) {
            return false;
        }
        SourceFile recorded = published.file();
        return recorded.size() == file.size() && recorded.modifiedMillis() == file.modifiedMillis()
                && (recorded.checksum().isEmpty() || file.checksum().isEmpty()
                        || recorded.checksum().equals(file.checksum()));
    }

    @Override
    public Optional<Published> published(String input, String path) {
        return Optional.ofNullable(files.get(new Key(input, path)));
    }

    public int size() {
        return files.size();
    }

    /** These files with {@code more}, published by {@code version}, replacing all earlier ones if {@code replace}. */
    IngestedFiles plus(Iterable<IngestedFile> more, boolean replace, long version, long upTo) {
        Map<Key, Published> all = new HashMap<>(replace ? Map.of() : files);
        for (IngestedFile file : more) {
            Key key = new Key(file.input(), file.path());
            Published earlier = all.get(key);
            if (earlier == null || earlier.version() <= version) {
                all.put(key, new Published(file.asSourceFile(), version, file.batch() >= 0 ? file.batch() : version));
            }
        }
        return new IngestedFiles(all, upTo);
    }

    static IngestedFiles upTo(long version) {
        return new IngestedFiles(Map.of(), version);
    }
}
