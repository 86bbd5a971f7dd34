package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mesh quarantine replay}: after the owner fixes the spec, the quarantined records it now accepts are published
 * once (a second replay, or a replay of records already replayed, publishes nothing), the others stay quarantined
 * with why, and the replay is a run in the ledger and the audit trail.
 */
class QuarantineReplayTest {
    @TempDir
    Path dir;

    private TestMesh orders(String mode, String... statuses) {
        return ProductYaml.shopOrders().mode(mode).keys(mode.equals("merge") ? new String[] {"order_id"}
                : new String[0]).quality("rowRules:\n  - { check: allowedValues, column: status, values: ["
                        + String.join(", ", statuses) + "] }\n")
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
    }

    @Test
    void recordsTheFixedSpecAcceptsArePublishedExactlyOnce() {
        TestMesh mesh = orders("append", "NEW", "PAID");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,SHIPPED\n"
                + "3,lots,NEW\n4,5.00,SHIPPED\n");
        CliHarness.Result first = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(ShopMesh.orderRows(mesh)).containsExactly("1 10.00 NEW");

        // before the fix, nothing the spec still rejects is published
        CliHarness.Result early = ShopMesh.run(mesh, "quarantine", "replay", "shop.orders");
        assertThat(early.exitCode()).as(early.out() + early.err()).isEqualTo(2);
        assertThat(early.out()).contains("none of the 3 quarantined records of shop.orders passes its current spec; "
                + "3 still fail the current spec and stay quarantined");

        orders("append", "NEW", "PAID", "SHIPPED");
        CliHarness.Result replay = ShopMesh.run(mesh, "quarantine", "replay", "shop.orders");
        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("shop.orders: replayed 2 of 3 quarantined records into version 1",
                "; 1 still fail the current spec and stay quarantined (mesh quarantine shop.orders)");
        assertThat(ShopMesh.orderRows(mesh)).containsExactly("1 10.00 NEW", "2 20.00 SHIPPED", "4 5.00 SHIPPED");

        // killed between its commit and marking the records: the marks are lost, the commit is not; the replay run
        // again makes the same commit, which Delta skips by its idempotence id, and only marks them
        SharedSpark.session().sql("UPDATE delta.`" + mesh.zones().resolve("shop/quarantine/orders")
                + "` SET replayed_version = NULL, replayed_run = NULL");
        CliHarness.Result afterKill = ShopMesh.run(mesh, "quarantine", "replay", "shop.orders");
        assertThat(afterKill.exitCode()).as(afterKill.out() + afterKill.err()).isZero();
        assertThat(afterKill.out()).contains("replayed 2 of 3 quarantined records into version 1");
        assertThat(ShopMesh.orderRows(mesh)).containsExactly("1 10.00 NEW", "2 20.00 SHIPPED", "4 5.00 SHIPPED");

        // exactly once: a second replay finds only the record the spec still rejects
        CliHarness.Result again = ShopMesh.run(mesh, "quarantine", "replay", "shop.orders");
        assertThat(again.exitCode()).as(again.out() + again.err()).isEqualTo(2);
        assertThat(again.out()).contains("none of the 1 quarantined records of shop.orders passes its current spec",
                "amount: value 'lots' is not a decimal(10,2)");
        assertThat(ShopMesh.orderRows(mesh)).hasSize(3);
        // a normal run afterwards publishes nothing again
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").out()).containsPattern("shop +orders +UP_TO_DATE ");
        assertThat(ShopMesh.orderRows(mesh)).hasSize(3);

        CliHarness.Result shown = ShopMesh.run(mesh, "quarantine", "shop.orders");
        assertThat(shown.out()).contains("REPLAYED", "version 1");
        List<Row> audit = QualityGateTest.table(mesh, "_platform/audit").where("action = 'run'")
                .orderBy("at").collectAsList();
        assertThat(audit).extracting(r -> r.<String>getAs("detail")).filteredOn(d -> d != null)
                .anyMatch(d -> d.contains("quarantine replay: 3 quarantined records waited, 2 published, 1 still "
                        + "rejected"));
    }

    @Test
    void aMergeReplayNeverPutsAnOldRecordOverItsKeysPublishedRowAndAnOverwriteProductIsRefused() {
        TestMesh mesh = orders("merge", "NEW", "PAID");
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,SHIPPED\n"
                + "3,30.00,SHIPPED\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        // order 2 moves on in a later file; its quarantined SHIPPED record is now older than what is published
        mesh.land("shop", "orders", "day2.csv", "order_id,amount,status\n2,21.00,PAID\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        orders("merge", "NEW", "PAID", "SHIPPED");
        CliHarness.Result replay = ShopMesh.run(mesh, "quarantine", "replay", "shop.orders");
        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("replayed 1 of 2 quarantined records", "1 still fail");
        assertThat(ShopMesh.orderRows(mesh)).containsExactly("1 10.00 NEW", "2 21.00 PAID", "3 30.00 SHIPPED");
        CliHarness.Result again = ShopMesh.run(mesh, "quarantine", "replay", "shop.orders");
        assertThat(again.out()).contains("its key (order_id) was published since: the published row may be newer "
                + "than this record");

        orders("overwrite", "NEW", "PAID");
        CliHarness.Result refused = ShopMesh.run(mesh, "quarantine", "replay", "shop.orders");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.out()).contains("overwrites its table with what its sources hold at every run");
    }
}
