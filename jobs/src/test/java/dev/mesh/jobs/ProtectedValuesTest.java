package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A protected column's values never leave the run: planted values in a redacted salary and a pii e-mail are searched
 * for in every platform table, every lineage event, the report and the
 * command's output, after a run whose gate computed their minimum and maximum and failed a warning on one of them.
 * The same run without protection shows where they would have been, so the search can find them.
 */
class ProtectedValuesTest {
    private static final List<String> PLANTED = List.of("98765", "99999", "planted.secret", "PLANTED.SECRET");

    @TempDir
    Path dir;

    @Test
    void noPlatformOutputHoldsAProtectedValue() throws IOException {
        TestMesh mesh = staff(", protection: redact", ", classification: pii, protection: redact");
        CliHarness.Result run = ShopMesh.run(mesh, "run", "shop.staff");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        CliHarness.Result report = ShopMesh.run(mesh, "report", "--out", dir.resolve("report").toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        String everything = platformOutputs(mesh) + run.out() + run.err() + report.out();
        // the gate did judge them: the warning on the salary's maximum failed, without its number
        assertThat(everything).contains("the value is withheld: column 'salary' holds personal data or is protected");
        assertThat(PLANTED).allSatisfy(value -> assertThat(everything).doesNotContain(value));
    }

    @Test
    void unprotectedTheSameRunShowsWhereTheValuesWouldHaveBeen() throws IOException {
        TestMesh mesh = staff("", "");
        CliHarness.Result run = ShopMesh.run(mesh, "run", "shop.staff");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        String everything = platformOutputs(mesh) + run.out() + run.err();
        assertThat(everything).contains("98765", "99999");
    }

    private TestMesh staff(String salaryFields, String emailFields) {
        TestMesh mesh = TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN);
        mesh.write("platform.yaml", read(mesh.platformFile()) + """
                lineage:
                  namespace: shop-mesh
                  transports:
                    - { type: file, path: lineage/events.jsonl }
                """);
        ProductYaml.product("shop", "staff").files("pos", "{ source: pos.orders, format: csv }")
                .schema("{ name: id, type: bigint }", "{ name: email, type: string" + emailFields + " }",
                        "{ name: salary, type: \"decimal(10,2)\"" + salaryFields + " }")
                .checks("{ check: min, column: salary, atLeast: 0 }",
                        "{ check: max, column: salary, atMost: 50000, level: warning }",
                        "{ check: max, column: id, atMost: 100 }")
                .section("access: { visibility: public }")
                .writeTo(mesh);
        mesh.land("shop", "orders", "staff.csv", """
                id,email,salary
                1,planted.secret@example.com,98765.43
                2,other@example.com,99999.17
                """);
        return mesh;
    }

    /** Every row of every platform table, and every lineage event, as text. */
    private String platformOutputs(TestMesh mesh) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> tables = Files.list(mesh.zones().resolve("_platform"))) {
            for (Path table : tables.filter(Files::isDirectory).toList()) {
                if (Files.isDirectory(table.resolve("_delta_log"))) {
                    QualityGateTest.table(mesh, "_platform/" + table.getFileName()).toJSON().collectAsList()
                            .forEach(row -> all.append(row).append('\n'));
                } else {
                    try (Stream<Path> files = Files.walk(table)) {
                        files.filter(Files::isRegularFile).forEach(file -> all.append(read(file)));
                    }
                }
            }
        }
        all.append(read(mesh.dir().resolve("lineage/events.jsonl")));
        Path report = dir.resolve("report");
        if (Files.isDirectory(report)) {
            try (Stream<Path> files = Files.walk(report)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    all.append(read(file));
                }
            }
        }
        return all.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
