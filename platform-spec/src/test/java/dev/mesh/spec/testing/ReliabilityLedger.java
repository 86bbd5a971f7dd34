package dev.mesh.spec.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The reliability suite's tally across its test classes, modules and JVMs: each suite adds its trials (faults
 * injected, inputs tried, rows lost and duplicated, compared against what the trial expected) to a file of its own
 * under the build's {@code target/reliability}, started afresh by the first trial of each build JVM; {@link
 * #summary()} adds them up into the one line the suite prints at its end.
 */
public final class ReliabilityLedger {
    private static final Set<String> STARTED = new HashSet<>();

    private ReliabilityLedger() {}

    /** One trial of {@code suite}: rows lost are expected rows missing; rows duplicated are repeats in actual. */
    public static synchronized void trial(String suite, int faults, int inputs, Collection<?> expected,
            Collection<?> actual) {
        Set<Object> present = new HashSet<>(actual);
        long lost = expected.stream().filter(row -> !present.contains(row)).count();
        record(suite, 1, faults, inputs, lost, actual.size() - present.size());
    }

    /** Trials of {@code suite} whose rows are not compared (specs, refused files). */
    public static synchronized void record(String suite, long trials, long faults, long inputs, long lost,
            long duplicated) {
        Path file = folder().resolve(suite.replaceAll("[^a-z0-9]+", "-") + ".txt");
        long[] totals = new long[5];
        try {
            if (STARTED.add(suite)) {
                Files.deleteIfExists(file);
            }
            if (Files.exists(file)) {
                String[] fields = Files.readString(file).strip().split(" ");
                for (int i = 0; i < 5; i++) {
                    totals[i] = Long.parseLong(fields[i + 1]);
                }
            }
            long[] added = {trials, faults, inputs, lost, duplicated};
            for (int i = 0; i < 5; i++) {
                totals[i] += added[i];
            }
            Files.writeString(file, suite.replace(' ', '_') + " " + totals[0] + " " + totals[1] + " " + totals[2]
                    + " " + totals[3] + " " + totals[4] + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one line: every suite's trials added up, then each suite's share. */
    public static String summary() {
        long[] totals = new long[5];
        Map<String, Long> bySuite = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> listed = Files.list(folder())) {
            listed.sorted().forEach(files::add);
            for (Path file : files) {
                String[] fields = Files.readString(file).strip().split(" ");
                for (int i = 0; i < 5; i++) {
                    totals[i] += Long.parseLong(fields[i + 1]);
                }
                bySuite.put(fields[0].replace('_', ' '), Long.parseLong(fields[1]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return String.format(Locale.ROOT, "reliability suite: %d trials, %d faults injected, %d inputs tried, %d rows "
                + "lost, %d rows duplicated %s", totals[0], totals[1], totals[2], totals[3], totals[4], bySuite);
    }

    /** {@code target/reliability} of the build: beside the modules, found from any module's folder. */
    private static Path folder() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("platform-spec")) && Files.isDirectory(dir.resolve("jobs"))) {
                try {
                    return Files.createDirectories(dir.resolve("target/reliability"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no build folder above " + Path.of("").toAbsolutePath());
    }
}
