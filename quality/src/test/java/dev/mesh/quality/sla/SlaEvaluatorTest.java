package dev.mesh.quality.sla;

import static dev.mesh.spec.testing.SpecFixture.ORDERS_FILE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.result.RunStatus;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.testing.SpecFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SLA judged from run records at an instant of the test's choosing: no Spark, no clock, no sleeping. */
class SlaEvaluatorTest {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dir;
    ProductSpec orders;

    @BeforeEach
    void productWithEveryServiceLevel() {
        SpecFixture fixture = SpecFixture.in(dir);
        fixture.edit(ORDERS_FILE, "sla: { freshness: PT24H }",
                "sla: { freshness: PT24H, maxDuration: PT10M, minQualityScore: 0.9, minSuccessRate: 0.5 }");
        orders = fixture.load().orThrow().product(new ProductId("shop", "orders")).orElseThrow();
    }

    @Test
    void aProductNeverPublishedIsBreached() {
        SlaStatus status = SlaEvaluator.evaluate(orders, List.of(), NOW);
        assertThat(status.level()).isEqualTo(SlaStatus.Level.BREACHED);
        assertThat(status.reasons()).containsExactly("never published");
        assertThat(status.freshness()).isNull();
    }

    @Test
    void freshnessGoesFromMetToAtRiskToBreached() {
        assertThat(at(Duration.ofHours(1)).level()).isEqualTo(SlaStatus.Level.MET);
        SlaStatus risk = at(Duration.ofHours(20));
        assertThat(risk.level()).isEqualTo(SlaStatus.Level.AT_RISK);
        assertThat(risk.reasons()).containsExactly("last published 20h ago, limit 24h");
        SlaStatus breached = at(Duration.ofHours(26));
        assertThat(breached.level()).isEqualTo(SlaStatus.Level.BREACHED);
        assertThat(breached.freshness()).isEqualTo(Duration.ofHours(26));
    }

    @Test
    void runsThatFindNothingNewDoNotMakeTheDataFresh() {
        // published 30 hours ago; since then the scheduler ran it every hour and the source delivered nothing
        List<RunRecord> runs = new ArrayList<>(List.of(run("p", RunStatus.PUBLISHED, 30, Duration.ofMinutes(1), 5, 0)));
        for (int hoursAgo = 29; hoursAgo >= 1; hoursAgo--) {
            runs.add(run("u" + hoursAgo, RunStatus.UP_TO_DATE, hoursAgo, Duration.ofSeconds(2), 0, 0));
        }
        SlaStatus status = SlaEvaluator.evaluate(orders, runs, NOW);
        assertThat(status.level()).isEqualTo(SlaStatus.Level.BREACHED);
        assertThat(status.reasons()).containsExactly("last published 30h ago, limit 24h");
        assertThat(status.lastSuccessAt()).isEqualTo(NOW.minus(Duration.ofHours(30)));
        // they did succeed: the success rate counts them
        assertThat(status.successRate()).isEqualTo(1.0);
    }

    @Test
    void qualityScoreDurationAndSuccessRateAreJudgedOverTheWindow() {
        List<RunRecord> runs = List.of(
                run("a", RunStatus.PUBLISHED, 3, Duration.ofMinutes(11), 8, 2),
                run("b", RunStatus.FAILED, 2, Duration.ofMinutes(1), 0, 0),
                run("c", RunStatus.GATE_FAILED, 1, Duration.ofMinutes(2), 5, 5),
                run("d", RunStatus.SKIPPED, 0, Duration.ZERO, 0, 0),
                run("e", RunStatus.UNFINISHED, 0, Duration.ofHours(5), 0, 0));
        SlaStatus status = SlaEvaluator.evaluate(orders, runs, NOW);
        assertThat(status.level()).isEqualTo(SlaStatus.Level.BREACHED);
        // checks of the published and the gate-failed run: 13 of 20 passed
        assertThat(status.qualityScore()).isEqualTo(13.0 / 20);
        // the killed run counts against the success rate, and its unknown duration is not the last duration
        assertThat(status.successRate()).isEqualTo(1.0 / 4);
        assertThat(status.runsInWindow()).isEqualTo(4);
        assertThat(status.lastDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(status.reasons()).anyMatch(r -> r.startsWith("quality score 0.6500 over "))
                .anyMatch(r -> r.startsWith("25% of 4 runs over "));
    }

    @Test
    void aProductWithoutServiceLevelsHasNone() {
        ProductSpec none = new ProductSpec(orders.id(), orders.version(), orders.owner(), orders.description(),
                orders.inputs(), orders.transform(), orders.output(), orders.quality(),
                dev.mesh.spec.model.SlaSpec.NONE,
                orders.access(), orders.file(), orders.hash());
        assertThat(SlaEvaluator.evaluate(none, List.of(), NOW).level()).isEqualTo(SlaStatus.Level.NONE);
    }

    private SlaStatus at(Duration sinceLastSuccess) {
        Instant finished = NOW.minus(sinceLastSuccess);
        return SlaEvaluator.evaluate(orders, List.of(new RunRecord("r", RunStatus.PUBLISHED,
                finished.minusSeconds(30), finished, 5, 0)), NOW);
    }

    /** A run that finished {@code hoursAgo} hours before now and took {@code took}. */
    @Test
    void aCheckOfThePublishedTableCountsInTheQualityScoreOnlyNotAsARunOfThePipeline() {
        // the table fails a check the owner just added; the check took 20 minutes, a run of the pipeline 1
        SlaStatus status = SlaEvaluator.evaluate(orders, List.of(
                run("p", RunStatus.PUBLISHED, 3, Duration.ofMinutes(1), 4, 0),
                run("c", RunStatus.CHECKED, 2, Duration.ofMinutes(20), 2, 2)), NOW);
        assertThat(status.qualityScore()).isEqualTo(6.0 / 8);
        assertThat(status.successRate()).isEqualTo(1.0);
        assertThat(status.runsInWindow()).isEqualTo(1);
        assertThat(status.lastDuration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(status.reasons()).singleElement().asString().startsWith("quality score 0.7500 over ");
    }

    private static RunRecord run(String id, RunStatus status, int hoursAgo, Duration took, long passed, long failed) {
        Instant finished = NOW.minus(Duration.ofHours(hoursAgo));
        return new RunRecord(id, status, finished.minus(took), finished, passed, failed);
    }
}
