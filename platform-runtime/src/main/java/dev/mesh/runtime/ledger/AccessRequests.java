package dev.mesh.runtime.ledger;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.MeshException;
import dev.mesh.spec.model.AccessGrants;
import dev.mesh.spec.model.ProductId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Access requests and the grants they make, kept in {@code _platform/access_requests}: a consumer domain asks for a
 * product with a purpose; the producer's owners approve or reject it; an approved request can be revoked. Who may do
 * which is the caller's to check (the server checks roles); this records and folds.
 */
public final class AccessRequests {
    private final DirectPlatformTables tables;
    private final Clock clock;

    public AccessRequests(DirectPlatformTables tables, Clock clock) {
        this.tables = requireNonNull(tables, "tables is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Where a request stands. */
    public enum State {
        PENDING, APPROVED, REJECTED, REVOKED
    }

    /** A request as its events left it. */
    public record Request(String id, ProductId product, String consumer, String purpose, String requestedBy,
            Instant requestedAt, State state, Optional<String> decidedBy, Optional<Instant> decidedAt,
            Optional<String> note) {}

    /** Records a request of {@code consumer} for {@code product}; one pending or approved request per pair. */
    public Request request(ProductId product, String consumer, String purpose, String principal) {
        if (purpose == null || purpose.isBlank()) {
            throw MeshException.invalidInput("an access request needs a purpose: what the consumer will do with %s",
                    product);
        }
        for (Request existing : all()) {
            if (existing.product().equals(product) && existing.consumer().equals(consumer)
                    && (existing.state() == State.PENDING || existing.state() == State.APPROVED)) {
                throw MeshException.invalidInput("%s already has a%s request for %s (%s)", consumer,
                        existing.state() == State.PENDING ? " pending" : "n approved", product, existing.id());
            }
        }
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        tables.append(AccessRequestTable.TABLE, List.of(new AccessRequestTable.Event(now,
                AccessRequestTable.Kind.REQUESTED, id, product, consumer, Optional.of(purpose), principal,
                Optional.empty())));
        return new Request(id, product, consumer, purpose, principal, now, State.PENDING, Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** Approves or rejects a pending request, or revokes an approved one; anything else is refused. */
    public Request decide(String id, AccessRequestTable.Kind decision, String principal, Optional<String> note) {
        Request request = find(id).orElseThrow(() -> MeshException.invalidInput("no access request '%s'", id));
        State needed = decision == AccessRequestTable.Kind.REVOKED ? State.APPROVED : State.PENDING;
        if (decision == AccessRequestTable.Kind.REQUESTED || request.state() != needed) {
            throw MeshException.invalidInput("access request %s is %s; only a%s request can be %s", id,
                    request.state().name().toLowerCase(java.util.Locale.ROOT),
                    needed == State.PENDING ? " pending" : "n approved",
                    decision.name().toLowerCase(java.util.Locale.ROOT));
        }
        Instant now = clock.instant();
        tables.append(AccessRequestTable.TABLE, List.of(new AccessRequestTable.Event(now, decision, id,
                request.product(), request.consumer(), Optional.empty(), principal, note)));
        return new Request(id, request.product(), request.consumer(), request.purpose(), request.requestedBy(),
                request.requestedAt(), stateAfter(decision), Optional.of(principal), Optional.of(now), note);
    }

    public Optional<Request> find(String id) {
        return all().stream().filter(request -> request.id().equals(id)).findFirst();
    }

    /** Every request, oldest first, as its events left it. */
    public List<Request> all() {
        return fold(events(tables));
    }

    /** The grants in force: approved requests not revoked. None when the table is not there yet. */
    public static AccessGrants grants(DirectPlatformTables tables) {
        Map<ProductId, Set<String>> consumers = new HashMap<>();
        for (Request request : fold(events(tables))) {
            if (request.state() == State.APPROVED) {
                consumers.computeIfAbsent(request.product(), p -> new TreeSet<>()).add(request.consumer());
            }
        }
        return new AccessGrants(consumers);
    }

    private static State stateAfter(AccessRequestTable.Kind decision) {
        return switch (decision) {
            case APPROVED -> State.APPROVED;
            case REJECTED -> State.REJECTED;
            case REVOKED -> State.REVOKED;
            case REQUESTED -> State.PENDING;
        };
    }

    private static List<AccessRequestTable.Event> events(DirectPlatformTables tables) {
        List<AccessRequestTable.Event> events = new ArrayList<>();
        tables.scan(AccessRequestTable.TABLE, row -> events.add(AccessRequestTable.fromRow(row)));
        // the table's files come back in no particular order: fold the events in the order they happened
        events.sort(Comparator.comparing(AccessRequestTable.Event::at).thenComparing(AccessRequestTable.Event::kind));
        return events;
    }

    private static List<Request> fold(List<AccessRequestTable.Event> events) {
        Map<String, Request> requests = new LinkedHashMap<>();
        for (AccessRequestTable.Event event : events) {
            if (event.kind() == AccessRequestTable.Kind.REQUESTED) {
                requests.put(event.requestId(), new Request(event.requestId(), event.product(), event.consumer(),
                        event.purpose().orElse(""), event.principal(), event.at(), State.PENDING, Optional.empty(),
                        Optional.empty(), Optional.empty()));
                continue;
            }
            State state = stateAfter(event.kind());
            requests.computeIfPresent(event.requestId(), (id, request) -> new Request(id, request.product(),
                    request.consumer(), request.purpose(), request.requestedBy(), request.requestedAt(), state,
                    Optional.of(event.principal()), Optional.of(event.at()), event.note()));
        }
        return new ArrayList<>(requests.values());
    }
}
