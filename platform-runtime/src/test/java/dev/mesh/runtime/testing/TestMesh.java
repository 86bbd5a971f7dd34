package dev.mesh.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a small mesh of spec files into a folder, for tests that need a mesh of their own. */
public final class TestMesh {
    /** A shop domain whose point-of-sale system lands order files in the folder {@code orders}. */
    public static final String SHOP_DOMAIN = """
            apiVersion: mesh/v1
            kind: Domain
            name: shop
            owners: [shop@example.com]
            sources:
              - { name: pos.orders, landing: orders }
            """;

    private final Path dir;

    private TestMesh(Path dir) {
        this.dir = dir;
    }

    /** A mesh whose platform file stores zones under {@code dir/zones}. */
    public static TestMesh in(Path dir) {
        TestMesh mesh = new TestMesh(dir);
        mesh.write("platform.yaml", """
                apiVersion: mesh/v1
                kind: Platform
                name: test-mesh
                storage:
                  root: zones
                spark:
                  master: local[2]
                """);
        return mesh;
    }

    public Path dir() {
        return dir;
    }

    public Path platformFile() {
        return dir.resolve("platform.yaml");
    }

    public Path zones() {
        return dir.resolve("zones");
    }

    public TestMesh domain(String name, String yaml) {
        write("domains/" + name + "/domain.yaml", yaml);
        return this;
    }

    public TestMesh product(String domain, String name, String yaml) {
        write("domains/" + domain + "/products/" + name + ".yaml", yaml);
        return this;
    }

    /** Writes a file relative to the mesh folder, creating folders as needed. */
    public Path write(String relative, String content) {
        Path file = dir.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a landing file of a domain's source folder under the zones root. */
    public Path land(String domain, String folder, String fileName, String content) {
        return write("zones/" + domain + "/landing/" + folder + "/" + fileName, content);
    }
}
