package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesh.error.ErrorCode;
import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.run.AuditListener;
import dev.mesh.runtime.run.ProductMaintenance;
import dev.mesh.runtime.run.RunContext;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.SpecLoader;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.PolicyRule;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail (one row per provision, policy evaluation, run, publication and maintenance, append-only by Delta's
 * own table property, filtered by {@code mesh audit}) and {@code mesh maintain} applying the retention policy.
 */
class AuditAndMaintenanceTest {
    private static final String GOVERNANCE = """
            apiVersion: mesh/v1
            kind: Governance
            body:
              members: [{ domain: shop, representative: shop@example.com }]
            rules:
              - { id: keep, kind: retention, versions: %s, quarantine: %s, message: keep what the auditors need }
            """;

    @TempDir
    Path dir;

    @Test
    void everyActionLeavesAnAuditRowThatCannotBeChanged() {
        TestMesh mesh = shop("P7D", "P30D");
        Map<String, String> alice = Map.of("MESH_PRINCIPAL", "alice");
        assertThat(CliHarness.runWith(alice, "--platform", mesh.platformFile().toString(), "provision").exitCode())
                .isZero();
        mesh.land("shop", "orders", "f1.csv", "order_id,amount,status\n1,10.00,NEW\n2,x,NEW\n");
        assertThat(CliHarness.runWith(alice, "--platform", mesh.platformFile().toString(), "run", "shop.orders")
                .exitCode()).isZero();

        List<Row> rows = table(mesh, "_platform/audit").orderBy("at", "action").collectAsList();
        assertThat(rows).extracting(row -> row.getAs("principal") + " " + row.getAs("action") + " "
                + row.getAs("target") + " " + row.getAs("outcome")).containsExactly(
                "alice provision mesh " + rows.get(0).getAs("outcome"),
                "alice publish shop.orders version 0",
                "alice run shop.orders PUBLISHED",
                "alice policy_check mesh passed");
        assertThat(rows.get(0).<String>getAs("outcome")).matches("[1-9]\\d* created, \\d+ already there");
        assertThat(rows.get(3).<String>getAs("policy_version")).hasSize(64);
        assertThat(rows.get(1).<String>getAs("spec_hash")).isNotEmpty();
        assertThat(rows.get(1).<String>getAs("detail")).isEqualTo("1 rows");

        CliHarness.Result audit = ShopMesh.run(mesh, "audit", "--action", "publish", "--since", "PT1H");
        assertThat(audit.exitCode()).isZero();
        assertThat(audit.out()).contains("alice", "publish", "shop.orders", "version 0").doesNotContain("provision");
        assertThat(ShopMesh.run(mesh, "audit", "--action", "delete").exitCode()).isEqualTo(2);

        String path = mesh.zones().resolve("_platform/audit").toString();
        assertThatThrownBy(() -> SharedSpark.session().sql("DELETE FROM delta.`" + path + "`"))
                .hasMessageContaining("DELTA_CANNOT_MODIFY_APPEND_ONLY");
        assertThat(table(mesh, "_platform/audit").count()).isEqualTo(4);
    }

