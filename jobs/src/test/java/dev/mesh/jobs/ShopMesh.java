package dev.mesh.jobs;

import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;

/** A one-domain mesh for lifecycle tests: a shop whose point-of-sale system lands order files as CSV. */
final class ShopMesh {
    static final String DOMAIN = TestMesh.SHOP_DOMAIN;

    private ShopMesh() {}

    /** A mesh with product shop.orders in the given write mode and with the given extra checks. */
    static TestMesh create(Path dir, String mode, String checks) {
        return ProductYaml.shopOrders().mode(mode)
                .quality("checks:\n  - { check: allowedValues, column: status, values: [NEW, PAID] }\n"
                        + checks.indent(2))
                .writeTo(TestMesh.in(dir).domain("shop", DOMAIN));
    }

    static CliHarness.Result run(TestMesh mesh, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--platform";
        all[1] = mesh.platformFile().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliHarness.run(all);
    }
}
