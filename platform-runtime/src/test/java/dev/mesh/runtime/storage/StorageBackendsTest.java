package dev.mesh.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesh.error.MeshException;
import dev.mesh.error.Secrets;
import dev.mesh.runtime.spi.StorageBackend;
import dev.mesh.runtime.spi.StorageCredentials;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.PlatformSpec;
import dev.mesh.spec.model.ServerSpec;
import dev.mesh.spec.model.S3Spec;
import dev.mesh.spec.model.S3Spec.CredentialsSpec;
import dev.mesh.spec.model.StorageSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** The storage seam: a backend per URI scheme, and what the s3a one sets, resolves, names and refuses. */
class StorageBackendsTest {
    private static final S3Spec S3 = new S3Spec(Optional.of("http://127.0.0.1:9000"), "eu-west-1", true,
            CredentialsSpec.fromEnvironment("PLATFORM_KEY", "PLATFORM_SECRET"),
            Map.of("sales", CredentialsSpec.fromEnvironment("SALES_KEY", "SALES_SECRET")), Duration.ofSeconds(60));
    private static final StorageSpec BUCKETS = new StorageSpec(URI.create("s3a://mesh-platform/zones"),
            StorageSpec.ZoneMode.BUCKET, "mesh-{domain}", Optional.of(S3));
    private static final Map<String, String> ENVIRONMENT = Map.of("PLATFORM_KEY", "platform-access-key-1",
            "PLATFORM_SECRET", "platform-secret-value-1", "SALES_KEY", "sales-access-key-22",
            "SALES_SECRET", "sales-secret-value-22");

    @Test
    void eachRootSchemeHasItsBackendAndAnUnknownOneIsRefusedNamingTheKnown() {
        assertThat(StorageBackends.of(StorageSpec.local(Path.of("/tmp/zones").toUri())))
                .isInstanceOf(LocalFileBackend.class);
        assertThat(StorageBackends.of(BUCKETS)).isInstanceOf(S3aBackend.class);
        assertThatThrownBy(() -> StorageBackends.of(StorageSpec.local(URI.create("gs://bucket/zones"))))
                .isInstanceOf(MeshException.class)
                .hasMessageContaining("no storage backend serves 'gs'")
                .hasMessageContaining("file")
                .hasMessageContaining("s3a");
    }

    @Test
    void s3aSetsHadoopNotSparkAndGivesEachDomainBucketItsOwnCredentials() {
        StorageBackend backend = StorageBackends.of(BUCKETS);
        StorageCredentials credentials = backend.credentials(BUCKETS, ENVIRONMENT);
        Configuration hadoop = new Configuration(false);
        backend.configure(hadoop, BUCKETS, credentials);

        assertThat(hadoop.get("fs.s3a.endpoint")).isEqualTo("http://127.0.0.1:9000");
        assertThat(hadoop.get("fs.s3a.endpoint.region")).isEqualTo("eu-west-1");
        assertThat(hadoop.getBoolean("fs.s3a.path.style.access", false)).isTrue();
        assertThat(hadoop.get("fs.s3a.access.key")).isEqualTo("platform-access-key-1");
        assertThat(hadoop.get("fs.s3a.bucket.mesh-sales.access.key")).isEqualTo("sales-access-key-22");
        assertThat(hadoop.get("fs.s3a.bucket.mesh-sales.secret.key")).isEqualTo("sales-secret-value-22");
        // a run against a store that stopped answering is bounded, not Hadoop's minutes of retries
        assertThat(hadoop.getInt("fs.s3a.attempts.maximum", -1)).isZero();
        // resolved credentials are secrets: any text leaving the process is scrubbed of them
        assertThat(Secrets.redact("key sales-secret-value-22 leaked")).doesNotContain("sales-secret-value-22");
    }

    @Test
    void theBucketsAreTheRootsThenEachDomainsWithTheCredentialsUsedForIt() {
        MeshSpec mesh = meshOf("sales", "finance");
        StorageBackend backend = StorageBackends.of(BUCKETS);
        StorageCredentials credentials = backend.credentials(BUCKETS, ENVIRONMENT);

        List<StorageBackend.Container> containers = backend.containers(BUCKETS, credentials, mesh);

        assertThat(containers).extracting(StorageBackend.Container::name)
                .containsExactly("mesh-platform", "mesh-sales", "mesh-finance");
        assertThat(containers.get(1).credentials().orElseThrow().accessKey()).isEqualTo("sales-access-key-22");
        assertThat(containers.get(2).credentials().orElseThrow().accessKey()).isEqualTo("platform-access-key-1");
        assertThat(backend.isolation(BUCKETS, credentials, mesh, "guard"))
                .startsWith("zones are buckets, but not every domain has credentials of its own");
        assertThat(backend.describe(BUCKETS)).isEqualTo("the store at http://127.0.0.1:9000");
    }

    @Test
    void aMissingCredentialVariableIsNamedWithThePlatformFieldThatNamesIt() {
        assertThatThrownBy(() -> StorageBackends.of(BUCKETS).credentials(BUCKETS, Map.of("PLATFORM_KEY", "k")))
                .isInstanceOf(MeshException.class)
                .hasMessageContaining("PLATFORM_SECRET")
                .hasMessageContaining("storage.s3.credentials.secretKeyEnv");
    }

    @Test
    void lineageNamesFollowEachStoresConventions() {
        StorageBackend s3 = StorageBackends.forScheme("s3a").orElseThrow();
        assertThat(s3.datasetName(URI.create("s3a://mesh-sales/products/orders")))
                .isEqualTo(new StorageBackend.DatasetName("s3://mesh-sales", "products/orders"));
        assertThat(StorageBackends.forScheme("file").orElseThrow().datasetName(URI.create("file:/tmp/zones/x")))
                .isEqualTo(new StorageBackend.DatasetName("file", "/tmp/zones/x"));
        assertThat(StorageBackend.genericName(URI.create("abfss://c@account.dfs.core.windows.net/zones")))
                .isEqualTo(new StorageBackend.DatasetName("abfss://c@account.dfs.core.windows.net", "/zones"));
    }

    @Test
    void aLocalRootNeedsNoContainersAndNoCredentials() {
        StorageSpec local = StorageSpec.local(Path.of("/tmp/zones").toUri());
        StorageBackend backend = StorageBackends.of(local);
        assertThat(backend.credentials(local, Map.of())).isEqualTo(StorageCredentials.NONE);
        assertThat(backend.containers(local, StorageCredentials.NONE, meshOf("sales"))).isEmpty();
        assertThat(backend.isolation(local, StorageCredentials.NONE, meshOf("sales"), "guard"))
                .isEqualTo("zones are folders on one file system: guard");
    }

    private static MeshSpec meshOf(String... domains) {
        PlatformSpec platform = new PlatformSpec("test", BUCKETS, "local[1]", Map.of(), Path.of("domains"), List.of(),
                Optional.empty(), Optional.empty(), ServerSpec.DEFAULT, Path.of("platform.yaml"));
        return new MeshSpec(platform, Arrays.stream(domains).map(name -> new DomainSpec(name, "", List.of(),
                List.of(), List.of(), List.of(), List.of(), Path.of("domains", name, "domain.yaml"))).toList(),
                List.of());
    }
}
