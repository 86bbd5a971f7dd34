package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.TestMesh;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that started and never recorded an outcome is seen: {@code mesh runs} shows it as UNFINISHED when its process
 * is gone (RUNNING while it may still go, on another host), and the product's next run records it once.
 */
class InflightRunsTest {
    @TempDir
    Path dir;

    @Test
    void aRunWhoseProcessIsGoneIsShownAndThenRecordedAsUnfinished() throws Exception {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = marker(mesh, "killed-1", InetAddress.getLocalHost().getHostName(), gone.pid());
        Path elsewhere = marker(mesh, "elsewhere-1", "another-host", 4242);

        CliHarness.Result runs = ShopMesh.run(mesh, "runs");
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        assertThat(runs.out()).containsPattern("killed-1 +shop.orders +UNFINISHED .*its process \\(pid " + gone.pid()
                + "\\) is gone; recorded at the product's next run");
        assertThat(runs.out()).containsPattern("elsewhere-1 +shop.orders +RUNNING .*pid 4242 on another-host");

        mesh.land("shop", "orders", "day2.csv", "order_id,amount,status\n2,20.00,PAID\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        List<Row> killed = table(mesh, "_platform/runs").where("run_id = 'killed-1'").collectAsList();
        assertThat(killed).hasSize(1);
        assertThat(killed.get(0).<String>getAs("status")).isEqualTo("UNFINISHED");
        assertThat(killed.get(0).<String>getAs("error")).contains("stopped before it recorded an outcome");
        assertThat(dead).doesNotExist();
        assertThat(elsewhere).as("a run on another host may still be going").exists();
        assertThat(table(mesh, "_platform/runs").where("run_id = 'elsewhere-1'").count()).isZero();
        // recorded once: a further run finds nothing to record
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        assertThat(table(mesh, "_platform/runs").where("run_id = 'killed-1'").count()).isEqualTo(1);
        assertThat(Files.list(mesh.zones().resolve("_platform/inflight")).toList()).containsExactly(elsewhere);
    }

    private static Path marker(TestMesh mesh, String runId, String host, long pid) {
        return mesh.write("zones/_platform/inflight/shop.orders." + runId + ".json", """
                {"runId":"%s","domain":"shop","product":"orders","specVersion":"1.0.0","specHash":"h",\
                "startedAt":"2026-11-25T10:00:00Z","host":"%s","pid":%d}""".formatted(runId, host, pid));
    }
}
