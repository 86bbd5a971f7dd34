package dev.mesh.jobs;

import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;

/** A one-domain mesh for lifecycle tests: a shop whose point-of-sale system lands order files as CSV. */
final class ShopMesh {
    static final String DOMAIN = TestMesh.SHOP_DOMAIN;

    private ShopMesh() {}

    /** A mesh with product shop.orders in the given write mode and with the given extra checks. */
    static TestMesh create(Path dir, String mode, String checks) {
        return TestMesh.in(dir).domain("shop", DOMAIN).product("shop", "orders", """
                apiVersion: mesh/v1
                kind: DataProduct
                name: orders
                domain: shop
                version: 1.0.0
                owner: shop@example.com
                inputs:
                  - name: pos
                    files: { source: pos.orders, format: csv, options: { header: "true" } }
                transform: { template: ingest }
                output:
                  mode: %s
                  keys: [order_id]
                  schema:
                    - { name: order_id, type: bigint, required: true }
                    - { name: amount, type: "decimal(10,2)" }
                    - { name: status, type: string }
                quality:
                  checks:
                    - { check: allowedValues, column: status, values: [NEW, PAID] }
                %s
                """.formatted(mode, checks.indent(4)));
    }

    static CliHarness.Result run(TestMesh mesh, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--platform";
        all[1] = mesh.platformFile().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliHarness.run(all);
    }
}
