package dev.mesh.jobs.s3;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.spi.S3Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3 API server on loopback for the local S3 mode and the tests: S3Proxy with its file-system store, run as a
 * child process from its self-contained jar, so that its Jetty and Jackson stay off Spark's classpath. Objects are
 * kept under {@code dataDir}. The credential is written only to a file readable by the owner, deleted on close.
 */
public final class LocalS3Server implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalS3Server.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path properties;
    /** Where the server keeps objects unless told otherwise, under the installation: a folder git ignores. */
    public static final String DEFAULT_DATA = "mesh-data/s3";

    private final int port;
    private final Path dataDir;

    private LocalS3Server(Process process, Path properties, int port, Path dataDir) {
        this.process = process;
        this.properties = properties;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** The S3Proxy jar: {@code mesh.s3proxy.jar}, else where the build puts it under the installation folder. */
    public static Path jar(Path home) {
        String configured = System.getProperty("mesh.s3proxy.jar");
        Path jar = configured != null ? Path.of(configured) : home.resolve("jobs/target/s3proxy/s3proxy.jar");
        if (!Files.isRegularFile(jar)) {
            throw MeshException.infrastructure("the S3 server's jar is missing at " + jar + "; build first: "
                    + "mvn -q -DskipTests package", null);
        }
        return jar;
    }

    /** Starts a server on {@code port} (0: any free port) and waits until it accepts connections. */
    public static LocalS3Server start(Path jar, Path dataDir, int port, S3Credentials credentials) {
        try {
            Files.createDirectories(dataDir);
            int chosen = port == 0 ? freePort() : port;
            Path properties = Files.createTempFile("mesh-s3-", ".properties",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + chosen,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + credentials.accessKey(),
                    "s3proxy.credential=" + credentials.secretKey(),
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + dataDir.toAbsolutePath()) + "\n");
            String java = ProcessHandle.current().info().command().orElse("java");
            Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
            Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jar.toString(), "--properties",
                    properties.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            LocalS3Server server = new LocalS3Server(process, properties, chosen, dataDir);
            server.awaitListening(log);
            LOG.info("S3 server (S3Proxy) on {}, objects under {}", server.endpoint(), dataDir.toAbsolutePath());
            return server;
        } catch (IOException e) {
            throw MeshException.infrastructure("cannot start the local S3 server: " + e.getMessage(), e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Blocks until the server process ends (for {@code mesh s3-server}). */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening(Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                close();
                throw MeshException.infrastructure("the local S3 server exited at start (code " + process.exitValue()
                        + "); see " + log, null);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        close();
        throw MeshException.infrastructure("the local S3 server did not listen on port " + port + " within "
                + START_TIMEOUT.toSeconds() + " s; see " + log, null);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MeshException.infrastructure("interrupted while starting the local S3 server", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
