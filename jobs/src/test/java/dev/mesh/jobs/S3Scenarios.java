package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import com.amazonaws.services.s3.model.S3ObjectSummary;
import dev.mesh.runtime.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform on S3 through Hadoop S3A, against a real S3 server: provisioning, the example mesh end to end, the
 * gate, rerun idempotence, and clear errors (exit 1) for a missing bucket and wrong credentials, with no secret in
 * any output, table or commit. Subclasses bring the server: S3Proxy here, MinIO where Docker runs.
 */
abstract class S3Scenarios {
    static final String KEY_ENV = "TEST_S3_ACCESS_KEY";
    static final String SECRET_ENV = "TEST_S3_SECRET_KEY";

    /** An S3 endpoint and the credentials it accepts. */
    record Store(String endpoint, String accessKey, String secretKey) {}

    @TempDir
    Path dir;

    protected abstract Store store();

    @Test
    void provisionCreatesTheBucketAndTheZonesOnce() throws Exception {
        String bucket = newBucket();
        Path platform = platformFile(bucket, CliHarness.HOME.resolve("examples/domains"));
        CliHarness.Result first = run("--platform", platform.toString(), "provision");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("created  bucket " + bucket,
                "created  s3a://" + bucket + "/zones/sales/landing/orders",
                "created  s3a://" + bucket + "/zones/_platform/runs",
                "isolation: zones are prefixes of one bucket under one identity");
        assertThat(keys(bucket)).contains("zones/sales/landing/orders/", "zones/_platform/runs/_delta_log/"
                + "00000000000000000000.json");

        CliHarness.Result second = run("--platform", platform.toString(), "provision");
        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).startsWith("nothing to change: all ");
    }

    @Test
    void theExampleMeshRunsEndToEndOnS3() throws Exception {
        String bucket = newBucket();
        Path platform = platformFile(bucket, CliHarness.HOME.resolve("examples/domains"));
        CliHarness.Result quickstart = run("--platform", platform.toString(), "quickstart", "--scale", "0.001");
        assertThat(quickstart.exitCode()).as(quickstart.err()).isZero();
        assertThat(quickstart.out()).containsPattern("customer +customers +PUBLISHED +150 +150 +0 +9/0 +0 ");
        assertThat(quickstart.out()).containsPattern("sales +orders +PUBLISHED +1503 +1500 +3 +9/0 +0 ");
        assertThat(quickstart.out()).contains("9 products: 9 published, 0 up to date, 0 not published");

        String root = "s3a://" + bucket + "/zones/";
        assertThat(table(root + "sales/products/orders").count()).isEqualTo(1500);
        assertThat(table(root + "sales/quarantine/orders").count()).isEqualTo(3);
        assertThat(table(root + "finance/products/revenue_by_nation").count()).isPositive();
        assertThat(table(root + "_platform/runs").where("status = 'PUBLISHED'").count()).isEqualTo(9);
        assertThat(table(root + "_platform/quality_metrics").where("product = 'customer_balances' "
                + "AND constraint = 'min(acctbal)' AND status = 'failed'").count()).isEqualTo(1);

        CliHarness.Result again = run("--platform", platform.toString(), "run", "--all");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("9 products: 0 published, 9 up to date, 0 not published");
        assertThat(table(root + "sales/products/orders").count()).isEqualTo(1500);

        // the ledger commands read (and mesh sla appends) without Spark, through a Hadoop configuration of their own
        CliHarness.Result runs = run("--platform", platform.toString(), "runs", "sales.orders");
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        assertThat(runs.out()).containsPattern("sales.orders +UP_TO_DATE ").containsPattern("sales.orders +PUBLISHED "
                + "+1503 +1500 +3 +9/0 +0 ");
        CliHarness.Result metrics = run("--platform", platform.toString(), "metrics", "sales.orders");
        assertThat(metrics.exitCode()).as(metrics.err()).isZero();
        assertThat(metrics.out()).contains("PUBLISHED").containsPattern("Dataset +\\* +Size +1500");
        long evaluated = table(root + "_platform/sla_status").count();
        CliHarness.Result sla = run("--platform", platform.toString(), "sla");
        assertThat(sla.exitCode()).as(sla.err()).isZero();
        assertThat(sla.out()).contains("9 products: 0 breached");
        assertThat(table(root + "_platform/sla_status").count()).as("a row per product appended")
                .isEqualTo(evaluated + 9);

        assertNoSecretIn(runs.out() + runs.err() + metrics.out() + metrics.err() + sla.out() + sla.err());
        assertNoSecretIn(String.join("\n", SharedSpark.session().read()
                .text(root + "_platform/sla_status/_delta_log/*.json").as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList()));
        assertNoSecretIn(quickstart.out() + quickstart.err() + again.out() + again.err());
        assertNoSecretIn(String.join("\n", SharedSpark.session().read()
                .text(root + "*/products/*/_delta_log/*.json").as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList()));
        assertNoSecretIn(table(root + "_platform/runs").toJSON().collectAsList().toString());
        assertNoSecretIn(SharedSpark.session().sparkContext().getConf().toDebugString());
    }

    @Test
    void theGateBlocksPublicationOnS3() throws Exception {
        String bucket = newBucket();
        Path domains = ShopMesh.create(dir.resolve("mesh"), "merge", "").dir().resolve("domains");
        Path platform = platformFile(bucket, domains);
        assertThat(run("--platform", platform.toString(), "provision").exitCode()).isZero();
        put(bucket, "zones/shop/landing/orders/day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n");
        assertThat(run("--platform", platform.toString(), "run", "shop.orders").exitCode()).isZero();

        put(bucket, "zones/shop/landing/orders/day2.csv", "order_id,amount,status\n3,30.00,LOST\n");
        CliHarness.Result blocked = run("--platform", platform.toString(), "run", "shop.orders");
        assertThat(blocked.exitCode()).isEqualTo(3);
        // day1.csv was ingested by the first run: the merge product reads only day2.csv
        assertThat(blocked.out()).containsPattern("shop +orders +GATE_FAILED +1 +0 +0 +2/1 +- ");
        String root = "s3a://" + bucket + "/zones/";
        assertThat(table(root + "shop/products/orders").count()).isEqualTo(2);
        assertThat(table(root + "_platform/runs").where("status = 'GATE_FAILED'").count()).isEqualTo(1);
    }

    @Test
    void landingFilesAreReadByNameInsideTheirFolderWithOneIdentity() throws Exception {
        String bucket = newBucket();
        Path domains = ShopMesh.create(dir.resolve("mesh-landing"), "append", "").dir().resolve("domains");
        Path platform = platformFile(bucket, domains);
        assertThat(run("--platform", platform.toString(), "provision").exitCode()).isZero();
        String landing = "zones/shop/landing/orders/";
        put(bucket, landing + "x[1].csv", "order_id,amount,status\n1,10.00,NEW\n");
        put(bucket, landing + "x1.csv", "order_id,amount,status\n2,20.00,PAID\n");
        put(bucket, landing + "_tmp/x2.csv", "order_id,amount,status\n3,30.00,NEW\n");
        put(bucket, "zones/crm/landing/customers/customers.csv", "order_id,amount,status\n99,1.00,NEW\n");
        CliHarness.Result first = run("--platform", platform.toString(), "run", "shop.orders");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).containsPattern("shop +orders +PUBLISHED +2 +2 +0 ").contains("shop.orders: left out s3a://"
                + bucket + "/" + landing + "_tmp/x2.csv: is under the folder '_tmp/'");
        String root = "s3a://" + bucket + "/zones/";
        assertThat(table(root + "shop/products/orders").orderBy("order_id").collectAsList())
                .extracting(row -> row.get(0) + " " + row.get(1)).containsExactly("1 10.00", "2 20.00");
        // the listing's ETags identify the files: nothing was read to know them
        assertThat(table(root + "shop/_checkpoints/orders/ingested").collectAsList())
                .extracting(row -> row.<String>getAs("checksum")).allMatch(checksum -> checksum.startsWith("etag:"));

        put(bucket, landing + "x1.csv", "order_id,amount,status\n2,21.00,PAID\n");
        CliHarness.Result changed = run("--platform", platform.toString(), "run", "shop.orders");
        assertThat(changed.exitCode()).isEqualTo(2);
        assertThat(changed.out()).contains("landing file s3a://" + bucket + "/" + landing + "x1.csv changed since "
                + "version 0 published it (", "other content); a published file is never read again silently");
        assertThat(table(root + "shop/products/orders").count()).isEqualTo(2);

        // a glob that climbs out of the folder is refused by the listing on S3A too (validate refuses its spelling)
        org.apache.hadoop.fs.FileSystem fs = new org.apache.hadoop.fs.Path(root).getFileSystem(SharedSpark.session()
                .sparkContext().hadoopConfiguration());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.mesh.templates.LandingFiles.list(fs,
                        root + "shop/landing/orders", root + "shop/landing/orders/{/..}/{/..}/{/..}/crm/landing/customers",
                        dev.mesh.spec.validation.IgnorePatterns.of(dev.mesh.spec.model.FileInputSpec.DEFAULT_IGNORE),
                        java.util.Optional.empty(), "input 'pos' of shop.orders"))
                .hasMessageContaining("landing file " + root + "crm/landing/customers")
                .hasMessageContaining("is outside the source's landing folder " + root + "shop/landing/orders");
    }

    @Test
    void bucketPerDomainZonesKeepEachDomainInItsOwnBucket() throws Exception {
        String prefix = newBucket();
        Path domains = ShopMesh.create(dir.resolve("mesh"), "merge", "").dir().resolve("domains");
        Path platform = dir.resolve("platform-buckets.yaml");
        Files.writeString(platform, """
                apiVersion: mesh/v1
                kind: Platform
                name: s3-mesh
                storage:
                  root: s3a://%s-platform/mesh
                  zones: bucket
                  bucketPattern: "%s-{domain}"
                  s3:
                    endpoint: %s
                    pathStyleAccess: true
                    credentials: { accessKeyEnv: %s, secretKeyEnv: %s }
                    domainCredentials:
                      shop: { accessKeyEnv: %s, secretKeyEnv: %s }
                domains: %s
                """.formatted(prefix, prefix, store().endpoint(), KEY_ENV, SECRET_ENV, KEY_ENV, SECRET_ENV, domains));
        CliHarness.Result provisioned = run("--platform", platform.toString(), "provision");
        assertThat(provisioned.exitCode()).as(provisioned.err()).isZero();
        assertThat(provisioned.out()).contains("created  bucket " + prefix + "-platform",
                "created  bucket " + prefix + "-shop", "created  s3a://" + prefix + "-shop/landing/orders",
                "isolation: each domain's zone is a bucket accessed with that domain's own credentials");
        put(prefix + "-shop", "landing/orders/day1.csv", "order_id,amount,status\n1,10.00,NEW\n");
        CliHarness.Result ran = run("--platform", platform.toString(), "run", "shop.orders");
        assertThat(ran.exitCode()).as(ran.err()).isZero();
        assertThat(table("s3a://" + prefix + "-shop/products/orders").count()).isEqualTo(1);
        assertThat(keys(prefix + "-platform")).anyMatch(k -> k.startsWith("mesh/_platform/runs/"));
        assertThat(keys(prefix + "-platform")).noneMatch(k -> k.contains("products/orders"));
    }

    @Test
    void aMissingBucketIsAClearInfrastructureError() throws Exception {
        String bucket = "mesh-never-provisioned-" + UUID.randomUUID().toString().substring(0, 8);
        Path platform = platformFile(bucket, CliHarness.HOME.resolve("examples/domains"));
        CliHarness.Result result = run("--platform", platform.toString(), "run", "--all");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: bucket '" + bucket + "' does not exist at " + store().endpoint()
                + "; create the zones first: mesh provision\n");
    }

    @Test
    void wrongCredentialsAreAClearErrorThatLeaksNoSecret() throws Exception {
        String bucket = newBucket();
        Path platform = platformFile(bucket, CliHarness.HOME.resolve("examples/domains"));
        assertThat(run("--platform", platform.toString(), "provision").exitCode()).isZero();
        String wrongSecret = "wrong-" + UUID.randomUUID();
        CliHarness.Result result = CliHarness.runWith(Map.of(KEY_ENV, store().accessKey(), SECRET_ENV, wrongSecret),
                "--platform", platform.toString(), "runs");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: access to bucket '" + bucket + "' at " + store().endpoint()
                + " was denied (").endsWith("): check the credentials in " + KEY_ENV + "/" + SECRET_ENV + "\n");
        assertThat(result.out() + result.err()).doesNotContain(wrongSecret).doesNotContain(store().secretKey())
                .doesNotContain(store().accessKey());
    }

    @Test
    void anUnsetCredentialVariableIsNamedNotGuessed() throws Exception {
        Path platform = platformFile(newBucket(), CliHarness.HOME.resolve("examples/domains"));
        CliHarness.Result result = CliHarness.runWith(Map.of(KEY_ENV, store().accessKey()),
                "--platform", platform.toString(), "provision");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("error: environment variable " + SECRET_ENV + " is not set; platform.yaml's "
                + "storage.s3.credentials.secretKeyEnv names it as the source of an S3 credential\n");
    }

    CliHarness.Result run(String... args) {
        return CliHarness.runWith(Map.of(KEY_ENV, store().accessKey(), SECRET_ENV, store().secretKey()), args);
    }

    Path platformFile(String bucket, Path domains) throws Exception {
        Path file = dir.resolve("platform-" + bucket + ".yaml");
        Files.writeString(file, """
                apiVersion: mesh/v1
                kind: Platform
                name: s3-mesh
                storage:
                  root: s3a://%s/zones
                  s3:
                    endpoint: %s
                    region: us-east-1
                    pathStyleAccess: true
                    credentials: { accessKeyEnv: %s, secretKeyEnv: %s }
                spark:
                  master: local[2]
                domains: %s
                """.formatted(bucket, store().endpoint(), KEY_ENV, SECRET_ENV, domains));
        return file;
    }

    static String newBucket() {
        return "mesh-" + UUID.randomUUID().toString().substring(0, 12).toLowerCase(Locale.ROOT);
    }

    void assertNoSecretIn(String text) {
        assertThat(text).doesNotContain(store().secretKey()).doesNotContain(store().accessKey());
    }

    static Dataset<Row> table(String path) {
        return SharedSpark.session().read().format("delta").load(path);
    }

    AmazonS3 client() {
        return client(store());
    }

    /** An S3 client of the store, path-style, for tests that put and list objects around the platform. */
    static AmazonS3 client(Store store) {
        return AmazonS3ClientBuilder.standard()
                .withEndpointConfiguration(new EndpointConfiguration(store.endpoint(), "us-east-1"))
                .withPathStyleAccessEnabled(true)
                .withCredentials(new AWSStaticCredentialsProvider(
                        new BasicAWSCredentials(store.accessKey(), store.secretKey())))
                .build();
    }

    void put(String bucket, String key, String content) {
        client().putObject(bucket, key, content);
    }

    List<String> keys(String bucket) {
        return client().listObjectsV2(bucket).getObjectSummaries().stream().map(S3ObjectSummary::getKey).toList();
    }
}
