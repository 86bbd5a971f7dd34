package dev.mesh.server.portal;

import java.util.List;

/**
 * What each portal page shows, as plain values the templates (under {@code src/main/jte/portal}) print; every string
 * is escaped by the template engine where it lands. Absent values are empty strings.
 */
public final class Pages {
    private Pages() {}

    /** The frame around every page: its title, who is signed in, the CSRF token of its forms, the active tab. */
    public record Frame(String title, String user, boolean admin, String csrf, String active, String notice) {
        public boolean signedIn() {
            return !user.isEmpty();
        }
    }

    public record SignIn(Frame frame, String next, boolean oidc, String error) {
        /** {@code next} as a query parameter value. */
        public String nextParam() {
            return java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** One product in a list: what a person judges it by at a glance. */
    public record Card(String id, String domain, String description, String owner, String version,
            String visibility, String lastPublished, String quality, String sla, String slaReason, boolean readable) {}

    public record Catalog(Frame frame, String q, String domain, String visibility, String sla, boolean readable,
            List<String> domains, List<Card> cards, int total) {}

    public record Column(String name, String type, boolean required, boolean key, String description,
            String classification, String protection, List<String> sources) {}

    public record RunRow(String id, String product, String status, String startedAt, String duration, long rowsIn,
            long rowsOut, long quarantined, long checksPassed, long checksFailed, String error) {
        /** Whether the run failed: a check of the published table (CHECKED) fails when an error-level check did. */
        public boolean failed() {
            return status.equals("CHECKED") ? !error.isEmpty()
                    : !status.equals("PUBLISHED") && !status.equals("UP_TO_DATE");
        }
    }

    public record Check(String constraint, String level, boolean passed, String value, String message) {}

    /** One metric over time, as the JSON the chart script reads ({@code points} and {@code anomalies}). */
    public record Series(String title, String json) {}

    public record Request(String id, String product, String consumer, String purpose, String state,
            String requestedBy, String requestedAt, String decidedBy) {}

    public record Feedback(String at, String from, int rating, String comment) {}

    /** A bounded preview: shown only to readers, personal data withheld outside the owning domain. */
    public record Preview(boolean shown, boolean published, List<String> columns, List<List<String>> rows,
            List<String> withheld) {}

    public record Product(Frame frame, Card card, String name, String template, String writeMode, String keys,
            String path, String spark, String sql, List<Column> schema, List<String> slaReasons,
            String slaEvaluatedAt, List<RunRow> runs, List<Check> checks, String checksOf, List<Series> series,
            String graph, List<String> consumers, List<Request> grants, List<Request> pending,
            List<Feedback> feedback, String rating, Preview preview, boolean canRun, boolean canDecide,
            List<String> askFor, List<String> speaksFor, boolean asked, Quarantine quarantine) {}

    /** The newest quarantined records, shown inside the owning domain only (they may hold personal data). */
    public record Quarantine(boolean shown, long total, List<Quarantined> records) {}

    public record Quarantined(String at, String run, String input, String file, String reasons, String record) {}

    public record ColumnView(Frame frame, String product, List<Column> columns, List<String> inputs, String graph) {}

    /** A run the server holds (queued, running or ended). */
    public record QueuedRun(String id, String product, String state, String principal, String queuedAt,
            String startedAt, String outcome) {}

    public record Runs(Frame frame, String product, String state, List<String> states, List<QueuedRun> runs,
            String status, List<String> statuses, List<RunRow> recorded) {}

    public record Stage(String name, String at) {}

    public record RunPage(Frame frame, QueuedRun run, List<Stage> stages, boolean done, String summary,
            String error, String eventsUrl, String startedAtEpochMillis) {}

    public record Domain(Frame frame, String name, String role, List<String> owners, List<String> members,
            List<Card> products, List<Request> pending, List<String> findings, String zoneUsage) {}

    public record Platform(Frame frame, List<Card> breaches, List<RunRow> failing, List<QueuedRun> queue,
            String policyVersion, boolean policyApproved, String approvals, List<String> approvers) {}

    public record Problem(Frame frame, int status, String message) {}
}
