package dev.mesh.jobs.cli;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.error.PlainMessages;
import dev.mesh.error.Secrets;
import dev.mesh.spec.validation.StorageRoots;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code mesh} command line: parses arguments, runs one subcommand, and maps failures to exit codes. */
@Command(
        name = "mesh",
        mixinStandardHelpOptions = true,
        version = "mesh 0.1.0",
        description = "Mesh: a self-serve data mesh platform on Spark. Domains publish data products described in YAML.",
        subcommands = {
            QuickstartCommand.class, ValidateCommand.class, SchemaCommand.class, ProvisionCommand.class,
            RunCommand.class, CheckCommand.class,
            PlanCommand.class, RunsCommand.class, MetricsCommand.class, SlaCommand.class, UsageCommand.class,
            SqlCommand.class, FeedbackCommand.class, ReportCommand.class, SuggestCommand.class, TemplatesCommand.class,
            InitCommand.class, PoliciesCommand.class, AccessCommand.class, AuditCommand.class, CatalogCommand.class,
            MaintainCommand.class, LineageCommand.class, ContractCommand.class, ServeCommand.class,
            TokenCommand.class, S3ServerCommand.class, QuarantineCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:infrastructure or internal failure",
            "2:invalid input (usage, spec, policy)",
            "3:the quality gate blocked publication",
            "130:a run was cancelled"
        })
public final class MeshCli {
    private static final Logger LOG = LoggerFactory.getLogger(MeshCli.class);

    @Option(names = "--platform", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "The platform file (default: ./platform.yaml; the example mesh's is examples/platform.yaml).")
    Path platform;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print the Java stack trace of a failure (bin/mesh also logs them), for bug reports.")
    boolean verbose;

    @Option(names = "--storage-root", scope = ScopeType.INHERIT, paramLabel = "URI",
            description = "Use this storage root instead of the one in platform.yaml (a local folder, file:///... "
                    + "or s3a://bucket/prefix with platform.yaml's storage.s3 settings).")
    String storageRoot;

    final CliEnvironment environment;

    MeshCli(CliEnvironment environment) {
        this.environment = environment;
    }

    /** Runs the command line; returns the exit code. */
    public static int execute(CliEnvironment environment, String... args) {
        CommandLine commandLine = new CommandLine(new MeshCli(environment));
        commandLine.setOut(new java.io.PrintWriter(environment.out(), true));
        commandLine.setErr(new java.io.PrintWriter(environment.err(), true));
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            boolean verbose = ((MeshCli) line.getCommandSpec().root().userObject()).verbose;
            if (verbose) {
                // a bug report needs the whole chain; secrets are scrubbed from every line of it
                java.io.StringWriter trace = new java.io.StringWriter();
                exception.printStackTrace(new java.io.PrintWriter(trace));
                environment.err().print(Secrets.redact(trace.toString()));
            }
            if (exception instanceof MeshException mesh) {
                environment.err().println("error: " + Secrets.redact(mesh.getMessage()));
                return mesh.errorCode().exitCode();
            }
            String message = Secrets.redact(PlainMessages.of(exception));
            LOG.debug("internal error", exception);
            environment.err().println("internal error: " + message + (verbose ? ""
                    : " (run again with --verbose for the stack trace)"));
            return ErrorCode.INTERNAL.exitCode();
        });
        return commandLine.execute(args);
    }

    /** The platform file the command names, else {@code ./platform.yaml}. */
    Path platformFile() {
        return platform != null ? platform : Path.of("platform.yaml");
    }

    MeshContext context(Path defaultPlatform) {
        Path file = platform != null ? platform : defaultPlatform;
        return new MeshContext(environment, file, storageRootOverride());
    }

    MeshContext context() {
        return context(Path.of("platform.yaml"));
    }

    private Optional<URI> storageRootOverride() {
        if (storageRoot == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(StorageRoots.resolve(storageRoot, Path.of("")));
        } catch (IllegalArgumentException e) {
            throw MeshException.invalidInput("--storage-root: %s", e.getMessage());
        }
    }
}
