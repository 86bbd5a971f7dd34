package dev.mesh.templates;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.spi.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What identifies a landing file's content. On S3 the store's ETag, which the listing carries, so no file is read for
 * it; elsewhere the SHA-256 of its bytes, read once when the file is first seen (and again only when it is found with
 * another size or time, to tell a touched file from a changed one).
 */
public final class FileIdentity {
    private FileIdentity() {}

    /** The file with its identity: as listed where the listing carries one, else with the SHA-256 of its bytes. */
    public static SourceFile identified(FileSystem fs, SourceFile file) {
        if (!file.checksum().isEmpty()) {
            return file;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = fs.open(new Path(file.path()))) {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    digest.update(buffer, 0, read);
                }
            }
            return file.withChecksum("sha256:" + HexFormat.of().formatHex(digest.digest()));
        } catch (IOException e) {
            throw MeshException.infrastructure("cannot read landing file " + file.path() + " to identify its "
                    + "content: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How the file differs from the one published: "size 120 -> 180 bytes, modified ... -> ...". */
    static String describeChange(SourceFile was, SourceFile now) {
        List<String> changes = new ArrayList<>();
        if (was.size() != now.size()) {
            changes.add("size " + was.size() + " -> " + now.size() + " bytes");
        }
        if (was.modifiedMillis() != now.modifiedMillis()) {
            changes.add("modified " + Instant.ofEpochMilli(was.modifiedMillis()) + " -> "
                    + Instant.ofEpochMilli(now.modifiedMillis()));
        }
        if (changes.isEmpty() || !was.checksum().isEmpty() && !was.checksum().equals(now.checksum())) {
            changes.add(was.checksum().isEmpty() ? "its content was not recorded" : "other content");
        }
        return String.join(", ", changes);
    }
}
