package dev.mesh.jobs;

import dev.mesh.jobs.s3.LocalS3Server;
import dev.mesh.runtime.spi.S3Credentials;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The S3 scenarios against S3Proxy, a real S3 API server, started on loopback by this test and stopped after. */
class S3ProxyMeshTest extends S3Scenarios {
    @TempDir
    static Path data;
    static LocalS3Server server;
    static Store store;

    @BeforeAll
    static void startServer() {
        String accessKey = "TESTKEY" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
        String secretKey = "secret-" + UUID.randomUUID();
        server = LocalS3Server.start(LocalS3Server.jar(CliHarness.HOME), data.resolve("objects"), 0,
                new S3Credentials(accessKey, secretKey, "test"));
        store = new Store(server.endpoint(), accessKey, secretKey);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Store store() {
        return store;
    }
}
