package dev.mesh.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.model.SpecProblem;
import dev.mesh.spec.testing.ReliabilityLedger;
import dev.mesh.spec.testing.SpecFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based: specs mutated at random (lines dropped, repeated, swapped, re-indented; characters and YAML tokens
 * inserted; values replaced by other kinds) and YAML trees generated at random. Validation only ever answers with
 * problems that name a file (and, where the field exists, its path and line), never throws anything else, and takes
 * well under a second per mesh. Tries per property: 250 in {@code mvn verify}, 10,000 with {@code -Preliability}.
 */
class SpecFuzzTest {
    private static final List<String> TOKENS = List.of(":", "- ", "[", "]", "{", "}", "'", "\"", "&a", "*a", "!!binary",
            "? ", "|", ">", "#", "\t", "\u0000", "é", "\uFFFD", "null", "~", "1e999", "-1", "0x1F", "true", "<<: *a",
            "PT24H", "SELECT 1", "../../etc", "${HOME}", "\r", "\n", "  ", "::", "---", "...");
    private static final List<String> FILES = List.of(SpecFixture.ORDERS_FILE, SpecFixture.REVENUE_FILE,
            "domains/shop/domain.yaml", "platform.yaml");

    private static Path root;
    private static int meshes;

    @BeforeContainer
    static void folder() throws IOException {
        root = Files.createTempDirectory("spec-fuzz");
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        ReliabilityLedger.record("fuzzed specs", meshes, meshes, meshes, 0, 0);
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Property
    void mutatedSpecsGiveProblemsNeverExceptions(@ForAll("mutations") Mutation mutation) throws IOException {
        SpecFixture fixture = SpecFixture.in(root.resolve("mesh-" + meshes++));
        Path file = fixture.mesh().dir().resolve(mutation.file());
        Files.writeString(file, mutation.apply(Files.readString(file)));
        assertOnlyProblems(fixture);
    }

    @Property
    void randomYamlTreesAsAProductGiveProblemsNeverExceptions(@ForAll("trees") String yaml) throws IOException {
        SpecFixture fixture = SpecFixture.in(root.resolve("mesh-" + meshes++));
        Files.writeString(fixture.mesh().dir().resolve(SpecFixture.ORDERS_FILE), yaml);
        SpecLoad load = assertOnlyProblems(fixture);
        assertThat(load.problems()).as(yaml).isNotEmpty();
    }

    private static SpecLoad assertOnlyProblems(SpecFixture fixture) {
        long start = System.nanoTime();
        SpecLoad load = new SpecLoader(fixture.mesh().dir()).load(fixture.mesh().platformFile(), Optional.empty());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).as("validation time").isLessThan(1000);
        for (SpecProblem problem : load.problems()) {
            assertThat(problem.file()).isNotBlank();
            assertThat(problem.message()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(problem.line()).isGreaterThanOrEqualTo(0);
        }
        assertThat(load.mesh().isPresent()).as("a mesh comes out exactly when there is no problem")
                .isEqualTo(load.problems().isEmpty());
        return load;
    }

    /** One random edit of one file of the valid mesh. */
    record Mutation(String file, int kind, int at, int other, String token) {
        String apply(String text) {
            List<String> lines = new ArrayList<>(text.lines().toList());
            int i = Math.floorMod(at, lines.size());
            int j = Math.floorMod(other, lines.size());
            switch (kind) {
                case 0 -> lines.remove(i);
                case 1 -> lines.add(i, lines.get(j));
                case 2 -> {
                    String swap = lines.get(i);
                    lines.set(i, lines.get(j));
                    lines.set(j, swap);
                }
                case 3 -> lines.set(i, " ".repeat(Math.floorMod(other, 7)) + lines.get(i).strip());
                case 4 -> {
                    String line = lines.get(i);
                    int column = Math.floorMod(other, line.length() + 1);
                    lines.set(i, line.substring(0, column) + token + line.substring(column));
                }
                case 5 -> {
                    String line = lines.get(i);
                    int colon = line.indexOf(": ");
                    lines.set(i, colon < 0 ? token : line.substring(0, colon + 2) + token);
                }
                default -> lines.set(i, "");
            }
            return String.join("\n", lines) + "\n";
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.of(FILES), Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 1000),
                Arbitraries.oneOf(Arbitraries.of(TOKENS), Arbitraries.strings().ofMaxLength(12)))
                .as(Mutation::new);
    }

    @Provide
    Arbitrary<String> trees() {
        return node(3).map(node -> node.startsWith("-") || node.contains(":") ? node : "value: " + node);
    }

    private Arbitrary<String> node(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(Arbitraries.of("apiVersion", "kind", "DataProduct", "name",
                "orders", "inputs", "transform", "template", "ingest", "sql", "output", "schema", "mode", "merge",
                "quality", "checks", "sla", "1", "-3.5", "true", "null", "~", "''", "\"x\""),
                Arbitraries.strings().alpha().ofMaxLength(8));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> map = Arbitraries.maps(scalar.filter(key -> !key.isEmpty() && !key.equals("~")),
                        Arbitraries.lazy(() -> node(depth - 1))).ofMaxSize(4)
                .map(entries -> "{" + String.join(", ", entries.entrySet().stream()
                        .map(entry -> entry.getKey() + ": " + entry.getValue()).toList()) + "}");
        Arbitrary<String> list = Arbitraries.lazy(() -> node(depth - 1)).list().ofMaxSize(4)
                .map(items -> "[" + String.join(", ", items) + "]");
        return Arbitraries.oneOf(scalar, map, list);
    }
}
