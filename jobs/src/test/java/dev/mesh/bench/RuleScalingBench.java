package dev.mesh.bench;

import dev.mesh.runtime.run.Extensions;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.spi.MetricHistory;
import dev.mesh.spec.SpecLoader;
import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * What a product's quality rules cost as they grow: the line items product with 1, 10 and 50 checks, run in turns,
 * against the quality gate alone (Deequ through the platform's gate, over the same rows already in memory) with the
 * same checks. Prints the median of each and the cost of 10 and 50 checks relative to one; writes the rounds to
 * {@code bench/out/rule-scaling.csv}.
 *
 * <p>Run with {@code bench/rule-scaling.sh [SCALE=0.2] [ROUNDS=3]}.
 */
public final class RuleScalingBench {
    static final List<Integer> COUNTS = List.of(1, 10, 50);

    public static void main(String[] args) throws Exception {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 0.2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("mesh-rules");
        SparkSession spark = Bench.session();
        try {
            Path landing = dir.resolve("landing");
            long rows = ProductVsHandwrittenBench.writeLineItems(landing, scale);
            System.out.printf(Locale.ROOT, "TPC-H line items at SF %s: %,d rows of JSON lines%n", scale, rows);
            Path root = dir.resolve("mesh");
            prepareMesh(root, landing);
            Dataset<Row> cached = spark.read().schema(StructType.fromDDL(ProductVsHandwrittenBench.SCHEMA))
                    .json(landing.toString()).persist(StorageLevel.MEMORY_AND_DISK());
            cached.count();
            Map<Integer, List<Double>> product = new java.util.TreeMap<>();
            Map<Integer, List<Double>> gate = new java.util.TreeMap<>();
            List<String> csv = new ArrayList<>(List.of("scale,round,checks,product_s,checks_stage_s,gate_alone_s"));
            for (int round = 0; round <= rounds; round++) {
                for (int count : COUNTS) {
                    String name = "lineitems_" + count;
                    Map<String, Long> stages = Bench.forcedRun(spark, root, "sales." + name).stages();
                    long product_ms = stages.values().stream().mapToLong(Long::longValue).sum();
                    long gate_ms = gateAlone(spark, root, name, cached);
                    if (round == 0) {
                        continue;
                    }
                    product.computeIfAbsent(count, k -> new ArrayList<>()).add(product_ms / 1e3);
                    gate.computeIfAbsent(count, k -> new ArrayList<>()).add(gate_ms / 1e3);
                    csv.add(String.format(Locale.ROOT, "%s,%d,%d,%.1f,%.1f,%.1f", scale, round, count,
                            product_ms / 1e3, stages.getOrDefault("checks", 0L) / 1e3, gate_ms / 1e3));
                    System.out.printf(Locale.ROOT, "round %d, %d checks: product %.1f s (checks stage %.1f s), "
                            + "gate alone %.1f s%n", round, count, product_ms / 1e3,
                            stages.getOrDefault("checks", 0L) / 1e3, gate_ms / 1e3);
                }
            }
            double product1 = Bench.median(product.get(1));
            double gate1 = Bench.median(gate.get(1));
            for (int count : COUNTS) {
                double productMedian = Bench.median(product.get(count));
                double gateMedian = Bench.median(gate.get(count));
                System.out.printf(Locale.ROOT, "%2d checks: product %.1f s (x%.2f of 1 check), gate alone %.1f s "
                        + "(x%.2f)%n", count, productMedian, productMedian / product1, gateMedian, gateMedian / gate1);
            }
            Path out = Path.of("../bench/out/rule-scaling.csv");
            Files.createDirectories(out.getParent());
            Files.write(out, csv);
            System.out.println("rounds written to " + out.toAbsolutePath().normalize());
        } finally {
            spark.stop();
            ProductVsHandwrittenBench.deleteRecursively(dir);
        }
    }

    /** The first {@code count} of fifty checks over the line items' columns. */
    static List<String> checks(int count) {
        List<String> all = new ArrayList<>();
        all.add("{ check: rowCount, min: 1 }");
        List<String> columns = List.of("orderkey", "partkey", "suppkey", "linenumber", "quantity", "extendedprice",
                "discount", "tax", "returnflag", "linestatus", "shipdate", "commitdate", "receiptdate", "shipmode");
        List<String> numeric = columns.subList(0, 8);
        columns.forEach(column -> all.add("{ check: complete, column: " + column + " }"));
        numeric.forEach(column -> all.add("{ check: min, column: " + column + ", atLeast: 0 }"));
        numeric.forEach(column -> all.add("{ check: max, column: " + column + ", atMost: 1000000000 }"));
        columns.forEach(column -> all.add("{ check: completeness, column: " + column + ", min: 0.99 }"));
        all.add("{ check: allowedValues, column: returnflag, values: [A, N, R] }");
        all.add("{ check: allowedValues, column: linestatus, values: [F, O] }");
        all.add("{ check: allowedValues, column: shipmode, values: [AIR, FOB, MAIL, RAIL, REG AIR, SHIP, TRUCK] }");
        all.add("{ check: unique, columns: [orderkey, linenumber] }");
        all.add("{ check: satisfies, name: received_after_shipped, sql: \"receiptdate >= shipdate\" }");
        if (all.size() != 50) {
            throw new IllegalStateException(all.size() + " checks, not 50");
        }
        return all.subList(0, count);
    }

    static void prepareMesh(Path root, Path landing) throws IOException {
        Files.createDirectories(root.resolve("domains/sales/products"));
        Files.writeString(root.resolve("platform.yaml"), "apiVersion: mesh/v1\nkind: Platform\nname: bench\n"
                + "storage: { root: zones }\n");
        Files.writeString(root.resolve("domains/sales/domain.yaml"), "apiVersion: mesh/v1\nkind: Domain\n"
                + "name: sales\nowners: [sales@example.com]\nsources: [ { name: erp.lineitems, landing: lineitems } ]\n");
        String example = Files.readString(Path.of("../examples/domains/sales/products/lineitems.yaml"));
        String base = example.substring(0, example.indexOf("quality:")).replace("mode: merge", "mode: overwrite");
        for (int count : COUNTS) {
            Files.writeString(root.resolve("domains/sales/products/lineitems_" + count + ".yaml"),
                    base.replace("name: lineitems", "name: lineitems_" + count) + "quality:\n  checks:\n"
                            + String.join("\n", checks(count).stream().map(check -> "    - " + check).toList())
                            + "\n");
        }
        Path target = Files.createDirectories(root.resolve("zones/sales/landing/lineitems"));
        Files.copy(landing.resolve("lineitems.json"), target.resolve("lineitems.json"));
    }

    /** The same checks by the quality gate alone over rows already in memory. */
    static long gateAlone(SparkSession spark, Path root, String name, Dataset<Row> cached) {
        ProductSpec product = new SpecLoader(root).load(root.resolve("platform.yaml"), Optional.empty()).orThrow()
                .product(new ProductId("sales", name)).orElseThrow();
        List<CheckSpec> checks = product.quality().checks();
        long start = System.nanoTime();
        GateResult result = Extensions.load().gate().evaluate(cached, product, checks, MetricHistory.EMPTY);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (result.blocked()) {
            throw new IllegalStateException(name + ": the gate blocked: " + result.failures());
        }
        return millis;
    }

}
