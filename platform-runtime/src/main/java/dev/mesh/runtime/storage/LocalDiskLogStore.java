package dev.mesh.runtime.storage;

import io.delta.storage.HadoopFileSystemLogStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;

/**
 * Delta's log on the local disk, with commits that cannot overwrite each other. Delta (Spark and Kernel alike) writes
 * a local table's log through {@code HDFSLogStore}, which relies on a rename that refuses an existing target: on the
 * local disk Hadoop checks that the target is absent and then renames onto it, so two writers racing for one version
 * (two products of one {@code mesh run --parallel} recording their runs, two processes) could both "win", the second
 * commit replacing the first, and its checksum sidecar left not matching the file. Here a commit is written to a
 * temporary file and then hard-linked to its version's name, which the operating system refuses atomically when the
 * name is taken, across threads and processes alike (a rename under a lock of this JVM where the disk has no hard
 * links). Reading and listing are Hadoop's.
 */
public final class LocalDiskLogStore extends HadoopFileSystemLogStore {
    /** The Hadoop setting that makes Kernel write local tables' logs through this store ({@link LocalDiskSettings}). */
    static final String KERNEL_SETTING = "io.delta.kernel.logStore.file.impl";

    private static final Object NO_LINKS_LOCK = new Object();

    public LocalDiskLogStore(Configuration initHadoopConf) {
        super(initHadoopConf);
    }

    @Override
    public void write(org.apache.hadoop.fs.Path path, Iterator<String> actions, Boolean overwrite,
            Configuration hadoopConf) throws IOException {
        Path target = local(path);
        Path folder = target.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new FileNotFoundException("No such file or directory: " + path.getParent());
        }
        if (!overwrite && Files.exists(target)) {
            throw new FileAlreadyExistsException(path.toString());
        }
        Path temporary = folder.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                while (actions.hasNext()) {
                    out.write(actions.next());
                    out.write('\n');
                }
            }
            if (overwrite) {
                // a checksum sidecar that Hadoop wrote for an earlier version of the file would no longer match it
                Files.deleteIfExists(folder.resolve("." + target.getFileName() + ".crc"));
                replace(temporary, target);
            } else {
                publish(temporary, target, path);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * True: a file being written on the local disk is visible with what it holds so far, so Delta writes the files it
     * does not write through this store (checkpoints) to a temporary name first, as with Delta's own local stores. The
     * commits this store writes are never seen partly written.
     */
    @Override
    public Boolean isPartialWriteVisible(org.apache.hadoop.fs.Path path, Configuration hadoopConf) {
        return true;
    }

    /** Gives the written file the target's name unless that name is taken, atomically. */
    private static void publish(Path temporary, Path target, org.apache.hadoop.fs.Path path) throws IOException {
        try {
            Files.createLink(target, temporary);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(path.toString());
        } catch (UnsupportedOperationException | IOException noLinks) {
            synchronized (NO_LINKS_LOCK) {
                if (Files.exists(target)) {
                    throw new FileAlreadyExistsException(path.toString());
                }
                Files.move(temporary, target);
            }
        }
    }

    private static void replace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path local(org.apache.hadoop.fs.Path path) {
        URI uri = path.toUri();
        return uri.getScheme() == null ? Paths.get(uri.getPath()) : Paths.get(uri);
    }
}