    @Test
    void aRunRefusedAccessIsAudited() {
        TestMesh mesh = shop("P7D", "P30D");
        MeshSpec spec = new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()).orThrow();
        ZoneLayout zones = new ZoneLayout(spec.platform().storageRoot());
        PlatformTables tables = new PlatformTables(SharedSpark.session(), zones);
        Instant now = Instant.parse("2026-11-26T06:00:00Z");
        RunResult refused = new RunResult("r-1", new ProductId("shop", "orders"), "1.0.0", "h", null,
                RunStatus.FAILED, now, now, 0, 0, 0, null, List.of(), Map.of(), GateResult.EMPTY, RunUsage.NONE,
                "shop.orders (orders.yaml): transform.sql reads 'sales.orders', which is not an input",
                ErrorCode.ACCESS_DENIED, List.of());
        new AuditListener().invocationFinished(new RunContext(SharedSpark.session(), spec, zones, tables,
                Clock.fixed(now, ZoneOffset.UTC), Map.of("MESH_PRINCIPAL", "mallory")), List.of(refused));
        Row row = table(mesh, "_platform/audit").where("action = 'access_refused'").head();
        assertThat(row.<String>getAs("principal")).isEqualTo("mallory");
        assertThat(row.<String>getAs("target")).isEqualTo("shop.orders");
        assertThat(row.<String>getAs("detail")).contains("reads 'sales.orders', which is not an input");
    }

    @Test
    void maintainRemovesOnlyWhatTheRetentionAllows() throws Exception {
        TestMesh mesh = shop("P7D", "P30D");
        mesh.land("shop", "orders", "f1.csv", "order_id,amount,status\n1,10.00,NEW\n2,x,NEW\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        mesh.land("shop", "orders", "f2.csv", "order_id,amount,status\n3,30.00,PAID\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        String orders = mesh.zones().resolve("shop/products/orders").toString();

        // within a week's retention, nothing goes: every version stays readable
        CliHarness.Result kept = ShopMesh.run(mesh, "maintain");
        assertThat(kept.exitCode()).as(kept.out() + kept.err()).isZero();
        assertThat(kept.out()).containsPattern("shop\\.orders\\s+PT168H\\s+0\\s+PT720H\\s+0");
        assertThat(SharedSpark.session().read().format("delta").option("versionAsOf", 0).load(orders).count())
                .isEqualTo(1);

        // a retention shorter than the platform's least is refused before anything runs
        mesh.governance(GOVERNANCE.formatted("PT1S", "PT1S"));
        CliHarness.Result tooShort = ShopMesh.run(mesh, "maintain", "shop");
        assertThat(tooShort.exitCode()).isEqualTo(2);
        assertThat(tooShort.out() + tooShort.err()).contains("rules[0].versions: PT1S is shorter than the platform's "
                + "least retention, PT1H: runs still writing and readers still reading need the files of versions this "
                + "recent");

        // VACUUM itself, with the least lowered as only code can: a second later, version 0's files and the
        // quarantined record go
        Thread.sleep(1500);
        MeshSpec spec = new SpecLoader(dir).load(shop("P7D", "P30D").platformFile(), Optional.empty()).orThrow();
        ProductSpec product = spec.product(new ProductId("shop", "orders")).orElseThrow();
        ProductMaintenance.Outcome vacuumed = new ProductMaintenance(SharedSpark.session(),
                new ZoneLayout(spec.platform().storageRoot()), Duration.ZERO).maintain(product,
                Optional.of(new PolicyRule.Retention("keep", PolicyRule.Severity.ERROR, "keep", Duration.ofSeconds(1),
                        Optional.of(Duration.ofSeconds(1)))), Instant.now());
        assertThat(vacuumed.filesRemoved()).isPositive();
        assertThat(vacuumed.recordsDeleted()).isEqualTo(1);
        assertThat(vacuumed.versions()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(table(mesh, "shop/products/orders").orderBy("order_id").collectAsList()).extracting(Row::toString)
                .containsExactly("[1,10.00,NEW]", "[3,30.00,PAID]");
        assertThat(table(mesh, "shop/quarantine/orders").count()).isZero();
        // version 0's data files are gone: time travel to it fails
        assertThatThrownBy(() -> SharedSpark.session().read().format("delta").option("versionAsOf", 0).load(orders)
                .collectAsList()).isInstanceOf(Exception.class);
    }

    @Test
    void maintainAtTheLeastRetentionWhileAnotherProductReadsAndCommitsLosesNothing() throws Exception {
        TestMesh mesh = ProductYaml.shopOrders().mode("append").keys()
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
        mesh.approvedGovernance(GOVERNANCE.formatted("PT1H", "P30D"), "shop@example.com");
        ProductYaml.product("shop", "daily").reads("orders", "shop.orders")
                .sql("SELECT status, count(*) AS orders FROM orders GROUP BY status")
                .schema("{ name: status, type: string }", "{ name: orders, type: bigint }").writeTo(mesh);
        mesh.land("shop", "orders", "f0.csv", "order_id,amount,status\n0,1.00,NEW\n");
        assertThat(ShopMesh.run(mesh, "run", "--all").exitCode()).isZero();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.CompletableFuture<List<CliHarness.Result>> maintaining =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    List<CliHarness.Result> results = new java.util.ArrayList<>();
                    while (running.get()) {
                        results.add(ShopMesh.run(mesh, "maintain"));
                    }
                    return results;
                });
        try {
            for (int i = 1; i <= 4; i++) {
                mesh.land("shop", "orders", "f" + i + ".csv", "order_id,amount,status\n" + i + ",1.00,PAID\n");
                CliHarness.Result run = ShopMesh.run(mesh, "run", "--all");
                assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            }
        } finally {
            running.set(false);
        }
        List<CliHarness.Result> maintained = maintaining.get();
        assertThat(maintained).isNotEmpty().allSatisfy(result -> {
            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            // a run in progress keeps its product's versions longer: its files are not committed yet
            assertThat(result.out()).containsPattern("shop\\.orders\\s+PT1H(1M)?\\s+0\\s");
        });
        assertThat(table(mesh, "shop/products/orders").count()).isEqualTo(5);
        assertThat(table(mesh, "shop/products/daily").orderBy("status").collectAsList()).extracting(Row::toString)
                .containsExactly("[NEW,1]", "[PAID,4]");
        // every version is still readable, none being older than the retention (VACUUM logs versions of its own)
        String orders = mesh.zones().resolve("shop/products/orders").toString();
        long latest = io.delta.tables.DeltaTable.forPath(SharedSpark.session(), orders).history(1).head().getLong(0);
        List<Long> counts = new java.util.ArrayList<>();
        for (long version = 0; version <= latest; version++) {
            counts.add(SharedSpark.session().read().format("delta").option("versionAsOf", version).load(orders)
                    .count());
        }
        assertThat(counts).isSorted().startsWith(1L).endsWith(5L).contains(2L, 3L, 4L);
    }

    private TestMesh shop(String versions, String quarantine) {
        TestMesh mesh = ProductYaml.shopOrders().mode("overwrite").keys()
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
        return mesh.approvedGovernance(GOVERNANCE.formatted(versions, quarantine), "shop@example.com");
    }
}
