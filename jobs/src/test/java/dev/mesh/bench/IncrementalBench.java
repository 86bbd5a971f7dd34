package dev.mesh.bench;

import dev.mesh.jobs.cli.CliEnvironment;
import dev.mesh.jobs.cli.MeshCli;
import dev.mesh.runtime.run.Extensions;
import io.trino.tpch.GenerateUtils;
import io.trino.tpch.Order;
import io.trino.tpch.OrderGenerator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * What reading only new data saves: a merge product of TPC-H orders, fed once from 100 landing files and once from a
 * PostgreSQL table read by a watermark, each run in turns as a full rebuild ({@code --full-refresh}: every file, every
 * row) and as the run that finds 1% new data (one new file; 1% new rows). Same JVM and SparkSession, the CLI as users
 * run it; prints the median wall time of each and their ratio.
 *
 * <p>Run with {@code bench/incremental.sh [SCALE=0.1] [ROUNDS=3]}.
 */
public final class IncrementalBench {
    private static final int FILES = 100;
    private static final String COLUMNS = "orderkey,custkey,orderstatus,totalprice,orderdate,updated_at";

    public static void main(String[] args) throws Exception {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 0.1;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
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
            run(spark, root, env, "shop.orders_files");
            run(spark, root, env, "shop.orders_jdbc");

            List<Long> filesFull = new ArrayList<>();
            List<Long> filesNew = new ArrayList<>();
            List<Long> jdbcFull = new ArrayList<>();
            List<Long> jdbcNew = new ArrayList<>();
            List<Long> filesNothing = new ArrayList<>();
            List<Long> jdbcNothing = new ArrayList<>();
            long nextKey = 10_000_000_000L;
            for (int round = 0; round <= rounds; round++) {
                long ff = run(spark, root, env, "shop.orders_files", "--full-refresh");
                List<String> fresh = freshOrders(orders.subList(0, perFile), nextKey, round);
                nextKey += perFile;
                writeFile(landing.resolve("new-" + round + ".csv"), fresh);
                long fn = run(spark, root, env, "shop.orders_files");
                long fu = run(spark, root, env, "shop.orders_files");
                long jf = run(spark, root, env, "shop.orders_jdbc", "--full-refresh");
                load(url, fresh);
                long jn = run(spark, root, env, "shop.orders_jdbc");
                long ju = run(spark, root, env, "shop.orders_jdbc");
                if (round == 0) {
                    System.out.printf(Locale.ROOT, "warm-up (not counted): files full %.1f s, 1%% new %.1f s; jdbc "
                            + "full %.1f s, 1%% new %.1f s%n", ff / 1e3, fn / 1e3, jf / 1e3, jn / 1e3);
                    continue;
                }
                filesFull.add(ff);
                filesNew.add(fn);
                jdbcFull.add(jf);
                jdbcNew.add(jn);
                filesNothing.add(fu);
                jdbcNothing.add(ju);
            }
            report("files", rounds, filesFull, filesNew, filesNothing);
            report("jdbc ", rounds, jdbcFull, jdbcNew, jdbcNothing);
        } finally {
            spark.stop();
        }
    }

    private static void report(String kind, int rounds, List<Long> full, List<Long> fresh, List<Long> nothing) {
        double f = median(full) / 1e3;
        double n = median(fresh) / 1e3;
        double u = median(nothing) / 1e3;
        System.out.printf(Locale.ROOT, "%s median of %d rounds: full run %.1f s, run finding 1%% new data %.1f s "
                + "(%.0f%% of the full run), run finding nothing new %.2f s (whole command, warm session)%n", kind,
                rounds, f, n, 100 * n / f, u);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
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
        Files.writeString(root.resolve("domains/shop/products/orders_files.yaml"), """
                apiVersion: mesh/v1
                kind: DataProduct
                name: orders_files
                domain: shop
                version: 1.0.0
                owner: shop@example.com
                inputs:
                  - name: erp
                    files: { source: erp.orders, format: csv }
                """ + output);
        Files.writeString(root.resolve("domains/shop/products/orders_jdbc.yaml"), """
                apiVersion: mesh/v1
                kind: DataProduct
                name: orders_jdbc
                domain: shop
                version: 1.0.0
                owner: shop@example.com
                inputs:
                  - name: erp
                    jdbc: { urlEnv: BENCH_JDBC_URL, table: orders, watermark: updated_at, partitionColumn: orderkey,
                            numPartitions: 2 }
                """ + output);
    }

    private static long run(SparkSession spark, Path root, Map<String, String> env, String... args) {
        CliEnvironment environment = new CliEnvironment(new PrintStream(java.io.OutputStream.nullOutputStream()),
                System.err, platform -> spark, false, Extensions.load(), Clock.systemUTC(), Path.of(".."), env);
        List<String> all = new ArrayList<>(List.of("--platform", root.resolve("platform.yaml").toString(), "run"));
        all.addAll(List.of(args));
        long start = System.nanoTime();
        int code = MeshCli.execute(environment, all.toArray(String[]::new));
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (code != 0) {
            throw new IllegalStateException("mesh run " + String.join(" ", args) + " failed with exit code " + code);
        }
        return millis;
    }
}
