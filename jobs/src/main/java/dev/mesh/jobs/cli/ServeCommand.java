package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.server.MeshServer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mesh serve}: the platform as an authenticated HTTP API, until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the platform as an authenticated JSON API (/api/v1, described at /api/v1/openapi.json), "
                + "with /metrics for Prometheus and /health and /ready, on one warm SparkSession, until SIGTERM or "
                + "Ctrl-C (which let running runs finish for server.shutdownGrace). Identity: API tokens (mesh token "
                + "create) and, with server.oidc in platform.yaml, an identity provider's access tokens.")
final class ServeCommand implements Callable<Integer> {
    /** Before Spark's own hooks (FileSystem + 30), which stop the session the running runs still use. */
    private static final int SHUTDOWN_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 100;

    @ParentCommand
    MeshCli cli;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Port (default: 8080; 0 "
            + "picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "Address to listen "
            + "on (default: 127.0.0.1; 0.0.0.0 for every interface, behind a TLS-terminating proxy).")
    String bind;

    @Override
    public Integer call() throws InterruptedException {
        CliEnvironment environment = cli.environment;
        if (cli.storageRoot != null) {
            throw MeshException.invalidInput("--storage-root: mesh serve serves the storage its platform.yaml names; "
                    + "set storage.root there");
        }
        MeshServer server = MeshServer.start(new MeshServer.Settings(cli.platformFile(), bind, port,
                environment.variables(), environment.clock(), Optional.of(environment.sparkFactory()),
                Duration.ofSeconds(5), Duration.ofSeconds(2),
                Optional.of(environment.home().resolve("jobs/target/mesh-jobs-spark.jar"))));
        CountDownLatch stopped = new CountDownLatch(1);
        Duration grace = server.shutdownGrace();
        ShutdownHookManager.get().addShutdownHook(() -> {
            try {
                server.shutdown();
            } finally {
                stopped.countDown();
            }
        }, SHUTDOWN_PRIORITY, grace.toSeconds() + 15, TimeUnit.SECONDS);
        environment.out().println("mesh serve: http://" + bind + ":" + server.port() + "/api/v1 (OpenAPI at "
                + "/api/v1/openapi.json); SIGTERM or Ctrl-C stops it, letting running runs finish for " + grace);
        stopped.await();
        return 0;
    }
}
