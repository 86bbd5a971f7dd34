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

    /**
     * shop.orders from the point-of-sale CSV files, in {@code mode}, with more fields of its {@code files} input
     * ({@code ", onChangedFile: ignore"}), keyed by order_id for a merge product.
     */
    static TestMesh csvOrders(Path dir, String mode, String fileFields) {
        return ProductYaml.shopOrders().noInputs()
                .files("pos", "{ source: pos.orders, format: csv" + fileFields + " }").mode(mode)
                .writeTo(TestMesh.in(dir).domain("shop", DOMAIN));
    }

    /** shop.orders's published rows, "order_id amount status", by order_id. */
    static java.util.List<String> orderRows(TestMesh mesh) {
        return QualityGateTest.table(mesh, "shop/products/orders").orderBy("order_id").collectAsList().stream()
                .map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2)).toList();
    }

    static CliHarness.Result run(TestMesh mesh, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--platform";
        all[1] = mesh.platformFile().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliHarness.run(all);
    }
}
