package dev.mesh.quality.sla;

import static java.util.Objects.requireNonNull;

import dev.mesh.runtime.result.RunStatus;
import java.time.Duration;
import java.time.Instant;

/** What an SLA needs to know of one run of a product, as the run ledger holds it. */
public record RunRecord(String runId, RunStatus status, Instant startedAt, Instant finishedAt, long checksPassed,
        long checksFailed) {
    public RunRecord {
        requireNonNull(runId, "runId is null");
        requireNonNull(status, "status is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
    }

    boolean succeeded() {
        return status.ok();
    }

    /** Whether the run changed the product: an up-to-date run succeeds without publishing anything. */
    boolean published() {
        return status == RunStatus.PUBLISHED;
    }

    /** Whether checks judged rows in the run: a batch it published or blocked, or the whole published table. */
    boolean checked() {
        return status == RunStatus.PUBLISHED || status == RunStatus.GATE_FAILED || status == RunStatus.CHECKED;
    }

    /** Whether the run was one of the product's pipeline: a check of its published table ran nothing of it. */
    boolean pipeline() {
        return status != RunStatus.CHECKED;
    }

    Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }
}
