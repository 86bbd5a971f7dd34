package dev.mesh.spec.testing;

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

    /**
     * Product shop.orders in the schema of the hostile-data fixture ({@link #hostileFixture()}), from the shop's CSV
     * files; {@code fileFields} are extra fields of the input's {@code files} (e.g. {@code encoding: ISO-8859-1}),
     * {@code quality} the body of its quality section, if any.
     */
    public static String hostileOrders(String mode, String fileFields, String quality) {
        String files = "{ source: pos.orders, format: csv" + (fileFields.isEmpty() ? "" : ", " + fileFields) + " }";
        return ProductYaml.product("shop", "orders").files("pos", files).mode(mode).keys("order_id")
                .schema("{ name: order_id, type: bigint, required: true }", "{ name: customer_id, type: bigint }",
                        "{ name: amount, type: \"decimal(10,2)\" }", "{ name: ordered_on, type: date }",
                        "{ name: status, type: string }")
                .quality(quality).yaml();
    }

    /** The hostile-data fixture: landing files a careless or hostile source drops (see its README.md). */
    public static Path hostileFixture() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path fixture = dir.resolve("domain-templates/src/test/resources/hostile");
            if (Files.isDirectory(fixture)) {
                return fixture;
            }
        }
        throw new IllegalStateException("no domain-templates/src/test/resources/hostile above " + Path.of("")
                .toAbsolutePath());
    }

    /** Copies files of the hostile-data fixture into a source's landing folder. */
    public TestMesh landFixture(String domain, String folder, String... files) {
        try {
            Path landing = zones().resolve(domain + "/landing/" + folder);
            Files.createDirectories(landing);
            for (String file : files) {
                Files.copy(hostileFixture().resolve(file), landing.resolve(file));
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

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

    /** Writes the governance file and names it in the platform file. */
    public TestMesh governance(String yaml) {
        write("governance.yaml", yaml);
        try {
            String platform = Files.readString(platformFile());
            if (!platform.contains("governance:")) {
                Files.writeString(platformFile(), platform + "governance: governance.yaml\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Writes the governance file with an approval of the policy version it makes by {@code approvers} (the body's
     * representatives), as the federated body would after agreeing to it.
     */
    public TestMesh approvedGovernance(String yaml, String... approvers) {
        governance(yaml);
        String version = new dev.mesh.spec.SpecLoader(dir).load(platformFile(), java.util.Optional.empty())
                .policies().governance().orElseThrow(() -> new IllegalStateException("governance.yaml is not valid"))
                .version();
        return governance(yaml.stripTrailing() + "\napproval: { policyVersion: \"" + version + "\", approvedBy: ["
                + String.join(", ", approvers) + "] }\n");
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
