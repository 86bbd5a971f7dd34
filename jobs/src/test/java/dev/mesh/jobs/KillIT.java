package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.fault.FaultPoints;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.testing.ReliabilityLedger;
import dev.mesh.spec.testing.TestMesh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code bin/mesh run} (a child JVM, the packaged jar) at the points of a run where a kill could lose or
 * duplicate data: after resolving, after the gate, right after the Delta commit, right after the run record (the
 * process halts there as under SIGKILL), and with a real SIGKILL the moment the first new data file appears. After
 * each kill the product holds exactly the old or exactly the new rows, the platform tables read, and the rerun ends
 * with exactly the new rows, the killed run recorded once (UNFINISHED when it died before its record) and the new
 * data committed once. A merge product runs every point; an append product, which writes in one pass (its files in
 * the table's folder, uncommitted, before the gate), is killed after the gate and at its first data file; and so is a
 * product's first publication, whose one commit creates its table: before it there is no table at all; an overwrite
 * (one pass too, removing the files of the version it read) also right after its commit.
 */
class KillIT {
    private static final int ROWS = 2000;
    private static final String APPEND = "append:";
    private static final String OVERWRITE = "overwrite:";
    private static final String FIRST = "first:";

    @TempDir
    Path dir;

    @Test
    void aRunKilledAnywhereLeavesTheOldOrTheNewDataAndTheRerunFinishesIt() throws Exception {
        List<String> summary = new ArrayList<>();
        int lost = 0;
        int duplicated = 0;
        List<String> points = new ArrayList<>();
        // each round kills at every point again, in a mesh of its own (mvn verify -Preliability runs more rounds)
        for (int round = 1; round <= Integer.getInteger("mesh.kill.rounds", 1); round++) {
            points.addAll(List.of(FaultPoints.RESOLVED, FaultPoints.GATED, FaultPoints.COMMITTED,
                    FaultPoints.RECORDED, "sigkill-at-first-data-file"));
            // an append writes in one pass: its files are in the table's folder, uncommitted, before the gate
            points.addAll(List.of(APPEND + FaultPoints.GATED, APPEND + "sigkill-at-first-data-file"));
            // a first publication creates the table in the commit that holds its rows
            points.addAll(List.of(FIRST + FaultPoints.GATED, FIRST + "sigkill-at-first-data-file"));
            // an overwrite removes the files of the version it read, as that version's log lists them; a rerun
            // after its commit finds the commit made from the log
            points.addAll(List.of(OVERWRITE + FaultPoints.GATED, OVERWRITE + FaultPoints.COMMITTED,
                    OVERWRITE + "sigkill-at-first-data-file"));
        }
        for (int trialNumber = 0; trialNumber < points.size(); trialNumber++) {
            boolean first = points.get(trialNumber).startsWith(FIRST);
            String mode = points.get(trialNumber).startsWith(APPEND) || first ? "append"
                    : points.get(trialNumber).startsWith(OVERWRITE) ? "overwrite" : "merge";
            String point = points.get(trialNumber).replaceFirst("^(" + APPEND + "|" + FIRST + "|" + OVERWRITE + ")",
                    "");
            Trial trial = new Trial(dir.resolve(trialNumber + "-" + (first ? "first" : mode) + "-" + point), mode);
            Map<Long, String> old = first ? Map.of() : trial.publishDayOne();
            Map<Long, String> expected = trial.landDayTwo(old);

            Killed killed = trial.killRunAt(point);
            Map<Long, String> after = trial.product();
            boolean published = after.equals(expected);
            assertThat(published || after.equals(old)).as(point + ": exactly the old or exactly the new rows")
                    .isTrue();
            if (point.equals(FaultPoints.RESOLVED) || point.equals(FaultPoints.GATED)) {
                assertThat(published).as(point + ": nothing published").isFalse();
            } else if (!point.startsWith("sigkill")) {
                assertThat(published).as(point + ": the commit was made").isTrue();
            }
            long runsBefore = trial.table("_platform/runs").count();
            List<Row> recordedBefore = trial.table("_platform/runs").where("run_id = '" + killed.runId() + "'")
                    .collectAsList();
            // a real SIGKILL may come after the run recorded itself; the halting points know where they are
            String expectedStatus = point.equals(FaultPoints.RECORDED) ? "PUBLISHED" : point.startsWith("sigkill")
                    && !recordedBefore.isEmpty() ? recordedBefore.get(0).getAs("status") : "UNFINISHED";

            CliHarness.Result rerun = ShopMesh.run(trial.mesh, "run", "shop.orders");
            assertThat(rerun.exitCode()).as(point + ": " + rerun.out() + rerun.err()).isZero();
            Map<Long, String> finished = trial.product();
            lost += (int) expected.keySet().stream().filter(key -> !finished.containsKey(key)).count();
            ReliabilityLedger.trial("kills", 1, 2, expected.entrySet(), finished.entrySet());
            assertThat(finished).as(point + ": the rerun ends with exactly the new rows").isEqualTo(expected);
            long commitsOfDayTwo = trial.history() - (first ? 0 : 1);
            duplicated += (int) Math.max(0, commitsOfDayTwo - 1) * ROWS / 2;
            assertThat(commitsOfDayTwo).as(point + ": day two committed once").isEqualTo(1);
            List<Row> killedRuns = trial.table("_platform/runs").where("run_id = '" + killed.runId() + "'")
                    .collectAsList();
            assertThat(killedRuns).as(point + ": the killed run is recorded once").hasSize(1);
            String status = killedRuns.get(0).getAs("status");
            assertThat(status).as(point).isEqualTo(expectedStatus);
            assertThat(trial.table("_platform/runs").count()).as(point + ": the rerun's row, and the killed run's "
                    + "if it had none").isEqualTo(runsBefore + (recordedBefore.isEmpty() ? 2 : 1));
            summary.add((first ? "first publication" : mode) + " " + point + ": exit " + killed.exitCode()
                    + ", after the kill " + (published ? "new" : "old")
                    + " data, killed run " + status + ", rerun " + rerun.out().lines()
                    .filter(line -> line.startsWith("shop ")).findFirst().orElse("?").replaceAll(" +", " "));
        }
        summary.forEach(System.out::println);
        System.out.printf("kill suite: %d trials, %d faults injected, %d rows lost, %d rows duplicated%n",
                summary.size(), summary.size(), lost, duplicated);
        // the failsafe suite runs after every other test of the build: the whole reliability suite's tally
        System.out.println(ReliabilityLedger.summary());
        assertThat(lost).isZero();
        assertThat(duplicated).isZero();
    }

    record Killed(String runId, int exitCode) {}

    /** One shop mesh in its own folder: day one published, then day two run and killed. */
    private static final class Trial {
        final TestMesh mesh;
        final String mode;

        Trial(Path dir, String mode) {
            this.mesh = ShopMesh.create(dir, mode, "");
            this.mode = mode;
        }

        Map<Long, String> publishDayOne() throws IOException {
            StringBuilder csv = new StringBuilder("order_id,amount,status\n");
            for (long id = 1; id <= ROWS; id++) {
                csv.append(id).append(',').append(id % 100).append(".00,NEW\n");
            }
            mesh.land("shop", "orders", "day1.csv", csv.toString());
            CliHarness.Result first = ShopMesh.run(mesh, "run", "shop.orders");
            assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
            return product();
        }

        /**
         * Half the orders paid, as many new ones (an append product, and an overwrite of every landing file: only new
         * ones); returns the rows the product must end with.
         */
        Map<Long, String> landDayTwo(Map<Long, String> old) {
            Map<Long, String> expected = new TreeMap<>(old);
            StringBuilder csv = new StringBuilder("order_id,amount,status\n");
            for (long id = mode.equals("merge") ? ROWS / 2 + 1 : ROWS + 1; id <= ROWS + ROWS / 2; id++) {
                csv.append(id).append(',').append(id % 100).append(".50,PAID\n");
                expected.put(id, id + "|" + (id % 100) + ".50|PAID");
            }
            mesh.land("shop", "orders", "day2.csv", csv.toString());
            return expected;
        }

        Killed killRunAt(String point) throws Exception {
            Path log = mesh.dir().resolve("killed-run.log");
            ProcessBuilder builder = new ProcessBuilder("bash", CliHarness.HOME.resolve("bin/mesh").toString(),
                    "--platform", mesh.platformFile().toString(), "run", "shop.orders", "--run-id", "killed-" + point)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("MESH_HEAP", "-Xmx1g");
            if (!point.startsWith("sigkill")) {
                builder.environment().put(FaultPoints.VARIABLE, point);
            }
            Process process = builder.start();
            if (point.startsWith("sigkill")) {
                Path data = mesh.zones().resolve("shop/products/orders");
                long before = dataFiles(data);
                while (process.isAlive() && dataFiles(data) == before) {
                    Thread.sleep(2);
                }
                process.destroyForcibly();
            }
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the killed run ended").isTrue();
            int exit = process.exitValue();
            if (!point.startsWith("sigkill") || exit != 0) {
                // a real kill can come too late, after the run finished
                assertThat(exit).as(point + ": " + Files.readString(log)).isEqualTo(137);
            }
            return new Killed("killed-" + point, exit);
        }

        Map<Long, String> product() {
            Map<Long, String> rows = new TreeMap<>();
            if (!Files.exists(mesh.zones().resolve("shop/products/orders/_delta_log"))) {
                // no table yet: its first publication has not committed
                return rows;
            }
            for (Row row : table("shop/products/orders").collectAsList()) {
                String previous = rows.put(row.getLong(0), row.getLong(0) + "|" + row.get(1) + "|" + row.get(2));
                assertThat(previous).as("order " + row.getLong(0) + " is in the product once").isNull();
            }
            return rows;
        }

        long history() {
            return SharedSpark.session().sql("DESCRIBE HISTORY delta.`" + mesh.zones().resolve(
                    "shop/products/orders") + "`").count();
        }

        org.apache.spark.sql.Dataset<Row> table(String relative) {
            return SharedSpark.session().read().format("delta").load(mesh.zones().resolve(relative).toString());
        }

        private static long dataFiles(Path table) throws IOException {
            if (!Files.isDirectory(table)) {
                return 0;
            }
            try (Stream<Path> files = Files.list(table)) {
                return files.filter(file -> file.getFileName().toString().endsWith(".parquet")).count();
            }
        }
    }
}
