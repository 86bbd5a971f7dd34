package dev.mesh.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.trino.tpch.GenerateUtils;
import io.trino.tpch.LineItem;
import io.trino.tpch.LineItemGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Mesh against a plain hand-written Spark job doing the same data work, in the same JVM and SparkSession, in turns:
 * ingest TPC-H line items from JSON lines (or CSV in eight files with a header line) with a declared schema
 * (malformed records kept aside), apply the same two
 * row rules, run the same eight quality checks, publish a Delta table, and record a run. Mesh does more around it
 * (run key and ledger lookup, metric history and anomaly rules, metrics, usage and SLA tables): the difference is the
 * platform's cost. Prints the median wall time of each and their ratio.
 *
 * <p>Run with {@code bench/product-vs-handwritten.sh [SCALE] [ROUNDS] [json|csv]}.
 */
public final class ProductVsHandwrittenBench {
    static final String SCHEMA = "orderkey BIGINT, partkey BIGINT, suppkey BIGINT, linenumber INT, quantity "
            + "DECIMAL(12,2), extendedprice DECIMAL(12,2), discount DECIMAL(12,2), tax DECIMAL(12,2), returnflag STRING, "
            + "linestatus STRING, shipdate DATE, commitdate DATE, receiptdate DATE, shipmode STRING";

    /** How many files the CSV landing is dealt into (as TPC-H's dbgen -C 8 would). */
    static final int CSV_FILES = 8;

    /** The stages of a product run the CSV keeps, in the order they happen. */
    static final List<String> STAGES = List.of("resolve", "read", "transform", "quarantine", "checks", "write",
            "commit");

    public static void main(String[] args) throws Exception {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 0.05;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean csvFiles = args.length > 2 && args[2].equals("csv");
        // first: every round is the product's first publication (its table removed before), and the hand-written
        // job's into a new directory
        boolean first = args.length > 3 && args[3].equals("first");
        Path dir = Files.createTempDirectory("mesh-bench");
        SparkSession spark = Bench.session();
        try {
            Path landing = dir.resolve("landing");
            long rows = csvFiles ? writeLineItemsCsv(landing, scale, CSV_FILES) : writeLineItems(landing, scale);
            long bytes = Bench.bytesIn(landing);
            System.out.printf(Locale.ROOT, "TPC-H line items at SF %s: %,d rows, %,d bytes of %s%n", scale, rows,
                    bytes, csvFiles ? "CSV in " + CSV_FILES + " files" : "JSON lines");
            List<Long> mesh = new ArrayList<>();
            List<Long> handwritten = new ArrayList<>();
            List<String> csv = new ArrayList<>();
            csv.add("format,publication,scale,round,mesh_s,handwritten_s,ratio," + String.join(",", STAGES.stream()
                    .map(stage -> stage + "_s").toList()));
            Path meshRoot = dir.resolve("mesh");
            prepareMesh(meshRoot, landing, csvFiles);
            for (int round = 0; round <= rounds; round++) {
                if (first && round > 0) {
                    deleteRecursively(meshRoot.resolve("zones/sales/products/lineitems"));
                    deleteRecursively(dir.resolve("hand"));
                }
                Bench.Round m = Bench.forcedRun(spark, meshRoot, "sales.lineitems");
                long h = handwritten(spark, landing, dir.resolve("hand"), csvFiles);
                if (round == 0) {
                    System.out.printf(Locale.ROOT, "warm-up: mesh %.1f s, hand-written %.1f s (not counted)%n",
                            m.millis() / 1e3, h / 1e3);
                    continue;
                }
                mesh.add(m.millis());
                handwritten.add(h);
                System.out.printf(Locale.ROOT, "round %d: mesh %.1f s (%s), hand-written %.1f s, ratio %.2f%n",
                        round, m.millis() / 1e3, split(m.stages()), h / 1e3, (double) m.millis() / h);
                csv.add(String.format(Locale.ROOT, "%s,%s,%s,%d,%.1f,%.1f,%.2f,%s", csvFiles ? "csv" : "json",
                        first ? "first" : "later", scale, round, m.millis() / 1e3,
                        h / 1e3, (double) m.millis() / h, String.join(",", STAGES.stream().map(stage ->
                                String.format(Locale.ROOT, "%.1f", m.stages().getOrDefault(stage, 0L) / 1e3))
                                .toList())));
            }
            if (rounds == 0) {
                // only the warm-up: the data and the product's table, for bench/separate-processes.sh
                return;
            }
            double meshMedian = Bench.median(mesh) / 1e3;
            double handMedian = Bench.median(handwritten) / 1e3;
            System.out.printf(Locale.ROOT, "median of %d rounds: mesh %.1f s, hand-written %.1f s, ratio %.2f%n",
                    rounds, meshMedian, handMedian, meshMedian / handMedian);
            Bench.writeCsv(first ? "product-vs-handwritten-first.csv" : "product-vs-handwritten.csv", csv);
        } finally {
            spark.stop();
            if (System.getenv("MESH_BENCH_KEEP") == null) {
                deleteRecursively(dir);
            } else {
                // to run the product again on its own, e.g. under /usr/bin/time -v for its peak memory
                System.out.println("kept " + dir + " (bin/mesh --platform " + dir.resolve("mesh/platform.yaml")
                        + " run sales.lineitems --force)");
            }
        }
    }

