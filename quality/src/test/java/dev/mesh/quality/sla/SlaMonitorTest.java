package dev.mesh.quality.sla;

import static dev.mesh.spec.testing.SpecFixture.ORDERS_FILE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.quality.feedback.Feedback;
import dev.mesh.quality.feedback.FeedbackSummary;
import dev.mesh.quality.feedback.FeedbackTable;
import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.spi.PlatformTable;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.testing.SpecFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SLA monitor over real platform tables: it picks in Spark the runs the evaluator needs (the window, the latest
 * run and the latest success, however old), records each evaluation as a typed row, and alerts on new breaches only.
 */
class SlaMonitorTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    ProductSpec orders;
    PlatformTables tables;

    @BeforeEach
    void ordersWithAFreshnessLimit() {
        SpecFixture fixture = SpecFixture.in(dir.resolve("mesh"));
        fixture.edit(ORDERS_FILE, "sla: { freshness: PT24H }", "sla: { freshness: PT24H, window: P7D }");
        orders = fixture.load().orThrow().product(new ProductId("shop", "orders")).orElseThrow();
        tables = new PlatformTables(SharedSpark.session(), new ZoneLayout(dir.resolve("zones").toUri()));
    }

    @Test
    void aSuccessOlderThanTheWindowStillDatesTheFreshnessAndABreachAlertsOnce() {
        tables.recordRun(run("old", RunStatus.PUBLISHED, Duration.ofDays(30)));
        tables.recordRun(run("older", RunStatus.PUBLISHED, Duration.ofDays(40)));
        tables.recordRun(run("recent", RunStatus.FAILED, Duration.ofHours(2)));
        tables.recordRun(run("skipped", RunStatus.SKIPPED, Duration.ofHours(1)));
        SlaMonitor monitor = new SlaMonitor(tables.direct(), Clock.fixed(NOW, ZoneOffset.UTC));

        SlaMonitor.Evaluation first = monitor.evaluate(List.of(orders));
        SlaStatus status = first.statuses().get(0);
        assertThat(status.level()).isEqualTo(SlaStatus.Level.BREACHED);
        assertThat(status.lastSuccessAt()).isEqualTo(NOW.minus(Duration.ofDays(30)));
        assertThat(status.reasons()).containsExactly("last published 30d ago, limit 24h");
        assertThat(status.runsInWindow()).as("only the failed run is in the window").isEqualTo(1);
        assertThat(first.newlyBreached()).hasSize(1);

        assertThat(monitor.evaluate(List.of(orders)).newlyBreached()).as("still breached: no new alert").isEmpty();
        Row recorded = tables.read(SlaStatusTable.TABLE).orderBy("evaluated_at").head();
        assertThat(recorded.<String>getAs("status")).isEqualTo("BREACHED");
        assertThat(recorded.<Long>getAs("freshness_s")).isEqualTo(Duration.ofDays(30).toSeconds());
        assertThat(recorded.getList(recorded.fieldIndex("reasons"))).containsExactly(
                "last published 30d ago, limit 24h");
        assertThat(tables.read(SlaStatusTable.TABLE).count()).isEqualTo(2);
    }

    /**
     * An evaluation reads the runs of its window and those since a little before the previous evaluation, which
     * carries what older runs established, and the status table's newest files: every data file of the ledger from
     * before that is deleted here, and a reader that opened one would fail.
     */
    @Test
    void anEvaluationReadsItsWindowAndWhatFollowedTheLastOneNotTheWholeLedger() throws IOException {
        tables.recordRun(run("published", RunStatus.PUBLISHED, Duration.ofDays(30)));
        // an up-to-date run since changed nothing: the data is as old as the last publication
        tables.recordRun(run("up-to-date", RunStatus.UP_TO_DATE, Duration.ofDays(20)));
        for (int day = 10; day < 15; day++) {
            tables.recordRun(run("failed-" + day, RunStatus.FAILED, Duration.ofDays(day)));
        }
        for (int minutes = 30; minutes > 0; minutes -= 10) {
            SlaStatus status = monitorAt(NOW.minus(Duration.ofMinutes(minutes))).evaluate(List.of(orders))
                    .statuses().get(0);
            assertThat(status.lastSuccessAt()).isEqualTo(NOW.minus(Duration.ofDays(30)));
        }

        assertThat(deleteFilesBefore("_platform/runs", "finished_at", NOW.minus(Duration.ofDays(7)))).isEqualTo(7);
        assertThat(deleteFilesBefore("_platform/sla_status", "evaluated_at", NOW.minus(Duration.ofMinutes(15))))
                .isEqualTo(2);
        tables.recordRun(run("recent", RunStatus.FAILED, Duration.ofMinutes(5)));
        SlaMonitor.Evaluation evaluation = monitorAt(NOW).evaluate(List.of(orders));

        SlaStatus status = evaluation.statuses().get(0);
        assertThat(status.level()).isEqualTo(SlaStatus.Level.BREACHED);
        assertThat(status.lastSuccessAt()).isEqualTo(NOW.minus(Duration.ofDays(30)));
        assertThat(status.reasons()).containsExactly("last published 30d ago, limit 24h");
        assertThat(status.runsInWindow()).isEqualTo(1);
        assertThat(status.lastDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(evaluation.newlyBreached()).as("breached at the evaluation before: no new alert").isEmpty();
    }

    /**
     * Evaluated last at a later instant than now (a clock set back): what that evaluation carried cannot be trusted,
     * and every run is read again; a publication from before the window recorded since is not missed.
     */
    @Test
    void anEvaluationAfterOneDatedInItsFutureReadsEveryRun() {
        tables.recordRun(run("published", RunStatus.PUBLISHED, Duration.ofDays(30)));
        monitorAt(NOW.plus(Duration.ofDays(60))).evaluate(List.of(orders));
        tables.recordRun(run("again", RunStatus.PUBLISHED, Duration.ofDays(10)));

        SlaStatus status = monitorAt(NOW).evaluate(List.of(orders)).statuses().get(0);
        assertThat(status.lastSuccessAt()).isEqualTo(NOW.minus(Duration.ofDays(10)));
        assertThat(status.reasons()).containsExactly("last published 10d ago, limit 24h");
    }

    private SlaMonitor monitorAt(Instant now) {
        return new SlaMonitor(tables.direct(), Clock.fixed(now, ZoneOffset.UTC));
    }

    /** Deletes the data files of a platform table whose rows all have {@code column} before {@code before}. */
    private int deleteFilesBefore(String table, String column, Instant before) throws IOException {
        Path root = dir.resolve("zones").resolve(table);
        int deleted = 0;
        try (Stream<Path> commits = Files.list(root.resolve("_delta_log"))) {
            for (Path commit : commits.filter(file -> file.toString().endsWith(".json")).sorted().toList()) {
                for (String line : Files.readAllLines(commit)) {
                    JsonNode add = JSON.readTree(line).path("add");
                    if (add.isMissingNode()) {
                        continue;
                    }
                    JsonNode max = JSON.readTree(add.path("stats").asText()).path("maxValues").path(column);
                    assertThat(max.isTextual()).as("statistics of " + add).isTrue();
                    if (Instant.parse(max.asText()).isBefore(before)) {
                        Files.delete(root.resolve(add.path("path").asText()));
                        deleted++;
                    }
                }
            }
        }
        return deleted;
    }

    @Test
    void feedbackIsSummarisedInSpark() {
        ProductId returns = new ProductId("shop", "returns");
        tables.append(FeedbackTable.TABLE, List.of(
                new Feedback(NOW.minusSeconds(400), orders.id(), "finance", 5, "great"),
                new Feedback(NOW.minusSeconds(300), orders.id(), null, 4, null),
                new Feedback(NOW.minusSeconds(200), orders.id(), "sales", 2, "late again"),
                new Feedback(NOW.minusSeconds(100), returns, "finance", 3, "ok")));
        Map<ProductId, FeedbackSummary> summaries = FeedbackTable.summaries(tables.read(FeedbackTable.TABLE), 2);
        FeedbackSummary summary = summaries.get(orders.id());
        assertThat(summary.averageRating()).isEqualTo(11.0 / 3);
        assertThat(summary.count()).isEqualTo(3);
        assertThat(summary.latest()).extracting(Feedback::comment).containsExactly("late again", null);
        assertThat(summary.latest().get(0).fromDomain()).isEqualTo("sales");
        assertThat(summaries.get(returns).count()).isEqualTo(1);
    }

    @Test
    void theQualityModuleRegistersItsTables() {
        assertThat(PlatformTable.all()).extracting(PlatformTable::name).contains("sla_status", "feedback");
    }

    private RunResult run(String runId, RunStatus status, Duration ago) {
        Instant finished = NOW.minus(ago);
        return new RunResult(runId, orders.id(), orders.version(), orders.hash(), runId, status,
                finished.minusSeconds(60), finished, 1, 1, 0, null, List.of(), Map.of(), GateResult.EMPTY,
                RunUsage.NONE, null, status.ok() ? null : dev.mesh.error.ErrorCode.INFRASTRUCTURE,
                List.of());
    }
}
