package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.jobs.s3.LocalS3Server;
import dev.mesh.runtime.spi.S3Credentials;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mesh s3-server}: the local S3 server on its own, until interrupted. */
@Command(name = "s3-server", mixinStandardHelpOptions = true,
        description = "Run the local S3 server (S3Proxy, on 127.0.0.1 only) until Ctrl-C. Its credentials are the "
                + "values of MESH_S3_ACCESS_KEY and MESH_S3_SECRET_KEY, which a platform.yaml names under "
                + "storage.s3.credentials.")
final class S3ServerCommand implements Callable<Integer> {
    @ParentCommand
    MeshCli cli;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9000", description = "Port (default: 9000).")
    int port;

    @Option(names = "--data", paramLabel = "DIR", description = "Where objects are kept (default: "
            + LocalS3Server.DEFAULT_DATA + " in the installation folder).")
    Path data;

    @Override
    public Integer call() throws InterruptedException {
        String accessKey = cli.environment.variables().get(QuickstartCommand.ACCESS_KEY_ENV);
        String secretKey = cli.environment.variables().get(QuickstartCommand.SECRET_KEY_ENV);
        if (accessKey == null || secretKey == null || accessKey.isEmpty() || secretKey.isEmpty()) {
            throw MeshException.invalidInput("set %s and %s to the credentials the server should accept",
                    QuickstartCommand.ACCESS_KEY_ENV, QuickstartCommand.SECRET_KEY_ENV);
        }
        Path folder = data != null ? data : cli.environment.home().resolve(LocalS3Server.DEFAULT_DATA);
        S3Credentials credentials = new S3Credentials(accessKey, secretKey,
                QuickstartCommand.ACCESS_KEY_ENV + "/" + QuickstartCommand.SECRET_KEY_ENV);
        LocalS3Server server = LocalS3Server.start(LocalS3Server.jar(cli.environment.home()), folder, port,
                credentials);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-s3-server"));
        cli.environment.out().println("S3 server on " + server.endpoint() + ", objects under "
                + folder.toAbsolutePath() + ", credentials from " + credentials.source() + "; Ctrl-C stops it");
        return server.waitFor() == 0 ? 0 : 1;
    }
}
