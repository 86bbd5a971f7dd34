package dev.mesh.bench;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import dev.mesh.jobs.s3.LocalS3Server;
import dev.mesh.runtime.spi.S3Credentials;
import dev.mesh.runtime.spi.SourceFile;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.validation.IgnorePatterns;
import dev.mesh.templates.FileIdentity;
import dev.mesh.templates.LandingFiles;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * What knowing each landing file's identity costs a run: 100 landing files listed as a run lists them, on the local
 * disk (identity: the SHA-256 of each file's bytes, read once) and on the local S3 server, S3Proxy on loopback
 * (identity: the ETag the listing carries), against the listing alone, and against reading every file (what an
 * identity by content would cost on S3). Prints the median of each over the rounds.
 *
 * <p>Run with {@code bench/landing-identity.sh [FILES=100] [KB_PER_FILE=1024] [ROUNDS=5]}.
 */
public final class LandingIdentityBench {
    private static final IgnorePatterns DEFAULTS = IgnorePatterns.of(FileInputSpec.DEFAULT_IGNORE);

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int kilobytes = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path dir = Files.createTempDirectory("mesh-identity");
        byte[] content = content(kilobytes);
        System.out.printf(Locale.ROOT, "%d landing files of %d KB (%.1f MB)%n", files, kilobytes,
                files * (double) content.length / 1e6);

        Path landing = Files.createDirectories(dir.resolve("zones/shop/landing/orders"));
        for (int i = 0; i < files; i++) {
            Files.write(landing.resolve(String.format("orders-%03d.csv", i)), content);
        }
        FileSystem local = FileSystem.getLocal(new Configuration());
        measure("local disk (SHA-256 of each file)", local, landing.toUri().toString(), rounds);

        String key = "BENCHKEY";
        String secret = "bench-secret-" + System.nanoTime();
        try (LocalS3Server server = LocalS3Server.start(LocalS3Server.jar(Path.of("..").toAbsolutePath().normalize()),
                dir.resolve("s3"), 0, new S3Credentials(key, secret, "bench"))) {
            AmazonS3 client = AmazonS3ClientBuilder.standard()
                    .withEndpointConfiguration(new EndpointConfiguration(server.endpoint(), "us-east-1"))
                    .withPathStyleAccessEnabled(true)
                    .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(key, secret))).build();
            client.createBucket("bench");
            String text = new String(content, StandardCharsets.UTF_8);
            for (int i = 0; i < files; i++) {
                client.putObject("bench", String.format("zones/shop/landing/orders/orders-%03d.csv", i), text);
            }
            Configuration conf = new Configuration();
            conf.set("fs.s3a.endpoint", server.endpoint());
            conf.setBoolean("fs.s3a.connection.ssl.enabled", false);
            conf.set("fs.s3a.endpoint.region", "us-east-1");
            conf.setBoolean("fs.s3a.path.style.access", true);
            conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
            conf.set("fs.s3a.access.key", key);
            conf.set("fs.s3a.secret.key", secret);
            conf.set("fs.s3a.change.detection.mode", "client");
            String folder = "s3a://bench/zones/shop/landing/orders";
            measure("S3 (the listing's ETags)", new org.apache.hadoop.fs.Path(folder).getFileSystem(conf), folder,
                    rounds);
        }
    }

    private static void measure(String store, FileSystem fs, String folder, int rounds) throws Exception {
        List<Long> listing = new ArrayList<>();
        List<Long> identified = new ArrayList<>();
        List<Long> read = new ArrayList<>();
        long withEtag = 0;
        for (int round = 0; round <= rounds; round++) {
            long start = System.nanoTime();
            List<SourceFile> files = LandingFiles.list(fs, folder, folder, DEFAULTS, Optional.empty(), "bench")
                    .files();
            long listed = System.nanoTime();
            withEtag = files.stream().filter(file -> file.checksum().startsWith("etag:")).count();
            for (SourceFile file : files) {
                FileIdentity.identified(fs, file);
            }
            long done = System.nanoTime();
            byte[] buffer = new byte[1 << 16];
            for (SourceFile file : files) {
                try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(file.path()))) {
                    while (in.read(buffer) >= 0) {
                        // every byte, as a content checksum would need
                    }
                }
            }
            long readAll = System.nanoTime();
            if (round > 0) {
                listing.add((listed - start) / 1_000_000);
                identified.add((done - start) / 1_000_000);
                read.add((readAll - done + listed - start) / 1_000_000);
            }
        }
        System.out.printf(Locale.ROOT, "%-36s listing %6.0f ms, listing and identity %6.0f ms (+%.0f ms), listing and "
                        + "reading every file %6.0f ms; %d files identified by the listing's ETag%n", store,
                Bench.median(listing), Bench.median(identified), Bench.median(identified) - Bench.median(listing),
                Bench.median(read), withEtag);
    }

    /** CSV lines of about {@code kilobytes} KB. */
    private static byte[] content(int kilobytes) {
        StringBuilder text = new StringBuilder("orderkey,custkey,orderstatus,totalprice,orderdate\n");
        for (int row = 0; text.length() < kilobytes * 1024; row++) {
            text.append(row).append(',').append(row % 1500).append(",O,").append(1000 + row % 9000).append(".25,")
                    .append("1996-01-02\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
