package dev.mesh.jobs.cli;

import static org.apache.spark.sql.functions.col;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.ledger.AuditRecord;
import dev.mesh.runtime.ledger.AuditTable;
import dev.mesh.runtime.ledger.PlatformTables;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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
            + "policy_check, access_refused, maintain or read_personal_data.")
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
        Duration age = since == null ? null : duration(since);
        try (MeshContext context = cli.context()) {
            PlatformTables tables = new PlatformTables(context.verifiedSpark(), context.zones());
            if (!tables.exists(AuditTable.TABLE)) {
                cli.environment.out().println("no audit trail yet under " + context.zones().root());
                return 0;
            }
            Dataset<Row> rows = tables.read(AuditTable.TABLE);
            if (domain != null) {
                rows = rows.where(col("domain").equalTo(domain));
            }
            if (action != null) {
                rows = rows.where(col("action").equalTo(action));
            }
            if (age != null) {
                rows = rows.where(col("at").geq(java.sql.Timestamp.from(cli.environment.clock().instant()
                        .minus(age))));
            }
            TextTable table = new TextTable("AT (UTC)", "PRINCIPAL", "ACTION", "TARGET", "OUTCOME", "POLICY",
                    "DETAIL");
            for (Row row : rows.orderBy(col("at").desc()).limit(limit).collectAsList()) {
                String policy = row.getAs("policy_version");
                table.row(RunsCommand.TIME.format(row.getTimestamp(row.fieldIndex("at")).toInstant()),
                        row.getAs("principal"), row.getAs("action"), row.getAs("target"), row.getAs("outcome"),
                        policy == null ? "-" : policy.substring(0, Math.min(12, policy.length())),
                        RunsCommand.abbreviate(row.getAs("detail"), 80));
            }
            if (table.isEmpty()) {
                cli.environment.out().println("no audit rows match");
            } else {
                table.print(cli.environment.out());
            }
        }
        return 0;
    }

    private static Duration duration(String text) {
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw MeshException.invalidInput("--since %s is not a duration; use ISO-8601, e.g. PT24H or P7D", text);
        }
    }
}
