package dev.mesh.runtime.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * One row of the audit trail: when, who (the principal), what (the action) on what (the target, with its domain),
 * under which spec and policy versions, and with what outcome.
 */
public record AuditRecord(Instant at, String principal, Action action, String domain, String target,
        String specHash, String policyVersion, String outcome, String detail, String runId) {
    /** The environment variable that names who acts, for schedulers that run as one OS user for many people. */
    public static final String PRINCIPAL_ENV = "MESH_PRINCIPAL";

    public AuditRecord {
        requireNonNull(at, "at is null");
        requireNonNull(principal, "principal is null");
        requireNonNull(action, "action is null");
        requireNonNull(target, "target is null");
        requireNonNull(outcome, "outcome is null");
    }

    /** What was done. */
    public enum Action {
        PROVISION, RUN, PUBLISH, POLICY_CHECK, ACCESS_REFUSED, MAINTAIN, READ_PERSONAL_DATA, API_TOKEN, ACCESS_REQUEST,
        RETIRE_VERSION;

        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Who acts: {@code MESH_PRINCIPAL}, else the operating system's user. */
    public static String principal(Map<String, String> environment) {
        String named = environment.get(PRINCIPAL_ENV);
        return named == null || named.isBlank() ? System.getProperty("user.name", "unknown") : named;
    }
}
