package dev.mesh.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform's local file system does what Hadoop's own does, file for file: the same permissions on what it
 * creates and sets, the same checksum sidecars, renames through {@code FileContext} that refuse a taken name, and
 * the same answer for a symbolic link; only without starting {@code chmod} and {@code readlink}.
 */
class LocalDiskFileSystemTest {
    @TempDir
    Path dir;

    @Test
    void whatItCreatesAndChangesHasTheSamePermissionsAndSidecarsAsWithHadoopsOwn() throws IOException {
        FileSystem hadoops = FileSystem.newInstance(dir.toUri(), conf(false));
        FileSystem platforms = FileSystem.newInstance(dir.toUri(), conf(true));
        assertThat(hadoops.getClass().getName()).isEqualTo("org.apache.hadoop.fs.LocalFileSystem");
        assertThat(platforms).isInstanceOf(LocalDiskFileSystem.class);
        for (FileSystem fs : java.util.List.of(hadoops, platforms)) {
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir.resolve(name(fs)).toUri());
            fs.mkdirs(new org.apache.hadoop.fs.Path(root, "a/b"), new FsPermission((short) 0750));
            try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(root, "a/b/data.parquet"),
                    new FsPermission((short) 0640), true, 4096, (short) 1, 1 << 20, null)) {
                out.write("rows".getBytes(StandardCharsets.UTF_8));
            }
            fs.create(new org.apache.hadoop.fs.Path(root, "plain")).close();
            fs.setPermission(new org.apache.hadoop.fs.Path(root, "plain"), new FsPermission((short) 0604));
            fs.mkdirs(new org.apache.hadoop.fs.Path(root, "shared"));
            // the sticky bit, which java.nio cannot set, still goes Hadoop's way
            fs.setPermission(new org.apache.hadoop.fs.Path(root, "shared"), new FsPermission((short) 01777));
        }
        for (String file : java.util.List.of("a", "a/b", "a/b/data.parquet", "a/b/.data.parquet.crc", "plain",
                "shared")) {
            Path theirs = dir.resolve(name(hadoops)).resolve(file);
            Path ours = dir.resolve(name(platforms)).resolve(file);
            assertThat(ours).as(file).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ours))).as(file)
                    .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(theirs)));
            assertThat(platforms.getFileStatus(path(ours)).getPermission()).as(file)
                    .isEqualTo(hadoops.getFileStatus(path(theirs)).getPermission());
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ours/a/b/data.parquet"))))
                .isEqualTo("rw-r-----");
        assertThat(platforms.getFileStatus(path(dir.resolve("ours/shared"))).getPermission().getStickyBit()).isTrue();
        assertThatThrownBy(() -> platforms.setPermission(path(dir.resolve("ours/gone")), FsPermission.getDefault()))
                .isInstanceOf(java.io.FileNotFoundException.class);
    }

    @Test
    void fileContextRenamesRefuseATakenNameAndAnswerForLinksAsHadoopDoes() throws Exception {
        FileContext context = FileContext.getFileContext(dir.toUri(), conf(true));
        assertThat(context.getDefaultFileSystem()).isInstanceOf(LocalDiskFileSystem.Context.class);
        org.apache.hadoop.fs.Path temporary = path(dir.resolve(".00001.json.tmp"));
        try (FSDataOutputStream out = context.create(temporary, EnumSet.of(CreateFlag.CREATE),
                Options.CreateOpts.createParent())) {
            out.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        org.apache.hadoop.fs.Path version = path(dir.resolve("00001.json"));
        context.rename(temporary, version, Options.Rename.NONE);
        assertThat(dir.resolve("00001.json")).hasContent("{}");
        assertThat(dir.resolve(".00001.json.crc")).exists();

        Files.writeString(dir.resolve("other.json"), "[]");
        assertThatThrownBy(() -> context.rename(path(dir.resolve("other.json")), version, Options.Rename.NONE))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(dir.resolve("00001.json")).hasContent("{}");

        // a symbolic link is answered by Hadoop's own code, as before
        Files.createSymbolicLink(dir.resolve("link.json"), dir.resolve("00001.json"));
        FileContext hadoops = FileContext.getFileContext(dir.toUri(), conf(false));
        assertThat(hadoops.getDefaultFileSystem().getClass().getName()).isEqualTo("org.apache.hadoop.fs.local.LocalFs");
        for (String name : java.util.List.of("link.json", "00001.json")) {
            FileStatus ours = context.getFileLinkStatus(path(dir.resolve(name)));
            FileStatus theirs = hadoops.getFileLinkStatus(path(dir.resolve(name)));
            assertThat(ours.isSymlink()).as(name).isEqualTo(theirs.isSymlink());
            assertThat(ours.getLen()).as(name).isEqualTo(theirs.getLen());
            assertThat(ours.getPath()).as(name).isEqualTo(theirs.getPath());
        }
        assertThat(context.getFileLinkStatus(version).isSymlink()).isFalse();
        assertThat(context.getFileLinkStatus(version).getLen()).isEqualTo(2);
        assertThatThrownBy(() -> context.getFileLinkStatus(path(dir.resolve("gone.json"))))
                .isInstanceOf(java.io.FileNotFoundException.class);
    }

    private static Configuration conf(boolean platforms) {
        Configuration conf = new Configuration();
        conf.set("fs.permissions.umask-mode", "022");
        if (platforms) {
            LocalDiskSettings.configure(conf);
        }
        return conf;
    }

    private static String name(FileSystem fs) {
        return fs instanceof LocalDiskFileSystem ? "ours" : "theirs";
    }

    private static org.apache.hadoop.fs.Path path(Path local) {
        return new org.apache.hadoop.fs.Path(local.toUri());
    }
}
