package dev.mesh.server.auth;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.ledger.DirectPlatformTables;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API tokens for machines (schedulers, CI): made with a role in one domain (or {@code admin}), shown once, stored only
 * as their SHA-256 hash in {@code _platform/api_tokens}, listed and revoked by id. A token reads
 * {@code mesh_<id>_<secret>}: the id names it in lists and the audit, the 256-bit secret proves it.
 */
public final class ApiTokens {
    public static final String PREFIX = "mesh_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DirectPlatformTables tables;
    private final Clock clock;

    public ApiTokens(DirectPlatformTables tables, Clock clock) {
        this.tables = requireNonNull(tables, "tables is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A token made and recorded: {@code token} is the only copy of the secret. */
    public record Created(String token, ApiToken info) {}

    /** What is known of a token: never its secret. */
    public record ApiToken(String id, String principal, Optional<String> domain, Role role, Instant createdAt,
            Optional<Instant> expiresAt, String createdBy, Optional<Instant> revokedAt) {
        public boolean activeAt(Instant now) {
            return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
        }

        public Principal.TokenGrant grant() {
            return new Principal.TokenGrant(id, domain, role);
        }
    }

    public Created create(String principal, Optional<String> domain, Role role, Optional<Duration> lifetime,
            String by) {
        if (principal.isBlank()) {
            throw MeshException.invalidInput("--principal must name who uses the token (a scheduler, a CI job)");
        }
        if (role == Role.ADMIN ? domain.isPresent() : domain.isEmpty()) {
            throw MeshException.invalidInput(role == Role.ADMIN
                    ? "an admin token holds every domain; leave out --domain"
                    : "a %s token is for one domain: name it with --domain", role.label());
        }
        byte[] idBytes = new byte[6];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secret);
        String id = HexFormat.of().formatHex(idBytes);
        String token = PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        Optional<Instant> expires = lifetime.map(now::plus);
        tables.append(ApiTokenTable.TABLE, List.of(new ApiTokenEvent(now, ApiTokenEvent.Kind.CREATED, id,
                hash(token), principal, domain, role, expires, by)));
        return new Created(token, new ApiToken(id, principal, domain, role, now, expires, by, Optional.empty()));
    }

    /** Revokes the token {@code id}; unknown or already revoked ids are refused, naming the id. */
    public ApiToken revoke(String id, String by) {
        ApiToken token = Optional.ofNullable(load().byId().get(id)).orElseThrow(() -> MeshException.invalidInput(
                "no API token '%s'; mesh token list shows them", id));
        if (token.revokedAt().isPresent()) {
            throw MeshException.invalidInput("API token '%s' was already revoked at %s", id, token.revokedAt().get());
        }
        Instant now = clock.instant();
        tables.append(ApiTokenTable.TABLE, List.of(new ApiTokenEvent(now, ApiTokenEvent.Kind.REVOKED, id, null,
                token.principal(), token.domain(), token.role(), token.expiresAt(), by)));
        return new ApiToken(token.id(), token.principal(), token.domain(), token.role(), token.createdAt(),
                token.expiresAt(), token.createdBy(), Optional.of(now));
    }

    public List<ApiToken> list() {
        return new ArrayList<>(load().byId().values());
    }

    /** Every token, by id and by hash, as the table says now. */
    public Snapshot load() {
        // the table's files come back in no particular order: fold the events in the order they happened
        List<ApiTokenEvent> events = new ArrayList<>();
        tables.scan(ApiTokenTable.TABLE, row -> events.add(ApiTokenTable.fromRow(row)));
        events.sort(java.util.Comparator.comparing(ApiTokenEvent::at).thenComparing(ApiTokenEvent::kind));
        Map<String, ApiToken> byId = new LinkedHashMap<>();
        Map<String, String> idByHash = new LinkedHashMap<>();
        for (ApiTokenEvent event : events) {
            if (event.kind() == ApiTokenEvent.Kind.CREATED) {
                byId.put(event.tokenId(), new ApiToken(event.tokenId(), event.principal(), event.domain(),
                        event.role(), event.at(), event.expiresAt(), event.by(), Optional.empty()));
                idByHash.put(event.tokenHash(), event.tokenId());
            } else {
                byId.computeIfPresent(event.tokenId(), (id, token) -> new ApiToken(id, token.principal(),
                        token.domain(), token.role(), token.createdAt(), token.expiresAt(), token.createdBy(),
                        Optional.of(event.at())));
            }
        }
        return new Snapshot(byId, idByHash);
    }

    /** The tokens at one moment. */
    public record Snapshot(Map<String, ApiToken> byId, Map<String, String> idByHash) {
        public Optional<ApiToken> byToken(String token) {
            return Optional.ofNullable(idByHash.get(hash(token))).map(byId::get);
        }
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
