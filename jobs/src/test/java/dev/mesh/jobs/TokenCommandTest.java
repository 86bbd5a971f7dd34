package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mesh token create, list and revoke: printed once, listed without secrets, revoked, audited; bad input refused. */
class TokenCommandTest {
    @TempDir
    Path dir;

    @Test
    void aTokenIsPrintedOnceListedWithoutItsSecretAndRevoked() {
        TestMesh mesh = ShopMesh.create(dir, "overwrite", "");
        CliHarness.Result early = ShopMesh.run(mesh, "token", "create", "--principal", "ci", "--domain", "shop",
                "--role", "member");
        assertThat(early.exitCode()).isEqualTo(2);
        assertThat(early.err()).contains("run mesh provision first");
        assertThat(ShopMesh.run(mesh, "provision").exitCode()).isZero();

        CliHarness.Result created = ShopMesh.run(mesh, "token", "create", "--principal", "ci", "--domain", "shop",
                "--role", "member", "--expires", "P30D");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String token = created.out().strip();
        assertThat(token).matches("mesh_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
        String id = token.substring(5, 17);

        CliHarness.Result listed = ShopMesh.run(mesh, "token", "list");
        assertThat(listed.out()).contains(id, "ci", "shop", "member", "active").doesNotContain(token.substring(18));

        CliHarness.Result revoked = ShopMesh.run(mesh, "token", "revoke", id);
        assertThat(revoked.out()).contains("revoked token " + id + " of ci");
        assertThat(ShopMesh.run(mesh, "token", "list").out()).contains("revoked ");
        assertThat(ShopMesh.run(mesh, "token", "revoke", id).err()).contains("already revoked");
        assertThat(ShopMesh.run(mesh, "audit", "--action", "api_token").out()).contains("token " + id);

        assertThat(ShopMesh.run(mesh, "token", "create", "--principal", "x", "--role", "member").err())
                .contains("name it with --domain");
        assertThat(ShopMesh.run(mesh, "token", "create", "--principal", "x", "--domain", "shop", "--role", "admin")
                .err()).contains("leave out --domain");
        assertThat(ShopMesh.run(mesh, "token", "create", "--principal", "x", "--domain", "shop", "--role", "boss")
                .err()).contains("roles: member, owner, admin");
        assertThat(ShopMesh.run(mesh, "token", "create", "--principal", "x", "--domain", "shop", "--role", "member",
                "--expires", "soon").err()).contains("not an ISO-8601 duration");
        assertThat(ShopMesh.run(mesh, "token", "create", "--principal", "x", "--domain", "shp", "--role", "member")
                .err()).contains("no domain 'shp'");
    }
}
