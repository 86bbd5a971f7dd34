package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.jobs.s3.LocalS3Server;
import dev.mesh.runtime.run.Extensions;
import dev.mesh.runtime.spi.QualityGate;
import dev.mesh.runtime.spi.S3Credentials;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.testing.ReliabilityLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store fails in the middle of a run, after the gate passed and before the publish: it goes down, or it hangs
 * (a proxy on loopback stops answering), or it is slow. A down or hanging store ends the run with exit 1 within the
 * bound platform.yaml sets ({@code storage.s3.timeout}), naming the store, with nothing published; once the store is
 * back the rerun publishes exactly the new data. A slow store only slows the run.
 */
class StorageOutageTest {
    private static final Logger LOG = LoggerFactory.getLogger(StorageOutageTest.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** The timeout, and the time Spark takes to notice a failed task and end a job. */
    private static final Duration BOUND = TIMEOUT.plusSeconds(10);
    private static final String KEY_ENV = "OUTAGE_S3_ACCESS_KEY";
    private static final String SECRET_ENV = "OUTAGE_S3_SECRET_KEY";
    private static final List<String> OLD = List.of("[1,10.00,NEW]", "[2,20.00,PAID]");
    private static final List<String> NEW = List.of("[1,10.00,NEW]", "[2,25.00,PAID]", "[3,30.00,NEW]");

    @TempDir
    Path dir;
    S3Credentials credentials;
    LocalS3Server server;
    FaultyProxy proxy;
    Map<String, String> env;
    String bucket;

    @BeforeEach
    void startTheStore() throws Exception {
        credentials = new S3Credentials("OUTAGEKEY" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(),
                "secret-" + UUID.randomUUID(), "test");
        server = LocalS3Server.start(LocalS3Server.jar(CliHarness.HOME), dir.resolve("objects"), 0, credentials);
        proxy = FaultyProxy.to(server.port());
        env = Map.of(KEY_ENV, credentials.accessKey(), SECRET_ENV, credentials.secretKey());
        bucket = S3Scenarios.newBucket();
    }

    @AfterEach
    void stopTheStore() {
        proxy.close();
        server.close();
    }

    @Test
    void aStoreDownMidRunFailsTheRunWithinTheBoundAndLosesNothing() throws Exception {
        Path platform = publishDayOne(server.endpoint());
        Duration failedAfter = runWithFault(platform, () -> server.close(), server.endpoint());

        server = LocalS3Server.start(LocalS3Server.jar(CliHarness.HOME), dir.resolve("objects"), server.port(),
                credentials);
        assertThat(failedAfter).isLessThan(BOUND);
        assertRerunPublishesExactlyTheNewData(platform);
    }

    @Test
    void aStoreThatHangsMidRunFailsTheRunWithinTheBoundAndLosesNothing() throws Exception {
        Path platform = publishDayOne(proxy.endpoint());
        Duration failedAfter = runWithFault(platform, proxy::hang, proxy.endpoint());

        proxy.pass();
        assertThat(failedAfter).isLessThan(BOUND);
        assertRerunPublishesExactlyTheNewData(platform);
    }

    @Test
    void aSlowStoreOnlySlowsTheRun() throws Exception {
        Path platform = publishDayOne(proxy.endpoint());
        landDayTwo();
        proxy.slow(10);
        long start = System.nanoTime();
        CliHarness.Result slow = CliHarness.runWith(env, "--platform", platform.toString(), "run", "shop.orders");
        LOG.info("with every chunk 10 ms late the run took {} s", (System.nanoTime() - start) / 1_000_000_000.0);
        proxy.pass();
        assertThat(slow.exitCode()).as(slow.out() + slow.err()).isZero();
        ReliabilityLedger.trial("storage outages", 1, 2, NEW, rows());
        assertThat(rows()).containsExactlyElementsOf(NEW);
    }

    /** Runs day two's data with {@code fault} injected after the gate; returns how long the run lasted after it. */
    private Duration runWithFault(Path platform, Runnable fault, String endpoint) throws Exception {
        landDayTwo();
        AtomicLong faultAt = new AtomicLong();
        Extensions loaded = Extensions.load();
        QualityGate faulty = (candidate, product, checks, history) -> {
            var result = loaded.gate().evaluate(candidate, product, checks, history);
            fault.run();
            faultAt.set(System.nanoTime());
            return result;
        };
        CliHarness.Result failed = CliHarness.runWith(new Extensions(loaded.readers(), loaded.templates(), faulty,
                loaded.listeners()), Clock.systemUTC(), env, "--platform", platform.toString(), "run", "shop.orders");
        Duration after = Duration.ofNanos(System.nanoTime() - faultAt.get());
        LOG.info("the run ended {} s after the fault:\n{}{}", after.toMillis() / 1000.0, failed.out(), failed.err());
        assertThat(faultAt.get()).as("the gate ran").isPositive();
        assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(1);
        assertThat(failed.out() + failed.err()).contains("the store at " + endpoint + " did not answer (");
        return after;
    }

    private void assertRerunPublishesExactlyTheNewData(Path platform) {
        assertThat(rows()).as("nothing of the failed run was published").containsExactlyElementsOf(OLD);
        CliHarness.Result rerun = CliHarness.runWith(env, "--platform", platform.toString(), "run", "shop.orders");
        assertThat(rerun.exitCode()).as(rerun.out() + rerun.err()).isZero();
        assertThat(rerun.out()).containsPattern("shop +orders +PUBLISHED ");
        ReliabilityLedger.trial("storage outages", 1, 3, NEW, rows());
        assertThat(rows()).containsExactlyElementsOf(NEW);
    }

    private Path publishDayOne(String endpoint) throws Exception {
        Path platform = platformFile(endpoint);
        CliHarness.Result provision = CliHarness.runWith(env, "--platform", platform.toString(), "provision");
        assertThat(provision.exitCode()).as(provision.err()).isZero();
        land("day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        CliHarness.Result first = CliHarness.runWith(env, "--platform", platform.toString(), "run", "shop.orders");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(rows()).containsExactlyElementsOf(OLD);
        return platform;
    }

    private void landDayTwo() throws Exception {
        land("day2.csv", "order_id,amount,status\n2,25.00,PAID\n3,30.00,NEW\n");
    }

    private List<String> rows() {
        return SharedSpark.session().read().format("delta").load("s3a://" + bucket + "/zones/shop/products/orders")
                .orderBy("order_id").collectAsList().stream().map(Object::toString).toList();
    }

    /** Puts a landing file straight into the store (to the server itself, not through the proxy). */
    private void land(String name, String content) {
        S3Scenarios.client(new S3Scenarios.Store(server.endpoint(), credentials.accessKey(), credentials.secretKey()))
                .putObject(bucket, "zones/shop/landing/orders/" + name, content);
    }

    private Path platformFile(String endpoint) throws Exception {
        Path domains = ShopMesh.create(dir.resolve("mesh"), "merge", "").dir().resolve("domains");
        Path file = dir.resolve("platform.yaml");
        Files.writeString(file, """
                apiVersion: mesh/v1
                kind: Platform
                name: outage-mesh
                storage:
                  root: s3a://%s/zones
                  s3:
                    endpoint: %s
                    pathStyleAccess: true
                    credentials: { accessKeyEnv: %s, secretKeyEnv: %s }
                    timeout: PT%dS
                spark:
                  master: local[2]
                domains: %s
                """.formatted(bucket, endpoint, KEY_ENV, SECRET_ENV, TIMEOUT.toSeconds(), domains));
        return file;
    }
}
