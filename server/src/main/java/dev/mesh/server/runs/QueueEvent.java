package dev.mesh.server.runs;

import static java.util.Objects.requireNonNull;

import dev.mesh.spec.model.ProductId;
import java.time.Instant;
import java.util.Optional;

/**
 * One row of {@code _platform/run_queue}: a run asked for through the API was queued, started, or finished (with its
 * status). What was queued and never started is run again when the server starts; what started and never finished was
 * cut short by the server's end and is recorded {@code UNFINISHED}.
 */
public record QueueEvent(Instant at, Kind kind, String runId, ProductId product, String principal, boolean force,
        boolean fullRefresh, Optional<String> status, Optional<String> error) {
    public QueueEvent {
        requireNonNull(at, "at is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(product, "product is null");
        requireNonNull(principal, "principal is null");
        requireNonNull(status, "status is null");
        requireNonNull(error, "error is null");
    }

    public enum Kind {
        QUEUED, STARTED, FINISHED
    }
}
