package dev.mesh.templates;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.spi.IgnoredFile;
import dev.mesh.runtime.spi.SourceFile;
import dev.mesh.spec.validation.IgnorePatterns;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.EtagSource;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobPattern;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The files of a source's landing folder that an input reads (a folder, a file or a glob inside it), by their real
 * paths: every file the listing finds lies inside the source's landing folder after Hadoop expanded the globs and
 * the file system followed its links, or the run is refused, naming the file; every file found is either to be read
 * or listed as ignored with the reason.
 */
public final class LandingFiles {
    private LandingFiles() {}

    /** The files to read, sorted by path, and those left out. */
    public record Listing(List<SourceFile> files, List<IgnoredFile> ignored) {}

    /**
     * Lists {@code location} (a path or glob under {@code folder}, the source's landing folder); {@code what} names
     * the input in messages ("input 'pos' of shop.orders").
     */
    public static Listing list(FileSystem fs, String folder, String location, IgnorePatterns ignore,
            Optional<String> globFilter, String what) {
        try {
            Path root = fs.makeQualified(new Path(folder));
            String prefix = root.toString().endsWith("/") ? root.toString() : root + "/";
            Optional<java.nio.file.Path> realRoot = realPath(fs, root);
            Optional<GlobPattern> filter = globFilter.map(GlobPattern::new);
            Map<String, FileStatus> found = new LinkedHashMap<>();
            FileStatus[] matches = fs.globStatus(new Path(location));
            for (FileStatus match : matches == null ? new FileStatus[0] : matches) {
                requireInside(match.getPath(), root, prefix, what);
                if (match.isFile()) {
                    found.putIfAbsent(match.getPath().toString(), match);
                    continue;
                }
                listInto(fs, match.getPath(), found);
            }
            List<SourceFile> files = new ArrayList<>();
            List<IgnoredFile> ignored = new ArrayList<>();
            for (FileStatus file : found.values()) {
                String path = file.getPath().toString();
                String relative = requireInside(file.getPath(), root, prefix, what);
                if (realRoot.isPresent()) {
                    requireNotALink(file.getPath(), relative, realRoot.get(), root, what);
                }
                Optional<String> reason = ignore.reason(relative);
                if (reason.isEmpty() && filter.isPresent() && !filter.get().matches(file.getPath().getName())) {
                    reason = Optional.of("does not match the input's options.pathGlobFilter '"
                            + globFilter.orElseThrow() + "'");
                }
                if (reason.isPresent()) {
                    ignored.add(new IgnoredFile(path, reason.get()));
                } else {
                    // S3's listing carries each object's ETag: the content's identity without reading it
                    String etag = file instanceof EtagSource source && source.getEtag() != null
                            ? "etag:" + source.getEtag() : "";
                    files.add(new SourceFile(path, file.getLen(), file.getModificationTime(), etag));
                }
            }
            files.sort(Comparator.comparing(SourceFile::path));
            ignored.sort(Comparator.comparing(IgnoredFile::path));
            return new Listing(List.copyOf(files), List.copyOf(ignored));
        } catch (IOException e) {
            throw MeshException.infrastructure("cannot list " + location + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every file under {@code folder}. An object store lists them in one flat listing (S3A's carries each ETag); the
     * local disk folder by folder, as plain statuses: Hadoop's recursive listing wraps each file in a located status,
     * which on a machine without Hadoop's native library reads the file's owner and permissions by running
     * {@code ls} once per file (100 landing files: a second).
     */
    private static void listInto(FileSystem fs, Path folder, Map<String, FileStatus> found) throws IOException {
        if (!"file".equals(fs.getScheme())) {
            RemoteIterator<LocatedFileStatus> listing = fs.listFiles(folder, true);
            while (listing.hasNext()) {
                LocatedFileStatus file = listing.next();
                found.putIfAbsent(file.getPath().toString(), file);
            }
            return;
        }
        Deque<Path> folders = new ArrayDeque<>(List.of(folder));
        while (!folders.isEmpty()) {
            for (FileStatus child : fs.listStatus(folders.pop())) {
                if (child.isDirectory()) {
                    folders.push(child.getPath());
                } else {
                    found.putIfAbsent(child.getPath().toString(), child);
                }
            }
        }
    }

    /** The path relative to the landing folder, or the run is refused: the file lies outside it. */
    private static String requireInside(Path file, Path root, String prefix, String what) {
        String path = file.toString();
        // Hadoop normalizes '..' away; a path that still holds one, or that is not under the folder, is outside
        if (!path.startsWith(prefix) || path.contains("/../") || path.endsWith("/..")) {
            if (path.equals(root.toString())) {
                return "";
            }
            throw outside(what, path, "is outside", root);
        }
        return path.substring(prefix.length());
    }

    /**
     * On the local disk, the file's real path (links followed) must be the listed one: a link, to a file or a folder,
     * anywhere under the landing folder is refused, whether it points outside the zone or to another landing file.
     */
    private static void requireNotALink(Path file, String relative, java.nio.file.Path realRoot, Path root,
            String what) throws IOException {
        java.nio.file.Path listed = realRoot.resolve(relative).normalize();
        java.nio.file.Path real = Paths.get(file.toUri()).toRealPath();
        if (!real.equals(listed)) {
            throw outside(what, file.toString(), "is reached through a symbolic link (to " + real + "), and links are "
                    + "not followed: put the file itself in", root);
        }
    }

    private static Optional<java.nio.file.Path> realPath(FileSystem fs, Path root) throws IOException {
        if (!"file".equals(fs.getScheme()) || !fs.exists(root)) {
            return Optional.empty();
        }
        return Optional.of(Paths.get(root.toUri()).toRealPath());
    }

    private static MeshException outside(String what, String path, String how, Path root) {
        return MeshException.accessDenied("%s: landing file %s %s the source's landing folder %s; a product reads "
                + "only the files of its own sources, and nothing was read", what, path, how, root);
    }

    /**
     * The path as Spark must be given it to read that one file: Spark expands glob characters in the paths it is
     * given, so a file named {@code x[1].csv} would read {@code x1.csv}; escaped, a name is only a name.
     */
    public static String literal(String path) {
        StringBuilder escaped = new StringBuilder(path.length() + 8);
        for (char c : path.toCharArray()) {
            if ("\\{}[]*?".indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
