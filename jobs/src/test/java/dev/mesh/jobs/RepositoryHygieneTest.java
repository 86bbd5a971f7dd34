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
}
