package dev.mesh.bench;

import io.trino.tpch.GenerateUtils;
import io.trino.tpch.Order;
import io.trino.tpch.OrderGenerator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * What reading only new data saves: TPC-H orders as a merge and as an append product from 100 landing files, and as a
 * merge product from a PostgreSQL table read by a watermark, each run in turns as a full rebuild
 * ({@code --full-refresh}: every file, every row), as the run that finds 1% new data (one new file; 1% new rows, new
 * keys) and as a run that finds nothing new. Same JVM and SparkSession, the CLI as users run it; prints the median
 * product time of each and their ratio, and writes every run to {@code bench/out/incremental.csv}.
 *
 * <p>Run with {@code bench/incremental.sh [SCALE=0.1] [ROUNDS=3]}.
 */
public final class IncrementalBench {
    private static final int FILES = 100;
    private static final String COLUMNS = "orderkey,custkey,orderstatus,totalprice,orderdate,updated_at";

    /** The products measured: a merge and an append product from files, a merge product from the database. */
    private static final List<String> ALL_KINDS = List.of("files-merge", "files-append", "jdbc-merge");

    public static void main(String[] args) throws Exception {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 0.1;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> kinds = args.length > 2 ? List.of(args[2].split(",")) : ALL_KINDS;
        if (!ALL_KINDS.containsAll(kinds)) {
            throw new IllegalArgumentException("kinds are " + ALL_KINDS + ", not " + kinds);
        }
        Path dir = Files.createTempDirectory("mesh-incremental");
        SparkSession spark = Bench.session();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            List<String> orders = orders(scale);
            int perFile = orders.size() / FILES;
            System.out.printf(Locale.ROOT, "TPC-H orders at SF %s: %,d rows; %d files of %,d rows; 1%% new = %,d rows%n",
                    scale, orders.size(), FILES, perFile, perFile);
            Path root = dir.resolve("mesh");
            writeMesh(root);
            Path landing = Files.createDirectories(root.resolve("zones/shop/landing/orders"));
            for (int file = 0; file < FILES; file++) {
                writeFile(landing.resolve("orders-" + file + ".csv"), orders.subList(file * perFile,
                        (file + 1) * perFile));
            }
            String url = postgres.getJdbcUrl("postgres", "postgres");
            load(url, orders.subList(0, FILES * perFile));
            Map<String, String> env = Map.of("BENCH_JDBC_URL", url);
            for (String kind : kinds) {
                Bench.run(spark, root, env, product(kind));
            }
            // kind -> what the run did ("full", "1% new", "nothing new") -> its counted rounds
            Map<String, Map<String, List<Bench.Run>>> runs = new LinkedHashMap<>();
            List<String> csv = new ArrayList<>(List.of("kind,scale,round,run,status,product_ms,command_ms,stages"));
            long nextKey = 10_000_000_000L;
            for (int round = 0; round <= rounds; round++) {
                List<String> fresh = freshOrders(orders.subList(0, perFile), nextKey, round);
                nextKey += perFile;
                Map<String, Bench.Run> full = new LinkedHashMap<>();
                for (String kind : kinds) {
                    full.put(kind, Bench.run(spark, root, env, product(kind), "--full-refresh"));
                }
                writeFile(landing.resolve("new-" + round + ".csv"), fresh);
                load(url, fresh);
                for (String kind : kinds) {
                    Map<String, Bench.Run> of = new LinkedHashMap<>();
                    of.put("full", full.get(kind));
                    of.put("1% new", Bench.run(spark, root, env, product(kind)));
                    of.put("nothing new", Bench.run(spark, root, env, product(kind)));
                    for (Map.Entry<String, Bench.Run> run : of.entrySet()) {
                        Bench.Run r = run.getValue();
                        csv.add(String.format(Locale.ROOT, "%s,%s,%d,%s,%s,%d,%d,%s", kind, scale, round,
                                run.getKey(), r.status(), r.productMillis(), r.millis(), r.stageCell()));
                        if (round > 0) {
                            runs.computeIfAbsent(kind, k -> new LinkedHashMap<>())
                                    .computeIfAbsent(run.getKey(), k -> new ArrayList<>()).add(r);
                        }
                    }
                }
                if (round == 0) {
                    System.out.println("warm-up round done (not counted)");
                }
            }
            runs.forEach((kind, of) -> report(kind, rounds, of));
            Bench.writeCsv("incremental.csv", csv);
        } finally {
            spark.stop();
        }
    }

    private static String product(String kind) {
        return "shop.orders_" + kind.replace('-', '_');
    }

    private static void report(String kind, int rounds, Map<String, List<Bench.Run>> of) {
        double full = Bench.median(of.get("full").stream().map(Bench.Run::productMillis).toList()) / 1e3;
        double fresh = Bench.median(of.get("1% new").stream().map(Bench.Run::productMillis).toList()) / 1e3;
        double nothing = Bench.median(of.get("nothing new").stream().map(Bench.Run::productMillis).toList()) / 1e3;
        double nothingCommand = Bench.median(of.get("nothing new").stream().map(Bench.Run::millis).toList()) / 1e3;
        System.out.printf(Locale.ROOT, "%-12s median of %d rounds, product time: full rebuild %.1f s, 1%% new %.2f s "
                + "(%.0f%% of the full rebuild), nothing new %.2f s (whole command %.2f s, warm session)%n", kind,
                rounds, full, fresh, 100 * fresh / full, nothing, nothingCommand);
        System.out.printf(Locale.ROOT, "%-12s stages of the 1%% new runs: %s%n", "",
                of.get("1% new").stream().map(Bench.Run::stageCell).toList());
    }

    /** TPC-H orders as CSV lines, with an updated_at that grows with the key. */
    private static List<String> orders(double scale) {
        LocalDateTime start = LocalDateTime.of(2026, 1, 1, 0, 0);
        List<String> lines = new ArrayList<>();
        for (Order o : new OrderGenerator(scale, 1, 1)) {
            lines.add(o.getOrderKey() + "," + o.getCustomerKey() + "," + o.getOrderStatus() + ","
                    + GenerateUtils.formatMoney(o.getTotalPriceInCents()) + ","
                    + GenerateUtils.formatDate(o.getOrderDate()) + "," + start.plusSeconds(o.getOrderKey()));
        }
        return lines;
    }

    /** New orders: copies of {@code template} under new keys, changed later than anything before. */
    private static List<String> freshOrders(List<String> template, long firstKey, int round) {
        List<String> lines = new ArrayList<>();
        LocalDateTime at = LocalDateTime.of(2027, 1, 1, 0, 0).plusDays(round);
        for (int i = 0; i < template.size(); i++) {
            String[] fields = template.get(i).split(",");
            lines.add((firstKey + i) + "," + fields[1] + "," + fields[2] + "," + fields[3] + "," + fields[4] + ","
                    + at.plusSeconds(i));
        }
        return lines;
    }

    private static void writeFile(Path file, List<String> lines) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write(COLUMNS + "\n");
            for (String line : lines) {
                out.write(line + "\n");
            }
        }
    }

    private static void load(String url, List<String> lines) throws SQLException {
        try (Connection connection = java.sql.DriverManager.getConnection(url)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS orders (orderkey bigint PRIMARY KEY, custkey bigint, "
                        + "orderstatus text, totalprice numeric(12,2), orderdate date, updated_at timestamp)");
                // a table read by a watermark has it indexed (docs/specs.md): the run's MAX and COUNT use it
                statement.execute("CREATE INDEX IF NOT EXISTS orders_updated_at ON orders (updated_at)");
            }
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO orders VALUES "
                    + "(?, ?, ?, ?::numeric, ?::date, ?::timestamp)")) {
                for (String line : lines) {
                    String[] f = line.split(",");
                    insert.setLong(1, Long.parseLong(f[0]));
                    insert.setLong(2, Long.parseLong(f[1]));
                    insert.setString(3, f[2]);
                    insert.setString(4, f[3]);
                    insert.setString(5, f[4]);
                    insert.setString(6, f[5]);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        }
    }

    private static void writeMesh(Path root) throws IOException {
        Files.createDirectories(root.resolve("domains/shop/products"));
        Files.writeString(root.resolve("platform.yaml"), """
                apiVersion: mesh/v1
                kind: Platform
                name: bench
                storage: { root: zones }
                """);
        Files.writeString(root.resolve("domains/shop/domain.yaml"), """
                apiVersion: mesh/v1
                kind: Domain
                name: shop
                owners: [shop@example.com]
                sources: [ { name: erp.orders, landing: orders } ]
                """);
        String output = """
                transform: { template: ingest }
                output:
                  mode: merge
                  keys: [orderkey]
                  schema:
                    - { name: orderkey, type: bigint, required: true }
                    - { name: custkey, type: bigint }
                    - { name: orderstatus, type: string }
                    - { name: totalprice, type: "decimal(12,2)" }
                    - { name: orderdate, type: date }
                    - { name: updated_at, type: timestamp }
                quality:
                  checks:
                    - { check: allowedValues, column: orderstatus, values: [F, O, P] }
                    - { check: min, column: totalprice, atLeast: 0 }
                """;
        String files = """
                version: 1.0.0
                owner: shop@example.com
                inputs:
                  - name: erp
                    files: { source: erp.orders, format: csv }
                """;
        Files.writeString(root.resolve("domains/shop/products/orders_files_merge.yaml"), """
                apiVersion: mesh/v1
                kind: DataProduct
                name: orders_files_merge
                domain: shop
                """ + files + output);
        Files.writeString(root.resolve("domains/shop/products/orders_files_append.yaml"), """
                apiVersion: mesh/v1
                kind: DataProduct
                name: orders_files_append
                domain: shop
                """ + files + output.replace("mode: merge", "mode: append").replace("  keys: [orderkey]\n", ""));
        Files.writeString(root.resolve("domains/shop/products/orders_jdbc_merge.yaml"), """
                apiVersion: mesh/v1
                kind: DataProduct
                name: orders_jdbc_merge
                domain: shop
                version: 1.0.0
                owner: shop@example.com
                inputs:
                  - name: erp
                    jdbc: { urlEnv: BENCH_JDBC_URL, table: orders, watermark: updated_at, partitionColumn: orderkey,
                            numPartitions: 2 }
                """ + output);
    }
}
