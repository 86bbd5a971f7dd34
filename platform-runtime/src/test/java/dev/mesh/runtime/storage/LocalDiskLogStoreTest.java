package dev.mesh.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.storage.CloseableIterator;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers racing for one log version: exactly one commit lands, whole, and reads back through Hadoop. Delta's default
 * store for local paths ({@code HDFSLogStore}) failed the race test within 1,500 versions: a version's file held one
 * writer's commit and its checksum another's ("Checksum error"), as a quickstart once met in its run ledger.
 */
class LocalDiskLogStoreTest {
    private static final int WRITERS = 6;
    private static final int VERSIONS = 300;

    @TempDir
    Path dir;

    @Test
    void exactlyOneOfTheWritersRacingForAVersionWinsAndItsCommitReadsBackWhole() throws Exception {
        Configuration conf = new Configuration();
        LocalDiskLogStore store = new LocalDiskLogStore(conf);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        CyclicBarrier together = new CyclicBarrier(WRITERS);
        try {
            List<Future<List<Integer>>> writers = new ArrayList<>();
            for (int writer = 0; writer < WRITERS; writer++) {
                int me = writer;
                writers.add(pool.submit(() -> {
                    List<Integer> won = new ArrayList<>();
                    for (int version = 0; version < VERSIONS; version++) {
                        together.await();
                        try {
                            // a new store each time, as Kernel makes one per commit
                            new LocalDiskLogStore(conf).write(version(version), List.of(
                                    "{\"commitInfo\":{\"writer\":" + me + "}}", "{\"add\":{\"writer\":" + me + "}}")
                                    .iterator(), false, conf);
                            won.add(version);
                        } catch (FileAlreadyExistsException lost) {
                            // another writer has this version
                        }
                    }
                    return won;
                }));
            }
            int[] winners = new int[VERSIONS];
            for (Future<List<Integer>> writer : writers) {
                writer.get().forEach(version -> winners[version]++);
            }
            assertThat(winners).containsOnly(1);
        } finally {
            pool.shutdownNow();
        }
        for (int version = 0; version < VERSIONS; version++) {
            List<String> lines = new ArrayList<>();
            try (CloseableIterator<String> read = store.read(version(version), conf)) {
                read.forEachRemaining(lines::add);
            }
            assertThat(lines).hasSize(2);
            String writer = lines.get(0).replaceAll("\\D", "");
            assertThat(lines.get(1)).isEqualTo("{\"add\":{\"writer\":" + writer + "}}");
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(file -> file.getFileName().toString())).hasSize(VERSIONS)
                    .allMatch(name -> name.matches("\\d{20}\\.json"));
        }
    }

    @Test
    void anOverwriteReplacesTheFileAndTheChecksumHadoopKeptOfTheOldOne() throws Exception {
        Configuration conf = new Configuration();
        org.apache.hadoop.fs.Path last = new org.apache.hadoop.fs.Path("file:" + dir.resolve("_last_checkpoint"));
        // written the way Delta's default store does: through Hadoop's local file system, with a checksum sidecar
        try (var out = last.getFileSystem(conf).create(last)) {
            out.write("{\"version\":10}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(dir.resolve("._last_checkpoint.crc")).exists();
        LocalDiskLogStore store = new LocalDiskLogStore(conf);

        store.write(last, List.of("{\"version\":20,\"size\":7}").iterator(), true, conf);

        List<String> lines = new ArrayList<>();
        try (CloseableIterator<String> read = store.read(last, conf)) {
            read.forEachRemaining(lines::add);
        }
        assertThat(lines).containsExactly("{\"version\":20,\"size\":7}");
        // what a local disk shows of a file being written: Delta writes checkpoints to a temporary name first
        assertThat(store.isPartialWriteVisible(last, conf)).isTrue();
        assertThatThrownBy(() -> store.write(last, List.of("{}").iterator(), false, conf))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> store.write(new org.apache.hadoop.fs.Path("file:" + dir.resolve("gone/x.json")),
                List.of("{}").iterator(), false, conf)).isInstanceOf(java.io.FileNotFoundException.class);
    }

    private org.apache.hadoop.fs.Path version(int version) {
        return new org.apache.hadoop.fs.Path("file:" + dir.resolve(String.format("%020d.json", version)));
    }
}
