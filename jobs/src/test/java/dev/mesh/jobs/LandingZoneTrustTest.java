package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.TestMesh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A product reads exactly the landing files of its own source, by their real names and paths, and says so: what it
 * read is in its run row and its audit row, what it found and left out is printed and recorded with the reason, and a
 * path or link that leads outside the source's folder is refused (exit 2, audited) before anything is read.
 */
class LandingZoneTrustTest {
    @TempDir
    Path dir;

    @Test
    void aLandingFileNameIsANameNeverAPattern() {
        TestMesh mesh = ShopMesh.csvOrders(dir, "append", "");
        mesh.land("shop", "orders", "x[1].csv", "order_id,amount,status\n1,10.00,NEW\n");
        mesh.land("shop", "orders", "x1.csv", "order_id,amount,status\n2,20.00,PAID\n");
        mesh.land("shop", "orders", "y{a,b}*.csv", "order_id,amount,status\n3,30.00,NEW\n");
        CliHarness.Result run = run(mesh);
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsPattern("shop +orders +PUBLISHED +3 +3 +0 ");
        assertThat(ShopMesh.orderRows(mesh)).containsExactly("1 10.00 NEW", "2 20.00 PAID", "3 30.00 NEW");
        assertThat(run(mesh).out()).containsPattern("shop +orders +UP_TO_DATE ");
    }

    @Test
    void filesLeftOutAreNamedWithTheirReasonAndFilesReadAreInTheRunAndAuditRows() {
        TestMesh mesh = ShopMesh.csvOrders(dir, "append", "");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n");
        // an upload still being staged, a marker, an upload in progress, a checksum
        mesh.land("shop", "orders", "_tmp/day2.csv", "order_id,amount,status\n2,20.00,PAID\n");
        mesh.land("shop", "orders", "_SUCCESS", "");
        mesh.land("shop", "orders", ".day3.csv.tmp", "order_id,amount,status\n3,3");
        mesh.land("shop", "orders", "day1.csv.crc", "crc");
        CliHarness.Result run = run(mesh);
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        String landing = mesh.zones().resolve("shop/landing/orders").toString();
        assertThat(run.out()).contains(
                "shop.orders: left out file:" + landing + "/.day3.csv.tmp: an upload in progress; the input's ignore "
                        + "pattern '.*' leaves it out",
                "shop.orders: left out file:" + landing + "/_SUCCESS: a job's marker file",
                "shop.orders: left out file:" + landing + "/_tmp/day2.csv: is under the folder '_tmp/', which the "
                        + "input's ignore pattern '_*' leaves out (folders where uploads are staged)",
                "shop.orders: left out file:" + landing + "/day1.csv.crc: a checksum file");
        assertThat(ShopMesh.orderRows(mesh)).containsExactly("1 10.00 NEW");
        Row runRow = table(mesh, "_platform/runs").where("status = 'PUBLISHED'").head();
        assertThat(runRow.<String>getAs("inputs")).contains("\"files\":[\"file:" + landing + "/day1.csv\"]",
                "{\"path\":\"file:" + landing + "/_tmp/day2.csv\",\"reason\":\"is under the folder '_tmp/'");
        assertThat(table(mesh, "_platform/audit").where("action = 'run'").head().<String>getAs("detail"))
                .isEqualTo("input 'pos' read 1 landing file: file:" + landing + "/day1.csv");

        // the finished upload lands where it belongs, and is read once
        mesh.land("shop", "orders", "day2.csv", "order_id,amount,status\n2,20.00,PAID\n");
        CliHarness.Result next = run(mesh);
        assertThat(next.out()).containsPattern("shop +orders +PUBLISHED +1 +1 +0 ");
        assertThat(ShopMesh.orderRows(mesh)).containsExactly("1 10.00 NEW", "2 20.00 PAID");
    }

