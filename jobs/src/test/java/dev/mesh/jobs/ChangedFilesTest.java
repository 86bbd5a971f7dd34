package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.TestMesh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A landing file has one identity: path, size, time and content (SHA-256 on the local disk, the ETag on S3). A file
 * found again under a published name with other content is never read again silently: by default the run fails
 * before reading, naming the file and the version that published it; {@code onChangedFile} may ignore it (named in
 * the run's output) or, for a merge product, take its rows again by key.
 */
class ChangedFilesTest {
    private static final String DAY1 = "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n";

    @TempDir
    Path dir;

    @Test
    void aPublishedFileThatGrowsInPlaceFailsTheRunNamingItAndTheVersion() throws IOException {
        TestMesh mesh = ShopMesh.csvOrders(dir, "append", "");
        Path day1 = mesh.land("shop", "orders", "day1.csv", DAY1);
        assertThat(run(mesh).exitCode()).isZero();
        assertThat(table(mesh, "shop/_checkpoints/orders/ingested").head().<String>getAs("checksum"))
                .startsWith("sha256:").hasSize(7 + 64);
        Files.writeString(day1, "3,30.00,NEW\n", StandardOpenOption.APPEND);
        CliHarness.Result grown = run(mesh);
        assertThat(grown.exitCode()).isEqualTo(2);
        assertThat(grown.out()).contains("shop.orders: FAILED: input 'pos' of shop.orders: landing file file:" + day1
                + " changed since version 0 published it (size 48 -> 60 bytes, modified ", "other content); a published file is "
                + "never read again silently: land new data under a new name (or restore the file), or set the "
                + "input's onChangedFile to reingest (merge products take its rows again by key) or ignore; nothing "
                + "was read");
        assertThat(ShopMesh.orderRows(mesh)).containsExactly("1 10.00 NEW", "2 20.00 PAID");
        // still refused on the next run: nothing was recorded as ingested
        assertThat(run(mesh).exitCode()).isEqualTo(2);
    }

    @Test
    void aFileTouchedOrCopiedAgainWithTheSameBytesIsTheFileAlreadyPublished() throws IOException {
        TestMesh mesh = ShopMesh.csvOrders(dir, "append", "");
        Path day1 = mesh.land("shop", "orders", "day1.csv", DAY1);
        assertThat(run(mesh).exitCode()).isZero();
        Files.setLastModifiedTime(day1, FileTime.fromMillis(Files.getLastModifiedTime(day1).toMillis() + 60_000));
        CliHarness.Result touched = run(mesh);
        assertThat(touched.exitCode()).as(touched.out()).isZero();
        assertThat(touched.out()).containsPattern("shop +orders +UP_TO_DATE ");
        assertThat(ShopMesh.orderRows(mesh)).hasSize(2);
    }

    @Test
    void onChangedFileIgnoreLeavesTheFileOutAndSaysSo() throws IOException {
        TestMesh mesh = ShopMesh.csvOrders(dir, "append", ", onChangedFile: ignore");
        Path day1 = mesh.land("shop", "orders", "day1.csv", DAY1);
        assertThat(run(mesh).exitCode()).isZero();
        Files.writeString(day1, DAY1.replace("10.00", "11.00"));
        mesh.land("shop", "orders", "day2.csv", "order_id,amount,status\n3,30.00,NEW\n");
        CliHarness.Result run = run(mesh);
        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("shop.orders: left out file:" + day1 + ": changed since version 0 published it "
                + "(modified ").contains("other content); the input's onChangedFile: ignore leaves it out");
        assertThat(ShopMesh.orderRows(mesh)).containsExactly("1 10.00 NEW", "2 20.00 PAID", "3 30.00 NEW");
    }

    @Test
    void onChangedFileReingestTakesAMergeProductsRowsAgainByKey() throws IOException {
        TestMesh mesh = ShopMesh.csvOrders(dir, "merge", ", onChangedFile: reingest");
        Path day1 = mesh.land("shop", "orders", "day1.csv", DAY1);
        assertThat(run(mesh).exitCode()).isZero();
        Files.writeString(day1, "order_id,amount,status\n1,10.00,PAID\n2,20.00,PAID\n4,40.00,NEW\n");
        CliHarness.Result run = run(mesh);
        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(ShopMesh.orderRows(mesh)).containsExactly("1 10.00 PAID", "2 20.00 PAID", "4 40.00 NEW");
        assertThat(run(mesh).out()).containsPattern("shop +orders +UP_TO_DATE ");
    }

    private static CliHarness.Result run(TestMesh mesh) {
        return ShopMesh.run(mesh, "run", "shop.orders");
    }
}
