package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.server.MeshServer;
import dev.mesh.server.runs.ServerRun;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mesh serve on a platform whose master is a Spark standalone cluster (started on loopback from the build's Spark
 * jars): a run asked for through the API is submitted to the cluster with Spark's launcher (spark-submit of the mesh
 * jar), followed through the application's states to its end, and its result is the run the job recorded.
 */
class ServeClusterIT {
    private static final int ROWS = 500;

    @TempDir
    Path dir;

    @Test
    void aRunAskedForThroughTheApiIsSubmittedToTheClusterAndFollowedToItsEnd() throws Exception {
        try (SparkCluster cluster = SparkCluster.assemble(dir).start().withSubmitScript()) {
            TestMesh mesh = ShopMesh.csvOrders(dir.resolve("mesh"), "merge", ", options: { header: \"true\" }");
            mesh.write("platform.yaml", Files.readString(mesh.platformFile()).replace("master: local[2]",
                    "master: " + cluster.masterUrl() + "\n  conf:\n    spark.driver.host: 127.0.0.1\n"
                            + "    spark.executor.memory: 1g\n    spark.ui.enabled: \"false\"")
                    + "server:\n  admins: [ops]\n");
            StringBuilder csv = new StringBuilder("order_id,amount,status\n");
            for (int id = 1; id <= ROWS; id++) {
                csv.append(id).append(',').append(id % 50).append(".10,NEW\n");
            }
            mesh.land("shop", "orders", "1.csv", csv.toString());
            assertThat(ShopMesh.run(mesh, "provision").exitCode()).isZero();

            try (MeshServer server = MeshServer.start(new MeshServer.Settings(mesh.platformFile(), "127.0.0.1", 0,
                    Map.of("SPARK_HOME", cluster.home().toString()), Clock.systemUTC(),
                    Optional.of(platform -> SharedSpark.session()), Duration.ofSeconds(5), Duration.ofSeconds(2),
                    Optional.of(SparkCluster.JOBS_JAR)))) {
                ServerRun run = server.queue().submit(new dev.mesh.spec.model.ProductId("shop", "orders"), "ops",
                        false, false);
                long deadline = System.currentTimeMillis() + Duration.ofMinutes(8).toMillis();
                while (!run.done()) {
                    assertThat(System.currentTimeMillis()).as("the cluster run ends; %s", cluster.masterStatus())
                            .isLessThan(deadline);
                    Thread.sleep(200);
                }
                assertThat(run.result()).as(run.events().toString()).isPresent();
                assertThat(run.result().get().status().name()).as(run.result().get().error()).isEqualTo("PUBLISHED");
                assertThat(run.result().get().rowsOut()).isEqualTo(ROWS);
                List<String> stages = run.events().stream().flatMap(event -> event.stage().stream()).toList();
                assertThat(stages).contains("running", "finished");
                assertThat(cluster.masterStatus()).contains("mesh run shop.orders");
            }
            assertThat(QualityGateTest.table(mesh, "shop/products/orders").count()).isEqualTo(ROWS);
        }
    }
}
