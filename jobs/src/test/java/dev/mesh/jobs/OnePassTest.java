package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adding row-level and dataset-level rules does not add scans of the data: the bytes this JVM read from the local
 * file system (Hadoop's statistics for the file scheme, which local Spark's executors share; cached blocks are not
 * counted there) show the landing file read once whether a product has no rules or many.
 */
class OnePassTest {
    static final int ROWS = 40_000;

    @TempDir
    Path dir;

    @Test
    void rulesDoNotAddScansOfTheInput() throws Exception {
        long plain = bytesRead(dir.resolve("plain"), "");
        long ruled = bytesRead(dir.resolve("ruled"), """
                  rowRules:
                    - { check: notNull, column: amount }
                    - { check: allowedValues, column: status, values: [NEW, PAID] }
                    - { check: range, column: amount, min: 0, max: 100000 }
                    - { check: pattern, column: status, regex: "^[A-Z]+$" }
                    - { check: satisfies, name: positive, sql: "amount > 0" }
                  checks:
                    - { check: completeness, column: amount, min: 0.9 }
                    - { check: rowCount, min: 1 }
                    - { check: min, column: amount, atLeast: 0 }
                    - { check: max, column: amount, atMost: 100000 }
                    - { check: pattern, column: status, regex: "^[A-Z]+$" }
                    - { check: satisfies, name: small, sql: "amount < 100000" }
                """);
        long landing = Files.size(dir.resolve("plain/zones/shop/landing/orders/orders.csv"));
        System.out.printf("bytes read from disk in the run: %,d without rules, %,d with 5 row rules and 6 more checks; "
                + "landing file %,d%n", plain, ruled, landing);
        assertThat(plain).isGreaterThanOrEqualTo(landing);
        // a second scan would add the whole file again
        assertThat(Math.abs(ruled - plain)).isLessThan(landing / 4);
    }

    private long bytesRead(Path meshDir, String rules) throws Exception {
        TestMesh mesh = ShopMesh.create(meshDir, "overwrite", "");
        if (!rules.isEmpty()) {
            Path product = mesh.dir().resolve("domains/shop/products/orders.yaml");
            mesh.write("domains/shop/products/orders.yaml", Files.readString(product)
                    .replace("quality:\n  checks:\n", "quality:\n" + rules));
        }
        StringBuilder csv = new StringBuilder("order_id,amount,status\n");
        for (int i = 1; i <= ROWS; i++) {
            csv.append(i).append(',').append(i % 997 + 0.5).append(',').append(i % 3 == 0 ? "PAID" : "NEW").append('\n');
        }
        mesh.land("shop", "orders", "orders.csv", csv.toString());
        ShopMesh.run(mesh, "provision");
        long before = fileBytesRead();
        CliHarness.Result result = ShopMesh.run(mesh, "run", "shop.orders");
        long after = fileBytesRead();
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(table(mesh, "shop/products/orders").count()).isEqualTo(ROWS);
        return after - before;
    }

    @SuppressWarnings("deprecation")
    private static long fileBytesRead() {
        return org.apache.hadoop.fs.FileSystem.getAllStatistics().stream()
                .filter(s -> s.getScheme().equals("file"))
                .mapToLong(org.apache.hadoop.fs.FileSystem.Statistics::getBytesRead).sum();
    }
}