    @Test
    void aBlankFirstLineDoesNotLoseTheFile() {
        TestMesh mesh = ShopMesh.csvOrders(dir, "append", "");
        mesh.land("shop", "orders", "day1.csv", "\n\norder_id,amount,status\n1,10.00,NEW\n\n2,20.00,PAID\n");
        CliHarness.Result run = run(mesh);
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsPattern("shop +orders +PUBLISHED +2 +2 +0 ");
        assertThat(ShopMesh.orderRows(mesh)).containsExactly("1 10.00 NEW", "2 20.00 PAID");
        // a first line of spaces is a record, and so the header: the file's columns are not the declared ones
        mesh.land("shop", "orders", "day2.csv", "  \norder_id,amount,status\n3,30.00,NEW\n");
        CliHarness.Result spaces = run(mesh);
        assertThat(spaces.exitCode()).isEqualTo(2);
        assertThat(spaces.out()).contains("day2.csv has columns not as declared");
    }

    @Test
    void aGlobFilterLeavesFilesOutWithAWordAndNeverRecordsThemAsRead() throws IOException {
        TestMesh mesh = ShopMesh.csvOrders(dir, "append", ", options: { pathGlobFilter: \"*.csv\" }");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n");
        Path gz = mesh.zones().resolve("shop/landing/orders/day2.csv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("order_id,amount,status\n2,20.00,PAID\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        CliHarness.Result run = run(mesh);
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("day2.csv.gz: does not match the input's options.pathGlobFilter '*.csv'");
        assertThat(ShopMesh.orderRows(mesh)).containsExactly("1 10.00 NEW");
        assertThat(table(mesh, "_platform/runs").head().<String>getAs("inputs")).doesNotContain("\"files\":[\"file:"
                + gz);
    }

    @Test
    void hiddenNamesThatSparkWouldSkipAreRefusedNeverRecordedAsRead() {
        TestMesh mesh = ShopMesh.csvOrders(dir, "append", ", ignore: [\"*.tmp\"]");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n");
        mesh.land("shop", "orders", "_day2.csv", "order_id,amount,status\n2,20.00,PAID\n");
        CliHarness.Result run = run(mesh);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("shop.orders: FAILED: input 'pos' of shop.orders: Spark's reader leaves out "
                + "landing file file:" + mesh.zones().resolve("shop/landing/orders/_day2.csv") + " (it skips names "
                + "that start with '_' or '.'); rename the file, or add its name to the input's ignore patterns; "
                + "nothing was read");
        assertThat(run.out() + run.err()).doesNotContain("\tat ");
        assertThat(mesh.zones().resolve("shop/products/orders")).doesNotExist();
    }

    @Test
    void aSymbolicLinkInTheLandingFolderIsRefusedAndAudited() throws IOException {
        TestMesh mesh = ShopMesh.csvOrders(dir, "append", "");
        mesh.domain("crm", """
                apiVersion: mesh/v1
                kind: Domain
                name: crm
                owners: [crm@example.com]
                sources:
                  - { name: crm.customers, landing: customers }
                """);
        Path secret = mesh.land("crm", "customers", "customers.csv", "order_id,amount,status\n99,1.00,NEW\n");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n");
        assertThat(run(mesh).exitCode()).isZero();
        Path link = mesh.zones().resolve("shop/landing/orders/x/feed.csv");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, secret);
        CliHarness.Result refused = run(mesh);
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.out()).contains("shop.orders: FAILED: input 'pos' of shop.orders: landing file file:" + link
                + " is reached through a symbolic link (to " + secret.toRealPath() + "), and links are not followed");
        assertThat(refused.out() + refused.err()).doesNotContain("\tat ");
        assertThat(ShopMesh.orderRows(mesh)).containsExactly("1 10.00 NEW");
        assertThat(table(mesh, "_platform/audit").where("action = 'access_refused'").head().<String>getAs("detail"))
                .contains("x/feed.csv is reached through a symbolic link");
    }

    @Test
    void aBraceGroupThatLeavesTheZoneIsASpecError() {
        TestMesh mesh = ShopMesh.csvOrders(dir, "append", ", path: \"{/..}/{/..}/{/..}/crm/landing/customers\"");
        CliHarness.Result validate = ShopMesh.run(mesh, "validate");
        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.out()).contains("inputs[0].files.path: '{/..}/{/..}/{/..}/crm/landing/customers' holds a "
                + "'/' inside '{...}'");
        assertThat(run(mesh).exitCode()).isEqualTo(2);
    }

    private static CliHarness.Result run(TestMesh mesh) {
        return ShopMesh.run(mesh, "run", "shop.orders");
    }
}
