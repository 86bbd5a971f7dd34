package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Only source is in git: no zone data, Delta logs, local S3 objects or logs that commands write when run. */
class RepositoryHygieneTest {
    private static final Pattern WRITTEN_BY_RUNS = Pattern.compile(
            "(^|/)(_delta_log|_checkpoints|mesh-data|mesh-s3)(/|$)|\\.(log|parquet|crc|jsa)$|(^|/)part-\\d+");

    @Test
    void gitTracksNoZoneDataOrLogs() throws IOException, InterruptedException {
        assumeTrue(Files.isDirectory(CliHarness.HOME.resolve(".git")), "not a git checkout");
        Process git = new ProcessBuilder("git", "ls-files").directory(CliHarness.HOME.toFile())
                .redirectErrorStream(true).start();
        List<String> files = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(git.waitFor()).as(String.join("\n", files)).isZero();
        assertThat(files).contains("README.md");
        assertThat(files).filteredOn(file -> WRITTEN_BY_RUNS.matcher(file).find()).isEmpty();
    }

    @Test
    void dockerComposeBuildsWhatItRunsAndPinsEveryImage() throws IOException {
        String compose = Files.readString(CliHarness.HOME.resolve("docker/compose.yaml"));
        String dockerfile = Files.readString(CliHarness.HOME.resolve("docker/Dockerfile"));
        List<String> images = Pattern.compile("(?m)^\\s*image:\\s*(\\S+)").matcher(compose).results()
                .map(m -> m.group(1)).toList();
        List<String> bases = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(dockerfile).results()
                .map(m -> m.group(1)).toList();
        assertThat(images).isNotEmpty();
        assertThat(bases).hasSize(2);
        for (String image : concat(images, bases)) {
            assertThat(image).as("pinned by version").matches("[^:]+:\\d[\\w.-]*").doesNotEndWith(":latest");
        }
        // the image the services run is the one compose builds, from this repository's Dockerfile
        assertThat(compose).contains("build: { context: .., dockerfile: docker/Dockerfile }", "image: mesh:0.1.0")
                .doesNotContain("minio");
        assertThat(Pattern.compile("(?m)^  [a-z-]+:$").matcher(compose.substring(compose.indexOf("services:"),
                compose.indexOf("\nvolumes:")))
                .results().count()).as("services").isEqualTo(3);
        assertThat(Pattern.compile("<<: \\*mesh-image").matcher(compose).results().count()).isEqualTo(3);
        List<String> ignored = Files.readAllLines(CliHarness.HOME.resolve(".dockerignore"));
        assertThat(ignored).contains(".git", "**/target", "mesh-data", "bench/out", "**/*.log");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
