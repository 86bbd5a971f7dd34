package dev.mesh.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.runtime.spi.SourceFile;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.validation.IgnorePatterns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source's landing folder as the reader lists it: files by their real paths, never outside the folder whatever the
 * glob or link says, and every file found either read or left out with the reason.
 */
class LandingFilesTest {
    private static final IgnorePatterns DEFAULTS = IgnorePatterns.of(FileInputSpec.DEFAULT_IGNORE);

    @TempDir
    Path dir;
    Path zones;
    Path orders;
    FileSystem fs;

    @BeforeEach
    void zones() throws IOException {
        zones = dir.resolve("zones");
        orders = Files.createDirectories(zones.resolve("shop/landing/orders"));
        write(zones.resolve("crm/landing/customers/customers.csv"), "id,email\n1,ann@example.com\n");
        write(dir.resolve("outside/secret.csv"), "secret\n42\n");
        fs = FileSystem.getLocal(new Configuration());
    }

    @Test
    void aBraceGroupThatClimbsOutOfTheFolderIsRefusedNamingTheFile() {
        for (String escape : List.of("{/..}/{/..}/{/..}/crm/landing/customers", "{/..,}/{/..,}/{/..,}/crm/landing",
                "{/..}/{/..}/{/..}/{/..}/outside/secret.csv")) {
            assertThatThrownBy(() -> list(orders + "/" + escape, DEFAULTS))
                    .isInstanceOf(MeshException.class)
                    .satisfies(e -> assertThat(((MeshException) e).errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED))
                    .hasMessageContaining("input 'pos' of shop.orders: landing file file:" + dir)
                    .hasMessageContaining("is outside the source's landing folder file:" + orders + "; a product reads "
                            + "only the files of its own sources, and nothing was read");
        }
    }

    @Test
    void aSymbolicLinkIsRefusedWhereverItPoints() throws IOException {
        write(orders.resolve("day1.csv"), "order_id\n1\n");
        Files.createDirectories(orders.resolve("x"));
        Files.createSymbolicLink(orders.resolve("x/feed.csv"), zones.resolve("crm/landing/customers/customers.csv"));
        assertThatThrownBy(() -> list(orders.toString(), DEFAULTS))
                .hasMessageContaining("landing file file:" + orders + "/x/feed.csv is reached through a symbolic link "
                        + "(to " + zones.resolve("crm/landing/customers/customers.csv") + "), and links are not "
                        + "followed");
        Files.delete(orders.resolve("x/feed.csv"));
        // a link to a folder, and a link to another landing file of the same folder (it would be read twice)
        Files.createSymbolicLink(orders.resolve("x/crm"), zones.resolve("crm/landing"));
        assertThatThrownBy(() -> list(orders.toString(), DEFAULTS)).hasMessageContaining("/x/crm/customers/"
                + "customers.csv is reached through a symbolic link");
        Files.delete(orders.resolve("x/crm"));
        Files.createSymbolicLink(orders.resolve("x/again.csv"), orders.resolve("day1.csv"));
        assertThatThrownBy(() -> list(orders.toString(), DEFAULTS)).hasMessageContaining("/x/again.csv is reached "
                + "through a symbolic link");
    }

    @Test
    void aLandingFolderThatIsItselfALinkIsReadThroughItsRealPath() throws IOException {
        Path real = Files.createDirectories(dir.resolve("disk2/orders"));
        write(real.resolve("day1.csv"), "order_id\n1\n");
        Files.delete(orders);
        Files.createSymbolicLink(orders, real);
        assertThat(list(orders.toString(), DEFAULTS).files()).extracting(SourceFile::name).containsExactly("day1.csv");
    }

    @Test
    void everyFileFoundIsReadOrLeftOutWithTheReason() throws IOException {
        for (String name : List.of("a.csv", "sub/b.csv", "x[1].csv", "x1.csv", "_SUCCESS", "a.csv.crc",
                ".b.csv.tmp", "c.csv._COPYING_", "_tmp/d.csv", ".partial/e.csv", "_x.csv", ".x.csv", "f.csv.gz")) {
            write(orders.resolve(name), "order_id\n1\n");
        }
        LandingFiles.Listing listing = list(orders.toString(), DEFAULTS);
        assertThat(listing.files()).extracting(file -> relative(file.path()))
                .containsExactly("a.csv", "f.csv.gz", "sub/b.csv", "x1.csv", "x[1].csv");
        assertThat(listing.ignored()).extracting(file -> relative(file.path()) + ": " + file.reason())
                .containsExactly(
                        ".b.csv.tmp: an upload in progress; the input's ignore pattern '.*' leaves it out",
                        ".partial/e.csv: is under the folder '.partial/', which the input's ignore pattern '.*' leaves "
                                + "out (folders where uploads are staged)",
                        ".x.csv: a hidden file (its name starts with '.'); the input's ignore pattern '.*' leaves it out",
                        "_SUCCESS: a job's marker file; the input's ignore pattern '_*' leaves it out",
                        "_tmp/d.csv: is under the folder '_tmp/', which the input's ignore pattern '_*' leaves out "
                                + "(folders where uploads are staged)",
                        "_x.csv: a hidden file (its name starts with '_'); the input's ignore pattern '_*' leaves it out",
                        "a.csv.crc: a checksum file; the input's ignore pattern '*.crc' leaves it out",
                        "c.csv._COPYING_: a copy in progress (hadoop fs -put writes it, then renames it); the input's "
                                + "ignore pattern '*._COPYING_' leaves it out");

        LandingFiles.Listing filtered = LandingFiles.list(fs, orders.toString(), orders.toString(), DEFAULTS,
                Optional.of("*.csv"), "input 'pos' of shop.orders");
        assertThat(filtered.files()).extracting(file -> relative(file.path()))
                .containsExactly("a.csv", "sub/b.csv", "x1.csv", "x[1].csv");
        assertThat(filtered.ignored()).extracting(file -> relative(file.path()) + ": " + file.reason())
                .contains("f.csv.gz: does not match the input's options.pathGlobFilter '*.csv'");

        LandingFiles.Listing all = list(orders.toString(), IgnorePatterns.of(List.of()));
        assertThat(all.files()).hasSize(13);
        assertThat(all.ignored()).isEmpty();
    }

    @Test
    void aNameIsGivenToSparkAsANameNeverAPattern() {
        assertThat(LandingFiles.literal("file:/zones/shop/landing/orders/x[1]{a,b}*?.csv"))
                .isEqualTo("file:/zones/shop/landing/orders/x\\[1\\]\\{a,b\\}\\*\\?.csv");
    }

    private LandingFiles.Listing list(String location, IgnorePatterns ignore) {
        return LandingFiles.list(fs, orders.toString(), location, ignore, Optional.empty(),
                "input 'pos' of shop.orders");
    }

    private String relative(String path) {
        return path.substring(path.indexOf("/landing/orders/") + "/landing/orders/".length());
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
