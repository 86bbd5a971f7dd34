package dev.mesh.runtime.ingest;

import dev.mesh.runtime.spi.SourceFile;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BiPredicate;

/** The landing files a product has published, by input: what an incremental read skips. */
public final class IngestedFiles implements BiPredicate<String, SourceFile> {
    public static final IngestedFiles NONE = new IngestedFiles(Set.of(), -1);

    private final Set<IngestedFile> files;
    private final long productVersion;

    IngestedFiles(Set<IngestedFile> files, long productVersion) {
        this.files = Set.copyOf(files);
        this.productVersion = productVersion;
    }

    /** The product version these files are published up to; -1 when the product has no table yet. */
    public long productVersion() {
        return productVersion;
    }

    @Override
    public boolean test(String input, SourceFile file) {
        return files.contains(IngestedFile.of(input, file));
    }

    public int size() {
        return files.size();
    }

    IngestedFiles plus(Set<IngestedFile> more, boolean replace, long version) {
        Set<IngestedFile> all = new HashSet<>(replace ? Set.of() : files);
        all.addAll(more);
        return new IngestedFiles(all, version);
    }
}
