package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.ReliabilityLedger;
import dev.mesh.spec.testing.TestMesh;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local zone whose disk fills up during a run: a small tmpfs mounted by the test (where the machine lets it mount;
 * skipped with the reason where it does not). The run ends with a clear error naming the full storage, publishes
 * nothing, and the published version stays exactly as it was.
 */
class FullDiskTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskFailsTheRunClearlyAndLeavesThePublishedVersion() throws Exception {
        Path zones = Files.createDirectories(dir.resolve("zones"));
        String refused = mount(zones, "16m");
        Assumptions.assumeTrue(refused.isEmpty(), () -> "cannot mount a tmpfs here: " + refused);
        try {
            TestMesh mesh = ProductYaml.shopOrders().mode("overwrite").keys()
                    .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
            mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,1.00,NEW\n2,2.00,PAID\n");
            assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
            List<String> published = rows(mesh);

            // ten megabytes that do not compress: the landing file fits, its Parquet copy does not
            Path big = mesh.land("shop", "orders", "day2.csv", incompressible(10 << 20));
            CliHarness.Result full = ShopMesh.run(mesh, "run", "shop.orders");
            assertThat(full.exitCode()).as(full.out() + full.err()).isEqualTo(1);
            assertThat(full.out() + full.err()).as(full.out() + full.err()).contains("is full (No space left on device); nothing was published: free space "
                    + "there and run it again");
            assertThat(rows(mesh)).isEqualTo(published);

            Files.delete(big);
            CliHarness.Result rerun = ShopMesh.run(mesh, "run", "shop.orders");
            assertThat(rerun.exitCode()).as(rerun.out() + rerun.err()).isZero();
            ReliabilityLedger.trial("full disk", 1, 3, published, rows(mesh));
            assertThat(rows(mesh)).isEqualTo(published);
        } finally {
            new ProcessBuilder("umount", "-l", zones.toString()).start().waitFor();
        }
    }

    /** Mounts a tmpfs of {@code size} at {@code at}; the reason it could not, or empty. */
    private static String mount(Path at, String size) throws IOException, InterruptedException {
        try {
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString())
                    .redirectErrorStream(true).start();
            String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return mount.waitFor() == 0 ? "" : output.isEmpty() ? "mount exited " + mount.exitValue() : output;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private static String incompressible(int bytes) {
        Random random = new Random(7);
        StringBuilder csv = new StringBuilder("order_id,amount,status\n");
        for (long id = 100; csv.length() < bytes; id++) {
            csv.append(id).append(",1.00,").append(Long.toHexString(random.nextLong()))
                    .append(Long.toHexString(random.nextLong())).append(Long.toHexString(random.nextLong())).append('\n');
        }
        return csv.toString();
    }

    private static List<String> rows(TestMesh mesh) {
        return table(mesh, "shop/products/orders").orderBy("order_id").collectAsList().stream().map(Row::toString)
                .toList();
    }
}
