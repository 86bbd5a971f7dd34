package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Where alerts go: a webhook (JSON POST to {@code url}, or to the URL held by environment variable {@code urlEnv}
 * when the URL carries a token; with a timeout and retries) or the log.
 */
public record AlertSpec(Type type, String url, String urlEnv, Duration timeout, int retries) {
    public AlertSpec {
        requireNonNull(type, "type is null");
        timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
    }

    public static final AlertSpec LOG = new AlertSpec(Type.LOG, null, null, null, 0);

    /** The kinds of alert target. */
    public enum Type {
        WEBHOOK, LOG
    }
}
