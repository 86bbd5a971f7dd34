package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.ledger.AuditRecord;
import dev.mesh.runtime.ledger.AuditTable;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mesh audit}: the audit trail, newest first, filtered by domain, age and action. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Show the audit trail (_platform/audit), newest first: who provisioned, ran and published "
                + "what, under which spec and policy versions, and with what outcome.")
final class AuditCommand implements Callable<Integer> {
    @ParentCommand
    MeshCli cli;

    @Option(names = "--domain", paramLabel = "DOMAIN", description = "Only this domain's rows.")
    String domain;

    @Option(names = "--since", paramLabel = "DURATION", description = "Only rows younger than this (ISO-8601, "
            + "e.g. PT24H or P7D).")
    String since;

    @Option(names = "--action", paramLabel = "ACTION", description = "Only this action: provision, run, publish, "
            + "policy_check, access_refused, maintain, read_personal_data, api_token, access_request or "
            + "retire_version.")
    String action;

    @Option(names = "--limit", converter = PositiveCount.class, paramLabel = "N",
            defaultValue = "50", description = "At most N rows (default: 50).")
    int limit;

    @Override
    public Integer call() {
        List<String> actions = Arrays.stream(AuditRecord.Action.values()).map(AuditRecord.Action::column).toList();
        if (action != null && !actions.contains(action)) {
            throw MeshException.invalidInput("--action %s is not an action; allowed: %s", action,
                    String.join(", ", actions));
        }
        Optional<Instant> after = since == null ? Optional.empty()
                : Optional.of(cli.environment.clock().instant().minus(duration(since)));
        try (MeshContext context = cli.context()) {
            List<AuditRecord> rows = context.runtime().audit(new AuditTable.Filter(Optional.ofNullable(domain),
                    Optional.ofNullable(action).map(name -> AuditRecord.Action.valueOf(name.toUpperCase(Locale.ROOT))),
                    after, limit));
            TextTable table = new TextTable("AT (UTC)", "PRINCIPAL", "ACTION", "TARGET", "OUTCOME", "POLICY",
                    "DETAIL");
            for (AuditRecord row : rows) {
                String policy = row.policyVersion();
                table.row(RunsCommand.TIME.format(row.at()), row.principal(), row.action().column(), row.target(),
                        row.outcome(), policy == null ? "-" : policy.substring(0, Math.min(12, policy.length())),
                        RunsCommand.abbreviate(row.detail(), 80));
            }
            if (table.isEmpty()) {
                cli.environment.out().println("no audit rows match under " + context.zones().root()
                        + (filtered() ? "" : " (no audit trail yet)"));
            } else {
                table.print(cli.environment.out());
            }
        }
        return 0;
    }

    private boolean filtered() {
        return domain != null || action != null || since != null;
    }

    private static Duration duration(String text) {
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw MeshException.invalidInput("--since %s is not a duration; use ISO-8601, e.g. PT24H or P7D", text);
        }
    }
}
