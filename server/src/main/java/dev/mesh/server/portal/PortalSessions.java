package dev.mesh.server.portal;

import static java.util.Objects.requireNonNull;

import dev.mesh.server.auth.Authenticator;
import dev.mesh.server.auth.Principal;
import dev.mesh.server.http.HttpProblem;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The portal's sessions, held in the server's memory only: a random id (the cookie), a CSRF token for its forms, and
 * once signed in either the API token it signed in with (checked again on every request, so a revoked token ends the
 * session) or the principal an identity provider's ID token proved. A session ends after {@link #IDLE} without a
 * request, {@link #LIFETIME} after sign-in, or at sign-out; signing in replaces the session (a new id).
 */
public final class PortalSessions {
    public static final String COOKIE = "mesh_session";
    static final Duration IDLE = Duration.ofHours(1);
    static final Duration LIFETIME = Duration.ofHours(8);
    private static final int MAX_SESSIONS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);
    private final Authenticator authenticator;
    private final Clock clock;

    public PortalSessions(Authenticator authenticator, Clock clock) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A pending OpenID Connect sign-in: what the callback must match, and where to go after it. */
    record PendingSignIn(String state, String verifier, String nonce, String next) {}

    /** One browser's session. */
    static final class Session {
        private final String id;
        private final String csrf;
        private final Instant createdAt;
        private volatile Instant seenAt;
        private final Optional<String> apiToken;
        private final Optional<Principal> principal;
        private volatile PendingSignIn pending;

        private Session(String id, Instant now, Optional<String> apiToken, Optional<Principal> principal) {
            this.id = id;
            this.csrf = random();
            this.createdAt = now;
            this.seenAt = now;
            this.apiToken = apiToken;
            this.principal = principal;
        }

        String id() {
            return id;
        }

        String csrf() {
            return csrf;
        }

        boolean signedIn() {
            return apiToken.isPresent() || principal.isPresent();
        }

        Optional<PendingSignIn> pending() {
            return Optional.ofNullable(pending);
        }

        void pending(PendingSignIn sign) {
            this.pending = sign;
        }

        /** Whether {@code token} is this session's CSRF token (compared in constant time). */
        boolean csrfMatches(String token) {
            return token != null && MessageDigest.isEqual(csrf.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** The live session of {@code id}, if any (an expired one is dropped). */
    public synchronized Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (session.seenAt.plus(IDLE).isBefore(now) || session.signedIn()
                && session.createdAt.plus(LIFETIME).isBefore(now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        session.seenAt = now;
        return Optional.of(session);
    }

    /** A new session that is not signed in (it carries the sign-in form's CSRF token and a pending sign-in). */
    public synchronized Session anonymous() {
        return add(new Session(random(), clock.instant(), Optional.empty(), Optional.empty()));
    }

    /** Signs in with an API token: the token must authenticate now; the old session ends. */
    public Session signInWithToken(Optional<Session> old, String token) {
        authenticator.authenticate("Bearer " + token);
        synchronized (this) {
            old.ifPresent(session -> sessions.remove(session.id()));
            return add(new Session(random(), clock.instant(), Optional.of(token), Optional.empty()));
        }
    }

    /** Signs in as the principal an ID token proved; the old session ends. */
    public synchronized Session signInAs(Optional<Session> old, Principal principal) {
        old.ifPresent(session -> sessions.remove(session.id()));
        return add(new Session(random(), clock.instant(), Optional.empty(), Optional.of(principal)));
    }

    public synchronized void signOut(Session session) {
        sessions.remove(session.id());
    }

    /** Who the session is signed in as; a token revoked or expired since sign-in ends the session (401). */
    public Optional<Principal> principal(Session session) {
        if (session.principal.isPresent()) {
            return session.principal;
        }
        if (session.apiToken.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(authenticator.authenticate("Bearer " + session.apiToken.get()));
        } catch (HttpProblem e) {
            signOut(session);
            return Optional.empty();
        }
    }

    /**
     * Adds a session; over {@link #MAX_SESSIONS}, the least recently used sessions that are not signed in go first (a
     * flood of sign-in pages cannot push signed-in people out), then the least recently used of all.
     */
    private Session add(Session session) {
        sessions.put(session.id(), session);
        Iterator<Session> anonymous = sessions.values().iterator();
        while (sessions.size() > MAX_SESSIONS && anonymous.hasNext()) {
            if (!anonymous.next().signedIn()) {
                anonymous.remove();
            }
        }
        Iterator<String> oldest = sessions.keySet().iterator();
        while (sessions.size() > MAX_SESSIONS && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
        return session;
    }

    static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
