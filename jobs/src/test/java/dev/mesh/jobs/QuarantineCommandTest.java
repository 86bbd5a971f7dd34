package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mesh quarantine}: a new domain team's first look at what a run rejected: the records, each reason (the
 * column and the value it could not take), the run and the file, newest first, as text and JSON; one run's records
 * alone; a product that quarantined nothing, and one that does not exist.
 */
class QuarantineCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theRecordsARunRejectedAreShownWithTheirReasonsRunAndFile() throws Exception {
        TestMesh mesh = ShopMesh.csvOrders(dir, "append", ", options: { header: \"true\" }");
        CliHarness.Result nothing = ShopMesh.run(mesh, "quarantine", "shop.orders");
        assertThat(nothing.exitCode()).as(nothing.err()).isZero();
        assertThat(nothing.out()).contains("no quarantined records of shop.orders");

        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\nx2,20.00,PAID\n3,lots,NEW\n");
        CliHarness.Result first = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        mesh.land("shop", "orders", "day2.csv", "order_id,amount,status\n4,1.00,NEW\n5,#N/A,PAID\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();

        CliHarness.Result shown = ShopMesh.run(mesh, "quarantine", "shop.orders");
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("3 of 3 quarantined records of shop.orders, newest first:",
                "QUARANTINED (UTC)", "REASONS", "day1.csv", "day2.csv", "x2", "lots", "#N/A");
        List<String> lines = shown.out().lines().filter(l -> l.contains(".csv")).toList();
        assertThat(lines.get(0)).as("newest first").contains("day2.csv");

        JsonNode json = JSON.readTree(ShopMesh.run(mesh, "quarantine", "shop.orders", "--output", "json").out());
        assertThat(json.path("total").asLong()).isEqualTo(3);
        List<String> reasons = new ArrayList<>();
        json.path("records").forEach(r -> r.path("reasons").forEach(reason -> reasons.add(reason.asText())));
        assertThat(reasons).hasSize(3).anyMatch(r -> r.contains("order_id")).anyMatch(r -> r.contains("amount"));
        String firstRun = json.path("records").get(2).path("runId").asText();

        JsonNode one = JSON.readTree(ShopMesh.run(mesh, "quarantine", "shop.orders", "--run", firstRun,
                "--limit", "1", "--output", "json").out());
        assertThat(one.path("total").asLong()).isEqualTo(2);
        assertThat(one.path("records")).hasSize(1);
        assertThat(one.path("records").get(0).path("file").asText()).endsWith("day1.csv");

        // mesh sql knows the quarantine as a table: the platform team's, and the owning domain's alone
        CliHarness.Result sql = ShopMesh.run(mesh, "sql", "SELECT input, reasons FROM shop.orders__quarantine");
        assertThat(sql.exitCode()).as(sql.err()).isZero();
        assertThat(sql.out().lines().filter(l -> l.contains("pos"))).hasSize(3);
        CliHarness.Result own = ShopMesh.run(mesh, "sql", "--as-domain", "shop",
                "SELECT count(*) AS n FROM shop.orders__quarantine");
        assertThat(own.exitCode()).as(own.err()).isZero();
        assertThat(own.out()).contains("3");
        mesh.domain("finance", "apiVersion: mesh/v1\nkind: Domain\nname: finance\nowners: [fin@example.com]\n");
        CliHarness.Result other = ShopMesh.run(mesh, "sql", "--as-domain", "finance",
                "SELECT * FROM shop.orders__quarantine");
        assertThat(other.exitCode()).as("another domain does not see a quarantine").isEqualTo(2);
        assertThat(other.out()).doesNotContain("lots");

        CliHarness.Result unknown = ShopMesh.run(mesh, "quarantine", "shop.nothing");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("shop.nothing");
        assertThat(ShopMesh.run(mesh, "quarantine", "shop.orders", "--output", "xml").err())
                .contains("--output xml is not a format; allowed: text, json");
    }
}
