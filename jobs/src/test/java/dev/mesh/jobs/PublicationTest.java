package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.testing.TestMesh;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publication is atomic and idempotent: a rerun over the same data neither loses nor duplicates rows. */
class PublicationTest {
    @TempDir
    Path dir;

    @Test
    void rerunOfAnAppendProductDoesNotDuplicateRows() {
        TestMesh mesh = ShopMesh.create(dir, "append", "");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        CliHarness.Result again = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).containsPattern("shop +orders +UP_TO_DATE +0 +0 +0 +0/0 +0 ");
        assertThat(table(mesh, "shop/products/orders").count()).isEqualTo(2);
    }

    @Test
    void aRunThatPublishedButWasNeverRecordedIsNotPublishedAgain() throws IOException {
        TestMesh mesh = ShopMesh.create(dir, "append", "");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        // a crash after the commit and before any bookkeeping: neither the ledger nor the ingest ledger knows the
        // run; the commit itself lists the files it published
        FileUtils.deleteDirectory(mesh.zones().resolve("_platform/runs").toFile());
        FileUtils.deleteDirectory(mesh.zones().resolve("shop/_checkpoints/orders/ingested").toFile());

        CliHarness.Result retry = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(retry.exitCode()).as(retry.err()).isZero();
        assertThat(retry.out()).containsPattern("shop +orders +UP_TO_DATE +0 +0 +0 +0/0 +0 ");
        assertThat(table(mesh, "shop/products/orders").count()).isEqualTo(2);
    }

    @Test
    void deltaSkipsTheCommitOfAnOverwriteRunThatPublishedButWasNeverRecorded() throws IOException {
        TestMesh mesh = ShopMesh.create(dir, "overwrite", "");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        FileUtils.deleteDirectory(mesh.zones().resolve("_platform/runs").toFile());

        CliHarness.Result retry = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(retry.exitCode()).as(retry.err()).isZero();
        // the table's own transaction ids know the commit: the retry stops before reading anything
        assertThat(retry.out()).containsPattern("shop +orders +UP_TO_DATE +0 +0 +0 +0/0 +0 ");
        assertThat(SharedSpark.session().sql("DESCRIBE HISTORY delta.`" + mesh.zones().resolve("shop/products/orders")
                + "`").count()).isEqualTo(1);
    }

    @Test
    void mergeOfANewExtractUpdatesAndInsertsByKey() {
        // a source that replaces its export under one name says so (ChangedFilesTest: by default the run refuses it)
        TestMesh mesh = ShopMesh.csvOrders(dir, "merge", ", onChangedFile: reingest");
        mesh.land("shop", "orders", "export.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        // the source replaces its nightly export: order 2 changed, order 3 is new, order 1 is no longer in it
        mesh.land("shop", "orders", "export.csv", "order_id,amount,status\n2,25.00,PAID\n3,30.00,NEW\n");
        CliHarness.Result second = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(table(mesh, "shop/products/orders").orderBy("order_id").collectAsList())
                .extracting(r -> r.get(0) + ":" + r.get(1))
                .containsExactly("1:10.00", "2:25.00", "3:30.00");
    }

    @Test
    void commitInfoCarriesTheRunId() {
        TestMesh mesh = ShopMesh.create(dir, "overwrite", "");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders", "--run-id", "nightly-2026-11-25").exitCode()).isZero();
        String metadata = SharedSpark.session().sql("DESCRIBE HISTORY delta.`"
                + mesh.zones().resolve("shop/products/orders") + "`").head().getAs("userMetadata");
        assertThat(metadata).contains("\"runId\":\"nightly-2026-11-25\"", "\"product\":\"shop.orders\"");
        assertThat(table(mesh, "_platform/runs").head().<String>getAs("run_id")).isEqualTo("nightly-2026-11-25");
    }
}
