package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.ledger.AuditRecord;
import dev.mesh.runtime.ledger.AuditTable;
import dev.mesh.runtime.ledger.DirectPlatformTables;
import dev.mesh.server.auth.ApiTokens;
import dev.mesh.server.auth.Role;
import dev.mesh.spec.model.GovernanceSpec;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesh token create|list|revoke}: API tokens for machines that call mesh serve. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "API tokens for schedulers and CI that call mesh serve: each holds one role in one domain (or "
                + "admin), is printed once, and is kept only as its SHA-256 hash in _platform/api_tokens.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand {
    @ParentCommand
    MeshCli cli;

    /** The tokens, once the platform tables are there (the audit trail needs Spark to be created). */
    private static ApiTokens tokens(MeshContext context) {
        DirectPlatformTables tables = context.runtime().platformTables();
        if (!tables.exists(AuditTable.TABLE)) {
            throw MeshException.invalidInput("the platform's tables are not there yet under %s; run mesh provision "
                    + "first", context.zones().platformTable(""));
        }
        return new ApiTokens(tables, context.environment().clock());
    }

    private static void audit(MeshContext context, String outcome, String target, String domain, String detail) {
        DirectPlatformTables tables = context.runtime().platformTables();
        tables.append(AuditTable.TABLE, List.of(new AuditRecord(context.environment().clock().instant(),
                AuditRecord.principal(context.variables()), AuditRecord.Action.API_TOKEN, domain, target, null,
                context.mesh().policies().governance().map(GovernanceSpec::hash).orElse(null), outcome, detail,
                null)));
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Make a token and print it once; only its hash is kept.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        TokenCommand parent;

        @Option(names = "--principal", required = true, paramLabel = "NAME",
                description = "Who uses the token (a scheduler, a CI job): the audit names it.")
        String principal;

        @Option(names = "--domain", paramLabel = "DOMAIN", description = "The domain it acts in (not for admin).")
        String domain;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "member, owner or admin.")
        String role;

        @Option(names = "--expires", paramLabel = "DURATION", description = "Lifetime as ISO-8601, e.g. P30D or "
                + "PT12H (default: no expiry).")
        String expires;

        @Override
        public Integer call() {
            Role parsed = Role.parse(role);
            Optional<Duration> lifetime = Optional.ofNullable(expires).map(Create::duration);
            try (MeshContext context = parent.cli.context()) {
                if (domain != null) {
                    context.requireDomain(domain, "--domain: ");
                }
                ApiTokens.Created created = tokens(context).create(principal, Optional.ofNullable(domain), parsed,
                        lifetime, AuditRecord.principal(context.variables()));
                audit(context, "created", "token " + created.info().id(), domain, "for " + principal + ", role "
                        + parsed.label() + created.info().expiresAt().map(at -> ", expires " + at).orElse(""));
                context.environment().out().println(created.token());
                context.environment().err().println("token " + created.info().id() + " for " + principal + " ("
                        + parsed.label() + (domain == null ? "" : " of " + domain) + "): shown once, keep it in "
                        + "your secret store");
            }
            return 0;
        }

        private static Duration duration(String text) {
            try {
                Duration parsed = Duration.parse(text);
                if (parsed.isNegative() || parsed.isZero()) {
                    throw MeshException.invalidInput("--expires: %s must be a positive duration", text);
                }
                return parsed;
            } catch (DateTimeParseException e) {
                throw MeshException.invalidInput("--expires: '%s' is not an ISO-8601 duration such as P30D or PT12H",
                        text);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The tokens, never their secrets.")
    static final class ListTokens implements Callable<Integer> {
        @ParentCommand
        TokenCommand parent;

        @Override
        public Integer call() {
            try (MeshContext context = parent.cli.context()) {
                List<ApiTokens.ApiToken> all = tokens(context).list();
                if (all.isEmpty()) {
                    context.environment().out().println("no API tokens; mesh token create makes one");
                    return 0;
                }
                java.time.Instant now = context.environment().clock().instant();
                TextTable table = new TextTable("ID", "PRINCIPAL", "DOMAIN", "ROLE", "CREATED", "EXPIRES", "STATE");
                for (ApiTokens.ApiToken token : all) {
                    String state = token.revokedAt().map(at -> "revoked " + at)
                            .orElse(token.activeAt(now) ? "active" : "expired");
                    table.row(token.id(), token.principal(), token.domain().orElse("(all)"), token.role().label(),
                            token.createdAt(), token.expiresAt().map(Object::toString).orElse("never"), state);
                }
                table.print(context.environment().out());
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a token by id; mesh serve refuses it within seconds.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        TokenCommand parent;

        @Parameters(paramLabel = "ID", description = "The token's id, as mesh token list shows it.")
        String id;

        @Override
        public Integer call() {
            try (MeshContext context = parent.cli.context()) {
                ApiTokens.ApiToken revoked = tokens(context).revoke(id, AuditRecord.principal(context.variables()));
                audit(context, "revoked", "token " + id, revoked.domain().orElse(null), "for " + revoked.principal());
                context.environment().out().println("revoked token " + id + " of " + revoked.principal());
            }
            return 0;
        }
    }
}
