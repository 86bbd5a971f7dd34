package dev.mesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Selectors in {@code mesh plan} and {@code mesh run}: a product with what it reads ({@code +P}), with what reads it
 * ({@code P+}), both, by tag, by domain, and the products whose specs changed since a git ref.
 */
class SelectorsTest {
    @TempDir
    Path dir;

    @Test
    void selectorsPickProductsByLineageTagDomainAndGitState() throws Exception {
        TestMesh mesh = ShopMesh.create(dir, "merge", "");
        ProductYaml.product("shop", "daily").reads("o", "shop.orders").sql("SELECT count(*) AS orders FROM o")
                .schema("{ name: orders, type: bigint }").section("tags: [reporting]").writeTo(mesh);
        ProductYaml.product("shop", "weekly").reads("d", "shop.daily").sql("SELECT sum(orders) AS orders FROM d")
                .schema("{ name: orders, type: bigint }").writeTo(mesh);
        ProductYaml.product("shop", "refunds").reads("o", "shop.orders").sql("SELECT order_id FROM o")
                .schema("{ name: order_id, type: bigint }").section("tags: [finance, reporting]").writeTo(mesh);

        assertThat(planned(mesh, "+shop.daily")).containsExactly("shop.orders", "shop.daily");
        assertThat(planned(mesh, "shop.daily+")).containsExactly("shop.daily", "shop.weekly");
        assertThat(planned(mesh, "+shop.weekly")).containsExactly("shop.orders", "shop.daily", "shop.weekly");
        assertThat(planned(mesh, "shop.orders+")).containsExactlyInAnyOrder("shop.orders", "shop.daily",
                "shop.refunds", "shop.weekly");
        assertThat(planned(mesh, "tag:reporting")).containsExactlyInAnyOrder("shop.daily", "shop.refunds");
        assertThat(planned(mesh, "tag:finance", "shop.weekly")).containsExactlyInAnyOrder("shop.refunds",
                "shop.weekly");
        assertThat(planned(mesh, "domain:shop")).hasSize(4);
        CliHarness.Result lineage = ShopMesh.run(mesh, "lineage", "tag:reporting");
        assertThat(lineage.exitCode()).as(lineage.out() + lineage.err()).isZero();
        assertThat(lineage.out().lines().filter(line -> line.startsWith("shop.")))
                .extracting(line -> line.split(" ")[0]).containsExactly("shop.daily", "shop.refunds");
        CliHarness.Result none = ShopMesh.run(mesh, "plan", "tag:nightly");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("selector 'tag:nightly' matches no product (tags: finance, reporting)");
        CliHarness.Result badTag = ShopMesh.run(mesh, "validate");
        assertThat(badTag.exitCode()).isZero();
        mesh.write("domains/shop/products/refunds.yaml", Files.readString(dir.resolve(
                "domains/shop/products/refunds.yaml")).replace("tags: [finance, reporting]", "tags: [Finance]"));
        CliHarness.Result invalid = ShopMesh.run(mesh, "validate");
        assertThat(invalid.out()).contains("tags[0]: 'Finance' is not a tag");
        mesh.write("domains/shop/products/refunds.yaml", Files.readString(dir.resolve(
                "domains/shop/products/refunds.yaml")).replace("tags: [Finance]", "tags: [finance, reporting]"));

        // state:modified: the specs changed since a git ref (working tree and untracked files included)
        git("init", "-q");
        git("add", "-A");
        git("-c", "user.email=ci@example.com", "-c", "user.name=ci", "commit", "-q", "-m", "specs");
        assertThat(planned(mesh, "state:modified")).isEmpty();
        mesh.write("domains/shop/products/daily.yaml", Files.readString(dir.resolve(
                "domains/shop/products/daily.yaml")).replace("version: 1.0.0", "version: 1.1.0"));
        assertThat(planned(mesh, "state:modified")).containsExactly("shop.daily");
        assertThat(planned(mesh, "state:modified+")).containsExactly("shop.daily", "shop.weekly");
        git("-c", "user.email=ci@example.com", "-c", "user.name=ci", "commit", "-q", "-am", "daily 1.1");
        assertThat(planned(mesh, "state:modified")).isEmpty();
        assertThat(planned(mesh, "state:modified:HEAD~1")).containsExactly("shop.daily");
        // a new domain file changes every product of the domain
        mesh.write("domains/shop/domain.yaml", Files.readString(dir.resolve("domains/shop/domain.yaml")) + "\n");
        assertThat(planned(mesh, "state:modified")).hasSize(4);
        CliHarness.Result badRef = ShopMesh.run(mesh, "plan", "state:modified:no-such-ref");
        assertThat(badRef.exitCode()).isEqualTo(2);
        assertThat(badRef.err()).contains("state:modified compares the specs with a git ref, but git diff failed");
        CliHarness.Result option = ShopMesh.run(mesh, "plan", "state:modified:--output=/tmp/x");
        assertThat(option.exitCode()).isEqualTo(2);
        assertThat(option.err()).contains("not a git ref");
    }

    /** The products {@code mesh plan} lists for the selectors, in plan order (none when nothing is selected). */
    private static List<String> planned(TestMesh mesh, String... selectors) {
        List<String> args = new ArrayList<>(List.of("plan"));
        args.addAll(List.of(selectors));
        CliHarness.Result result = ShopMesh.run(mesh, args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        return result.out().lines().filter(line -> line.startsWith("  "))
                .map(line -> line.strip().split("\\s+")[0]).toList();
    }

    private void git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
