package dev.mesh.templates;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.spi.SourceFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/** The data files of a landing folder (a folder, a file or a glob), without hidden and marker files, by path. */
final class LandingFiles {
    private LandingFiles() {}

    static List<SourceFile> list(FileSystem fs, String location) {
        try {
            List<SourceFile> files = new ArrayList<>();
            FileStatus[] matches = fs.globStatus(new Path(location));
            if (matches == null) {
                return files;
            }
            for (FileStatus match : matches) {
                if (match.isFile()) {
                    addIfData(files, match);
                    continue;
                }
                RemoteIterator<LocatedFileStatus> listing = fs.listFiles(match.getPath(), true);
                while (listing.hasNext()) {
                    addIfData(files, listing.next());
                }
            }
            files.sort(Comparator.comparing(SourceFile::path));
            return files;
        } catch (IOException e) {
            throw MeshException.infrastructure("cannot list " + location + ": " + e.getMessage(), e);
        }
    }

    private static void addIfData(List<SourceFile> files, FileStatus file) {
        String name = file.getPath().getName();
        if (!name.startsWith(".") && !name.startsWith("_")) {
            files.add(new SourceFile(file.getPath().toString(), file.getLen(), file.getModificationTime()));
        }
    }
}