    private static String split(Map<String, Long> stages) {
        return String.join(", ", STAGES.stream().filter(stages::containsKey)
                .map(stage -> String.format(Locale.ROOT, "%s %.1f", stage, stages.get(stage) / 1e3)).toList());
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * A mesh with the example's line items product, published by overwriting (as the hand-written job does); the
     * warm-up round provisions it, so later rounds measure a product run in a running platform.
     */
    static void prepareMesh(Path root, Path landing, boolean csvFiles) throws IOException {
        Files.createDirectories(root.resolve("domains/sales/products"));
        Files.writeString(root.resolve("platform.yaml"), """
                apiVersion: mesh/v1
                kind: Platform
                name: bench
                storage: { root: zones }
                """);
        Files.writeString(root.resolve("domains/sales/domain.yaml"), """
                apiVersion: mesh/v1
                kind: Domain
                name: sales
                owners: [sales@example.com]
                sources: [ { name: erp.lineitems, landing: lineitems } ]
                """);
        Path productFile = Path.of("../examples/domains/sales/products/lineitems.yaml");
        String spec = Files.readString(productFile).replace("mode: merge", "mode: overwrite");
        Files.writeString(root.resolve("domains/sales/products/lineitems.yaml"), csvFiles
                ? spec.replace("format: json", "format: csv, options: { header: \"true\" }") : spec);
        Path target = Files.createDirectories(root.resolve("zones/sales/landing/lineitems"));
        try (var files = Files.list(landing)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
    }

    /** The same work written by hand: read, keep malformed records aside, check, publish, record. */
    static long handwritten(SparkSession spark, Path landing, Path out, boolean csvFiles) {
        long start = System.nanoTime();
        StructType schema = StructType.fromDDL(SCHEMA).add("_corrupt_record", "string");
        org.apache.spark.sql.DataFrameReader reader = spark.read().schema(schema).option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", "_corrupt_record");
        Dataset<Row> parsed = (csvFiles ? reader.option("header", "true").csv(landing.toString())
                : reader.json(landing.toString())).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> malformed = parsed.where(col("_corrupt_record").isNotNull());
        if (!malformed.isEmpty()) {
            malformed.write().format("delta").mode("append").save(out.resolve("quarantine").toString());
        }
        Dataset<Row> parsedRows = parsed.where(col("_corrupt_record").isNull()).drop("_corrupt_record");
        // the product's row rules: quantity within [1, 50], linestatus F or O; other rows go to quarantine
        org.apache.spark.sql.Column ruled = col("quantity").isNull().or(col("quantity").between(1, 50))
                .and(col("linestatus").isNull().or(col("linestatus").isin("F", "O")));
        Dataset<Row> broken = parsedRows.where(org.apache.spark.sql.functions.not(ruled));
        if (!broken.isEmpty()) {
            broken.write().format("delta").mode("append").save(out.resolve("quarantine-rules").toString());
        }
        Dataset<Row> good = parsedRows.where(ruled);
        Row facts = good.agg(count(lit(1)), min("quantity"), max("discount"),
                sum(when(col("returnflag").isin("A", "N", "R").or(col("returnflag").isNull()), 1).otherwise(0)),
                sum(when(col("shipmode").isNotNull(), 1).otherwise(0)),
                sum(when(col("receiptdate").geq(col("shipdate")), 1).otherwise(0)),
                sum(when(col("orderkey").isNotNull(), 1).otherwise(0)),
                sum(when(col("linenumber").isNotNull(), 1).otherwise(0))).head();
        long rows = facts.getLong(0);
        long duplicates = good.groupBy("orderkey", "linenumber").count().where(col("count").gt(1)).count();
        boolean passed = rows > 0 && facts.getDecimal(1).doubleValue() >= 1 && facts.getDecimal(2).doubleValue() <= 0.1
                && facts.getLong(3) == rows && facts.getLong(4) >= 0.99 * rows && facts.getLong(5) == rows
                && facts.getLong(6) == rows && facts.getLong(7) == rows && duplicates == 0;
        if (!passed) {
            throw new IllegalStateException("the hand-written checks failed");
        }
        good.write().format("delta").mode("overwrite").partitionBy("returnflag").save(out.resolve("table").toString());
        spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("bench", rows)),
                StructType.fromDDL("product STRING, rows BIGINT")).write().format("delta").mode("append")
                .save(out.resolve("runs").toString());
        parsed.unpersist();
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** The line items as CSV with a header line, dealt round-robin into {@code count} files; returns the rows. */
    static long writeLineItemsCsv(Path landing, double scale, int count) throws IOException {
        Files.createDirectories(landing);
        List<BufferedWriter> outs = new ArrayList<>();
        long rows = 0;
        try {
            for (int i = 0; i < count; i++) {
                BufferedWriter out = Files.newBufferedWriter(landing.resolve("lineitems-" + i + ".csv"),
                        StandardCharsets.UTF_8);
                outs.add(out);
                out.write("orderkey,partkey,suppkey,linenumber,quantity,extendedprice,discount,tax,returnflag,"
                        + "linestatus,shipdate,commitdate,receiptdate,shipmode\n");
            }
            for (LineItem l : new LineItemGenerator(scale, 1, 1)) {
                outs.get((int) (rows % count)).write(l.getOrderKey() + "," + l.getPartKey() + ","
                        + l.getSupplierKey() + "," + l.getLineNumber() + "," + l.getQuantity() + ","
                        + GenerateUtils.formatMoney(l.getExtendedPriceInCents()) + ","
                        + String.format(Locale.ROOT, "%.2f", l.getDiscountPercent() / 100.0) + ","
                        + String.format(Locale.ROOT, "%.2f", l.getTaxPercent() / 100.0) + "," + l.getReturnFlag()
                        + "," + l.getStatus() + "," + GenerateUtils.formatDate(l.getShipDate()) + ","
                        + GenerateUtils.formatDate(l.getCommitDate()) + ","
                        + GenerateUtils.formatDate(l.getReceiptDate()) + "," + l.getShipMode() + "\n");
                rows++;
            }
        } finally {
            for (BufferedWriter out : outs) {
                out.close();
            }
        }
        return rows;
    }

    static long writeLineItems(Path landing, double scale) throws IOException {
        Files.createDirectories(landing);
        long rows = 0;
        try (BufferedWriter out = Files.newBufferedWriter(landing.resolve("lineitems.json"), StandardCharsets.UTF_8)) {
            for (LineItem l : new LineItemGenerator(scale, 1, 1)) {
                out.write("{\"orderkey\":" + l.getOrderKey() + ",\"partkey\":" + l.getPartKey() + ",\"suppkey\":"
                        + l.getSupplierKey() + ",\"linenumber\":" + l.getLineNumber() + ",\"quantity\":"
                        + l.getQuantity() + ",\"extendedprice\":" + GenerateUtils.formatMoney(l.getExtendedPriceInCents())
                        + ",\"discount\":" + String.format(Locale.ROOT, "%.2f", l.getDiscountPercent() / 100.0)
                        + ",\"tax\":" + String.format(Locale.ROOT, "%.2f", l.getTaxPercent() / 100.0)
                        + ",\"returnflag\":\"" + l.getReturnFlag() + "\",\"linestatus\":\"" + l.getStatus()
                        + "\",\"shipdate\":\"" + GenerateUtils.formatDate(l.getShipDate()) + "\",\"commitdate\":\""
                        + GenerateUtils.formatDate(l.getCommitDate()) + "\",\"receiptdate\":\""
                        + GenerateUtils.formatDate(l.getReceiptDate()) + "\",\"shipmode\":\"" + l.getShipMode()
                        + "\"}\n");
                rows++;
            }
        }
        return rows;
    }


}
