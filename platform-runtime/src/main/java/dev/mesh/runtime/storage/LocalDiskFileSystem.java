package dev.mesh.runtime.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FsServerDefaults;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.local.LocalConfigKeys;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system without a process per file. Without Hadoop's native library, which Spark's jars do not
 * ship, Hadoop sets the permissions of every file and folder it creates by running {@code chmod}, and asks whether a
 * path is a symbolic link, before each rename through {@code FileContext}, by running {@code readlink}: each Parquet
 * file, checksum sidecar, folder and Delta checksum written to the local disk started a process, about 5 ms each on an
 * idle 2-core machine, hundreds per quickstart. Here both are answered in this process through {@code java.nio}, with
 * the same effect. What {@code java.nio} cannot express (the sticky bit, a file system without POSIX permissions) and
 * real symbolic links still go Hadoop's way.
 */
public final class LocalDiskFileSystem extends LocalFileSystem {
    public LocalDiskFileSystem() {
        super(new Raw());
    }

    /** The raw file system beneath the checksums: Hadoop's, with permissions and link checks in this process. */
    static final class Raw extends RawLocalFileSystem {
        @Override
        public void setPermission(Path path, FsPermission permission) throws IOException {
            Optional<Set<PosixFilePermission>> posix = posix(permission);
            if (posix.isEmpty()) {
                super.setPermission(path, permission);
                return;
            }
            try {
                Files.setPosixFilePermissions(pathToFile(path).toPath(), posix.get());
            } catch (NoSuchFileException e) {
                throw new FileNotFoundException("File " + path + " does not exist");
            } catch (UnsupportedOperationException e) {
                super.setPermission(path, permission);
            }
        }

        /** Hadoop's answer for a path that is no symbolic link is its status: the same, without running readlink. */
        @Override
        public FileStatus getFileLinkStatus(Path path) throws IOException {
            return Files.isSymbolicLink(pathToFile(path).toPath()) ? super.getFileLinkStatus(path)
                    : getFileStatus(path);
        }
    }

    /** The same file system for {@code FileContext}, through which Spark and Delta write checksums and checkpoints. */
    public static final class Context extends ChecksumFs {
        public Context(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(new RawContext(uri, conf));
        }
    }

    /** What Hadoop's {@code RawLocalFs} is, over {@link Raw}. */
    static final class RawContext extends DelegateToFileSystem {
        RawContext(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(uri, new Raw(), conf, "file", false);
        }

        @Override
        public int getUriDefaultPort() {
            return -1;
        }

        @Override
        public FsServerDefaults getServerDefaults(Path path) throws IOException {
            return LocalConfigKeys.getServerDefaults();
        }

        @Override
        @SuppressWarnings("deprecation")
        public FsServerDefaults getServerDefaults() throws IOException {
            return LocalConfigKeys.getServerDefaults();
        }

        @Override
        public boolean isValidName(String src) {
            return true;
        }
    }

    /** The permission as java.nio's, unless it has what java.nio cannot set (the sticky bit). */
    static Optional<Set<PosixFilePermission>> posix(FsPermission permission) {
        if (permission.getStickyBit()) {
            return Optional.empty();
        }
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        add(set, permission.getUserAction(), PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE);
        add(set, permission.getGroupAction(), PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_EXECUTE);
        add(set, permission.getOtherAction(), PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_EXECUTE);
        return Optional.of(set);
    }

    private static void add(Set<PosixFilePermission> set, FsAction action, PosixFilePermission read,
            PosixFilePermission write, PosixFilePermission execute) {
        if (action.implies(FsAction.READ)) {
            set.add(read);
        }
        if (action.implies(FsAction.WRITE)) {
            set.add(write);
        }
        if (action.implies(FsAction.EXECUTE)) {
            set.add(execute);
        }
    }
}
