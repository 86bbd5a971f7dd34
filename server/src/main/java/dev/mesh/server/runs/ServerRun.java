package dev.mesh.server.runs;

import static java.util.Objects.requireNonNull;

import dev.mesh.runtime.result.RunResult;
import dev.mesh.spec.model.ProductId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A run asked for through the API, as the server follows it: queued, running (with the stages it went through),
 * then finished with its result, or cancelled before it started. Whoever follows it ({@code GET /runs/{id}/events})
 * gets every event so far and then each new one, on the thread that produced it.
 */
public final class ServerRun {
    private final String id;
    private final ProductId product;
    private final String principal;
    private final boolean force;
    private final boolean fullRefresh;
    private final Instant queuedAt;
    private final List<RunEvent> events = new ArrayList<>();
    private final List<Consumer<RunEvent>> followers = new ArrayList<>();
    private State state = State.QUEUED;
    private boolean ended;
    private Optional<Instant> startedAt = Optional.empty();
    private Optional<RunResult> result = Optional.empty();
    private Optional<String> cancelledBy = Optional.empty();
    private Optional<String> endNote = Optional.empty();

    ServerRun(String id, ProductId product, String principal, boolean force, boolean fullRefresh, Instant queuedAt) {
        this.id = requireNonNull(id, "id is null");
        this.product = requireNonNull(product, "product is null");
        this.principal = requireNonNull(principal, "principal is null");
        this.force = force;
        this.fullRefresh = fullRefresh;
        this.queuedAt = requireNonNull(queuedAt, "queuedAt is null");
        events.add(new RunEvent("queued", queuedAt, "queued by " + principal, Optional.empty()));
    }

    /** Where the run is: waiting, executing, or at its end. */
    public enum State {
        QUEUED, RUNNING, FINISHED, CANCELLED
    }

    /** One step of the run, as the terminal's progress shows it. */
    public record RunEvent(String type, Instant at, String message, Optional<String> stage) {}

    public String id() {
        return id;
    }

    public ProductId product() {
        return product;
    }

    public String principal() {
        return principal;
    }

    public boolean force() {
        return force;
    }

    public boolean fullRefresh() {
        return fullRefresh;
    }

    public Instant queuedAt() {
        return queuedAt;
    }

    public synchronized State state() {
        return state;
    }

    public synchronized Optional<Instant> startedAt() {
        return startedAt;
    }

    public synchronized Optional<RunResult> result() {
        return result;
    }

    public synchronized Optional<String> cancelledBy() {
        return cancelledBy;
    }

    /** Why the run ended without a result of its own (cancelled in the queue, cut short by a shutdown). */
    public synchronized Optional<String> endNote() {
        return endNote;
    }

    public synchronized List<RunEvent> events() {
        return List.copyOf(events);
    }

    public synchronized boolean done() {
        return state == State.FINISHED || state == State.CANCELLED;
    }

    /**
     * Follows the run: {@code follower} gets the events so far, then each new one. Returns what stops following;
     * a finished run's events are all delivered at once and nothing follows.
     */
    public Runnable follow(Consumer<RunEvent> follower) {
        List<RunEvent> past;
        synchronized (this) {
            past = List.copyOf(events);
            if (!ended) {
                followers.add(follower);
            }
        }
        past.forEach(follower);
        return () -> {
            synchronized (this) {
                followers.remove(follower);
            }
        };
    }

    boolean start(Instant at) {
        synchronized (this) {
            if (state != State.QUEUED) {
                return false;
            }
            state = State.RUNNING;
            startedAt = Optional.of(at);
        }
        emit(new RunEvent("started", at, "started", Optional.empty()), () -> { }, false);
        return true;
    }

    void stage(Instant at, String stage) {
        synchronized (this) {
            // a stage entered again inside itself (nested timing) is one stage to whoever follows the run
            RunEvent last = events.get(events.size() - 1);
            if (last.stage().filter(stage::equals).isPresent()) {
                return;
            }
        }
        emit(new RunEvent("stage", at, stage, Optional.of(stage)), () -> { }, false);
    }

    void finish(Instant at, RunResult finished) {
        String message = finished.status() + (finished.error() == null || finished.error().isBlank() ? ""
                : ": " + finished.error());
        emit(new RunEvent("finished", at, message, Optional.empty()), () -> {
            result = Optional.of(finished);
            state = State.FINISHED;
        }, true);
    }

    /** Marks a run that is still queued cancelled; false when it already started. */
    boolean cancelQueued(Instant at, String by) {
        String why = "cancelled by " + by + " before it started";
        synchronized (this) {
            cancelledBy = Optional.of(by);
            if (state != State.QUEUED) {
                return false;
            }
            state = State.CANCELLED;
            endNote = Optional.of(why);
        }
        emit(new RunEvent("finished", at, "CANCELLED: " + why, Optional.empty()), () -> { }, true);
        return true;
    }

    /**
     * Ends a run without a result of its own: {@code UNFINISHED} when the server stopped following it (it shut down
     * while the run was going), {@code FAILED} when the server could not carry it out.
     */
    void abandon(Instant at, String status, String why) {
        emit(new RunEvent("finished", at, status + ": " + why, Optional.empty()), () -> {
            state = State.FINISHED;
            endNote = Optional.of(why);
        }, true);
    }

    /** Changes the state and records the event in one step, then tells the followers (outside the lock). */
    private void emit(RunEvent event, Runnable change, boolean last) {
        List<Consumer<RunEvent>> targets;
        synchronized (this) {
            change.run();
            events.add(event);
            targets = List.copyOf(followers);
            if (last) {
                ended = true;
                followers.clear();
            }
        }
        for (Consumer<RunEvent> follower : targets) {
            try {
                follower.accept(event);
            } catch (RuntimeException e) {
                // a follower that went away stops following; the run goes on
                synchronized (this) {
                    followers.remove(follower);
                }
            }
        }
    }
}
