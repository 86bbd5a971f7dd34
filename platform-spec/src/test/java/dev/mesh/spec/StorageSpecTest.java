package dev.mesh.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.model.S3Spec;
import dev.mesh.spec.model.SpecProblem;
import dev.mesh.spec.model.StorageSpec;
import dev.mesh.spec.model.StorageSpec.ZoneMode;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** platform.yaml's storage: local and s3a roots, zone layouts, and credentials only by reference. */
class StorageSpecTest {
    @TempDir
    Path dir;
    TestMesh mesh;

    @BeforeEach
    void mesh() {
        mesh = TestMesh.in(dir).domain("shop", SpecValidationTest.SHOP).domain("finance", SpecValidationTest.FINANCE);
    }

    @Test
    void s3RootWithEnvironmentCredentials() {
        platform("""
                storage:
                  root: s3a://mesh-zones/prod/
                  s3:
                    endpoint: http://127.0.0.1:9000
                    pathStyleAccess: true
                    credentials: { accessKeyEnv: MESH_KEY, secretKeyEnv: MESH_SECRET }
                    domainCredentials:
                      shop: { accessKeyEnv: SHOP_KEY, secretKeyEnv: SHOP_SECRET }
                """);
        StorageSpec storage = load().orThrow().platform().storage();
        assertThat(storage.root()).hasToString("s3a://mesh-zones/prod");
        assertThat(storage.zones()).isEqualTo(ZoneMode.PREFIX);
        S3Spec s3 = storage.s3().orElseThrow();
        assertThat(s3.endpoint()).contains("http://127.0.0.1:9000");
        assertThat(s3.region()).isEqualTo("us-east-1");
        assertThat(s3.pathStyleAccess()).isTrue();
        assertThat(s3.credentials()).isEqualTo(S3Spec.CredentialsSpec.fromEnvironment("MESH_KEY", "MESH_SECRET"));
        assertThat(s3.domainCredentials()).containsOnlyKeys("shop");
    }

    @Test
    void theStoreTimeoutBoundsRunsAndIsCheckedLikeEveryDuration() {
        platform("""
                storage:
                  root: s3a://mesh-zones
                  s3: { credentials: { provider: default }, timeout: PT45S }
                """);
        assertThat(load().orThrow().platform().storage().s3().orElseThrow().timeout()).hasSeconds(45);
        platform("""
                storage:
                  root: s3a://mesh-zones
                  s3: { credentials: { provider: default } }
                """);
        assertThat(load().orThrow().platform().storage().s3().orElseThrow().timeout()).isEqualTo(
                S3Spec.DEFAULT_TIMEOUT).hasMinutes(2);
        platform("""
                storage:
                  root: s3a://mesh-zones
                  s3: { credentials: { provider: default }, timeout: 30 seconds }
                """);
        assertThat(problems()).containsExactly("platform.yaml:9: storage.s3.timeout: '30 seconds' is not an ISO-8601 "
                + "duration; use e.g. PT24H, PT30M or P1D");
        platform("""
                storage:
                  root: s3a://mesh-zones
                  s3: { credentials: { provider: default }, timeout: PT1S }
                """);
        assertThat(problems()).containsExactly("platform.yaml:9: storage.s3.timeout: PT1S is too short for a request "
                + "to a store; use at least PT4S");
    }

    @Test
    void bucketPerDomain() {
        platform("""
                storage:
                  root: s3a://mesh-platform
                  zones: bucket
                  bucketPattern: "acme-{domain}-zone"
                  s3: { credentials: { provider: default } }
                """);
        StorageSpec storage = load().orThrow().platform().storage();
        assertThat(storage.zones()).isEqualTo(ZoneMode.BUCKET);
        assertThat(storage.bucket("shop")).isEqualTo("acme-shop-zone");
        assertThat(storage.s3().orElseThrow().credentials().defaultChain()).isTrue();
    }

    @Test
    void inlineSecretsAreRefusedWithoutRepeatingThem() {
        platform("""
                storage:
                  root: s3a://mesh-zones
                  s3:
                    credentials: { accessKey: AKIAEXAMPLEKEY, secretKey: wJalrXUtnFEMIexample }
                """);
        List<String> problems = problems();
        assertThat(problems).containsExactly(
                "platform.yaml:10: storage.s3.credentials.accessKey: credentials are never written in specs; put them "
                        + "in environment variables and name those with accessKeyEnv and secretKeyEnv (or use "
                        + "provider: default)",
                "platform.yaml:10: storage.s3.credentials.secretKey: credentials are never written in specs; put them "
                        + "in environment variables and name those with accessKeyEnv and secretKeyEnv (or use "
                        + "provider: default)");
        assertThat(String.join("\n", problems)).doesNotContain("AKIAEXAMPLEKEY").doesNotContain("wJalrXUtnFEMIexample");
    }

    @Test
    void endpointWithCredentialsIsRefusedWithoutRepeatingIt() {
        platform("""
                storage:
                  root: s3a://mesh-zones
                  s3: { endpoint: "http://user:topsecret@127.0.0.1:9000" }
                """);
        assertThat(problems()).containsExactly("platform.yaml:9: storage.s3.endpoint: must not carry credentials; "
                + "name environment variables under credentials");
    }

    @Test
    void invalidBucketName() {
        platform("storage: { root: s3a://Mesh_Zones/x }\n");
        assertThat(problems()).containsExactly("platform.yaml:7: storage.root: 's3a://Mesh_Zones/x' needs a bucket name "
                + "of 3 to 63 lower-case letters, digits, '-' and '.': s3a://BUCKET/PREFIX");
    }

    @Test
    void bucketModeNeedsS3AndAPattern() {
        platform("storage: { root: zones, zones: bucket }\n");
        assertThat(problems()).containsExactly("platform.yaml:7: storage.zones: bucket needs an s3a:// root; a local "
                + "root lays zones out as folders (prefix)");
        platform("storage: { root: s3a://mesh-zones, zones: bucket, bucketPattern: mesh }\n");
        assertThat(problems()).containsExactly("platform.yaml:7: storage.bucketPattern: 'mesh' must contain {domain} "
                + "and make valid bucket names, e.g. mesh-{domain}");
    }

    @Test
    void s3SettingsOnALocalRoot() {
        platform("storage: { root: zones, s3: { region: eu-west-1 } }\n");
        assertThat(problems()).containsExactly("platform.yaml:7: storage.s3: is used only with an s3a:// root");
    }

    @Test
    void credentialsForAnUnknownDomain() {
        platform("""
                storage:
                  root: s3a://mesh-zones
                  zones: bucket
                  bucketPattern: "mesh-{domain}"
                  s3:
                    domainCredentials:
                      shopp: { accessKeyEnv: A, secretKeyEnv: B }
                """);
        assertThat(problems()).containsExactly("platform.yaml:13: storage.s3.domainCredentials.shopp: no domain "
                + "'shopp' in the mesh; did you mean 'shop'?");
    }

    private void platform(String storage) {
        mesh.write("platform.yaml", """
                apiVersion: mesh/v1
                kind: Platform
                name: test-mesh
                spark:
                  master: local[2]
                domains: domains
                """ + storage);
    }

    private SpecLoad load() {
        return new SpecLoader(dir).load(mesh.platformFile(), Optional.empty());
    }

    private List<String> problems() {
        return load().problems().stream().map(SpecProblem::toString).toList();
    }
}
