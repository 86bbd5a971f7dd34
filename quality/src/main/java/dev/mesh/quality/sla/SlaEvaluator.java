package dev.mesh.quality.sla;

import dev.mesh.quality.sla.SlaStatus.Level;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.SlaSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Judges a product against its SLA from its runs, at a given instant (the clock is the caller's, so that tests move
 * it instead of sleeping). A measure past its limit breaches the SLA; one past {@value #AT_RISK_SHARE} of its limit
 * (or, for scores, halfway from the floor to perfection) puts it at risk.
 */
public final class SlaEvaluator {
    static final double AT_RISK_SHARE = 0.8;

    private SlaEvaluator() {}

    /**
     * What runs older than those given established, as an earlier evaluation found it: the product's last
     * publication and the last run's duration (either null when there was none).
     */
    public record Earlier(Instant lastPublished, Duration lastDuration) {
        /** Nothing: the runs given are all the product's. */
        public static final Earlier NOTHING = new Earlier(null, null);
    }

    public static SlaStatus evaluate(ProductSpec product, List<RunRecord> allRuns, Instant now) {
        return evaluate(product, allRuns, now, Optional.empty(), Earlier.NOTHING);
    }

    /**
     * The SLA now; {@code newestEvent} is the newest value of the product's event-time column
     * ({@code sla.freshnessColumn}), which then says how old the data is: a source that delivers late or old events
     * makes the data old, however recently it was published. {@code allRuns} holds every run inside the SLA's window;
     * {@code earlier}, what the runs before the oldest of them established.
     */
    public static SlaStatus evaluate(ProductSpec product, List<RunRecord> allRuns, Instant now,
            Optional<Instant> newestEvent, Earlier earlier) {
        SlaSpec sla = product.sla();
        List<RunRecord> runs = allRuns.stream().filter(r -> r.status() != RunStatus.SKIPPED)
                .sorted(Comparator.comparing(RunRecord::finishedAt)).toList();
        Instant windowStart = now.minus(sla.window());
        List<RunRecord> window = runs.stream().filter(r -> !r.finishedAt().isBefore(windowStart)).toList();
        // freshness is the data's age: only a run that published changed it; an up-to-date run found nothing new
        Optional<Instant> lastSuccess = Stream.concat(Optional.ofNullable(earlier.lastPublished())
                .stream(), runs.stream().filter(RunRecord::published).map(RunRecord::finishedAt))
                .max(Comparator.naturalOrder());
        Optional<Instant> eventTime = newestEvent.filter(t -> sla.eventTimeColumn().isPresent()
                && lastSuccess.isPresent());
        Duration freshness = eventTime.map(t -> Duration.between(t, now).isNegative() ? Duration.ZERO
                : Duration.between(t, now)).or(() -> lastSuccess.map(t -> Duration.between(t, now))).orElse(null);
        String age = eventTime.map(t -> "newest " + sla.freshnessColumn() + " is ").orElse("last published ");
        long passed = window.stream().filter(RunRecord::checked).mapToLong(RunRecord::checksPassed).sum();
        long failed = window.stream().filter(RunRecord::checked).mapToLong(RunRecord::checksFailed).sum();
        Double score = passed + failed == 0 ? null : (double) passed / (passed + failed);
        // a run recorded as UNFINISHED ended at an unknown time: it counts against the success rate, not the duration
        // a check of the published table (mesh check) counts in the quality score only: it ran none of the pipeline
        List<RunRecord> timed = runs.stream().filter(r -> r.status() != RunStatus.UNFINISHED && r.pipeline())
                .toList();
        Duration lastDuration = timed.isEmpty() ? earlier.lastDuration() : timed.get(timed.size() - 1).duration();
        List<RunRecord> pipelineWindow = window.stream().filter(RunRecord::pipeline).toList();
        Double successRate = pipelineWindow.isEmpty() ? null
                : (double) pipelineWindow.stream().filter(RunRecord::succeeded).count() / pipelineWindow.size();

        List<String> breached = new ArrayList<>();
        List<String> atRisk = new ArrayList<>();
        sla.freshnessLimit().ifPresent(limit -> {
            if (freshness == null) {
                breached.add("never published");
            } else if (freshness.compareTo(limit) > 0) {
                breached.add(age + human(freshness) + (eventTime.isPresent() ? " old" : " ago") + ", limit "
                        + human(limit));
            } else if (freshness.toMillis() > AT_RISK_SHARE * limit.toMillis()) {
                atRisk.add(age + human(freshness) + (eventTime.isPresent() ? " old" : " ago") + ", limit "
                        + human(limit));
            }
        });
        sla.qualityScoreFloor().ifPresent(floor -> {
            if (score == null) {
                return;
            }
            if (score < floor) {
                breached.add(String.format(Locale.ROOT, "quality score %.4f over %s, floor %s", score,
                        human(sla.window()), floor));
            } else if (score < floor + (1 - floor) / 2) {
                atRisk.add(String.format(Locale.ROOT, "quality score %.4f over %s, close to the floor %s", score,
                        human(sla.window()), floor));
            }
        });
        sla.durationLimit().ifPresent(limit -> {
            if (lastDuration == null) {
                return;
            }
            if (lastDuration.compareTo(limit) > 0) {
                breached.add("last run took " + human(lastDuration) + ", limit " + human(limit));
            } else if (lastDuration.toMillis() > AT_RISK_SHARE * limit.toMillis()) {
                atRisk.add("last run took " + human(lastDuration) + ", limit " + human(limit));
            }
        });
        sla.successRateFloor().ifPresent(floor -> {
            if (successRate != null && successRate < floor) {
                breached.add(String.format(Locale.ROOT, "%.0f%% of %d runs over %s succeeded, floor %.0f%%",
                        successRate * 100, pipelineWindow.size(), human(sla.window()), floor * 100));
            }
        });

        Level level = !sla.declared() ? Level.NONE
                : !breached.isEmpty() ? Level.BREACHED : !atRisk.isEmpty() ? Level.AT_RISK : Level.MET;
        List<String> reasons = new ArrayList<>(breached);
        reasons.addAll(atRisk);
        return new SlaStatus(product.id(), now, level, reasons, lastSuccess.orElse(null), freshness,
                sla.freshness(), score, sla.minQualityScore(), lastDuration, sla.maxDuration(), successRate,
                sla.minSuccessRate(), pipelineWindow.size());
    }

    static String human(Duration duration) {
        return SlaEvaluatorFormat.human(duration);
    }
}
