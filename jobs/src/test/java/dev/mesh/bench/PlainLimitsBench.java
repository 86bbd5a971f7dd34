package dev.mesh.bench;

import static org.apache.spark.sql.functions.col;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * This machine's limit for the line items product's one pass, against which the platform and the hand-written job are
 * judged: the same CSV bytes read by plain Java code on two threads (as {@code local[2]} has two), first only read,
 * then also parsed strictly into typed values (each field exactly a literal of its type, as the platform accepts it)
 * with the product's row rules, then also written as Snappy Parquet partitioned by {@code returnflag}, the physical
 * types Spark writes. In turns with them: Spark's own typed CSV read and Parquet write of the same rows (no Delta, no
 * checks), the platform's forced run of the product ({@code sales.lineitems}, overwrite, its {@code write} stage is
 * the one pass), and the hand-written Spark + Delta job with the same rules and checks. Prints each one's seconds
 * and MB/s of CSV; writes every round to {@code bench/out/plain-limits.csv}.
 *   PlainLimitsBench [SF=1] [ROUNDS=2]
 */
public final class PlainLimitsBench {
    private static final int THREADS = 2;
    private static final MessageType PARQUET = MessageTypeParser.parseMessageType("""
            message lineitem {
              optional int64 orderkey; optional int64 partkey; optional int64 suppkey; optional int32 linenumber;
              optional int64 quantity (DECIMAL(12,2)); optional int64 extendedprice (DECIMAL(12,2));
              optional int64 discount (DECIMAL(12,2)); optional int64 tax (DECIMAL(12,2));
              optional binary linestatus (UTF8); optional int32 shipdate (DATE); optional int32 commitdate (DATE);
              optional int32 receiptdate (DATE); optional binary shipmode (UTF8);
            }""");
    private static final List<String> SIDES = List.of("plain_read", "plain_parse", "plain_parse_write",
            "spark_read_write", "mesh_run", "mesh_write_stage", "handwritten");

    private PlainLimitsBench() {}

    public static void main(String[] args) throws Exception {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path dir = Files.createTempDirectory("mesh-limits");
        SparkSession spark = Bench.session();
        try {
            Path landing = dir.resolve("landing");
            long rows = ProductVsHandwrittenBench.writeLineItemsCsv(landing, scale,
                    ProductVsHandwrittenBench.CSV_FILES);
            List<Path> files;
            try (var listed = Files.list(landing)) {
                files = listed.sorted().toList();
            }
            long bytes = Bench.bytesIn(landing);
            System.out.printf(Locale.ROOT, "TPC-H line items at SF %s: %,d rows, %,d bytes of CSV in %d files%n",
                    scale, rows, bytes, files.size());
            Path meshRoot = dir.resolve("mesh");
            ProductVsHandwrittenBench.prepareMesh(meshRoot, landing, true);
            List<String> csv = new ArrayList<>();
            csv.add("scale,rows,bytes,round," + String.join(",", SIDES.stream().map(side -> side + "_s").toList()));
            Map<String, List<Long>> all = new HashMap<>();
            for (int round = 0; round <= rounds; round++) {
                Map<String, Long> millis = new HashMap<>();
                millis.put("plain_read", timed(() -> onThreads(files, PlainLimitsBench::read)));
                long[] parsed = new long[1];
                millis.put("plain_parse", timed(() -> parsed[0] = onThreads(files, file -> parse(file, null))));
                Path parquet = dir.resolve("plain-parquet");
                millis.put("plain_parse_write", timed(() -> onThreads(files, file -> parse(file, parquet))));
                long written = countParquetRows(spark, parquet);
                if (parsed[0] != rows || written != rows) {
                    throw new IllegalStateException("the plain reader kept " + parsed[0] + " rows and wrote " + written
                            + " of " + rows);
                }
                ProductVsHandwrittenBench.deleteRecursively(parquet);
                millis.put("spark_read_write", timed(() -> sparkReadWrite(spark, landing, dir.resolve("spark"))));
                Bench.Round mesh = Bench.forcedRun(spark, meshRoot, "sales.lineitems");
                millis.put("mesh_run", mesh.millis());
                millis.put("mesh_write_stage", mesh.stages().getOrDefault("write", 0L));
                millis.put("handwritten", ProductVsHandwrittenBench.handwritten(spark, landing, dir.resolve("hand"),
                        true));
                String line = String.join(", ", SIDES.stream().map(side -> String.format(Locale.ROOT,
                        "%s %.1f s", side, millis.get(side) / 1e3)).toList());
                if (round == 0) {
                    System.out.println("warm-up (not counted): " + line);
                    continue;
                }
                System.out.println("round " + round + ": " + line);
                SIDES.forEach(side -> all.computeIfAbsent(side, s -> new ArrayList<>()).add(millis.get(side)));
                csv.add(String.format(Locale.ROOT, "%s,%d,%d,%d,", scale, rows, bytes, round) + String.join(",",
                        SIDES.stream().map(side -> String.format(Locale.ROOT, "%.2f", millis.get(side) / 1e3))
                                .toList()));
            }
            if (rounds > 0) {
                System.out.printf(Locale.ROOT, "median of %d rounds (%,d rows, %.0f MB of CSV, %d threads):%n",
                        rounds, rows, bytes / 1e6, THREADS);
                for (String side : SIDES) {
                    double seconds = Bench.median(all.get(side)) / 1e3;
                    System.out.printf(Locale.ROOT, "  %-18s %7.1f s %8.1f MB/s %6.2f s per million rows%n", side,
                            seconds, bytes / 1e6 / seconds, seconds / (rows / 1e6));
                }
                Bench.writeCsv("plain-limits.csv", csv);
            }
        } finally {
            spark.stop();
            ProductVsHandwrittenBench.deleteRecursively(dir);
        }
    }

    private interface Timed {
        void run() throws Exception;
    }

    private static long timed(Timed work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Runs {@code work} over the files on {@link #THREADS} threads, each taking the next file; sums its results. */
    private static long onThreads(List<Path> files, Function<Path, Long> work) throws Exception {
        ConcurrentLinkedQueue<Path> queue = new ConcurrentLinkedQueue<>(files);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(pool.submit(() -> {
                    long sum = 0;
                    for (Path file = queue.poll(); file != null; file = queue.poll()) {
                        sum += work.apply(file);
                    }
                    return sum;
                }));
            }
            long total = 0;
            for (Future<Long> each : done) {
                total += each.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The file's bytes, read through a 1 MiB buffer and nothing else done with them. */
    private static long read(Path file) {
        byte[] buffer = new byte[1 << 20];
        long total = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total;
    }

    /**
     * The file's rows parsed strictly into typed values, those breaking a row rule (quantity within [1, 50],
     * linestatus F or O) left out; with {@code out}, the kept rows are written as Parquet under
     * {@code out/returnflag=X/}, one file per flag. Returns the rows kept.
     */
    private static long parse(Path file, Path out) {
        Map<String, ParquetWriter<Object[]>> writers = new HashMap<>();
        long kept = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8), 1 << 20)) {
            in.readLine();
            String[] fields = new String[14];
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int start = 0;
                for (int i = 0; i < 13; i++) {
                    int comma = line.indexOf(',', start);
                    fields[i] = line.substring(start, comma);
                    start = comma + 1;
                }
                fields[13] = line.substring(start);
                Object[] row = {Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
                    Integer.parseInt(fields[3]), cents(fields[4]), cents(fields[5]), cents(fields[6]), cents(fields[7]),
                    fields[8], fields[9], (int) LocalDate.parse(fields[10]).toEpochDay(),
                    (int) LocalDate.parse(fields[11]).toEpochDay(), (int) LocalDate.parse(fields[12]).toEpochDay(),
                    fields[13]};
                long quantity = (Long) row[4];
                if (quantity < 100 || quantity > 5_000 || !(fields[9].equals("F") || fields[9].equals("O"))) {
                    continue;
                }
                kept++;
                if (out != null) {
                    writers.computeIfAbsent(fields[8], flag -> writer(out.resolve("returnflag=" + flag)
                            .resolve(file.getFileName() + ".snappy.parquet"))).write(row);
                }
            }
            for (ParquetWriter<Object[]> writer : writers.values()) {
                writer.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return kept;
    }

    /** A decimal(12, 2) literal as its unscaled value; refused if it has more decimals or digits. */
    private static long cents(String literal) {
        BigDecimal value = new BigDecimal(literal).setScale(2, RoundingMode.UNNECESSARY);
        if (value.precision() > 12) {
            throw new NumberFormatException(literal + " does not fit decimal(12,2)");
        }
        return value.unscaledValue().longValueExact();
    }

    private static ParquetWriter<Object[]> writer(Path file) {
        try {
            return new RowWriterBuilder(new org.apache.hadoop.fs.Path(file.toUri()))
                    .withCompressionCodec(CompressionCodecName.SNAPPY).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class RowWriterBuilder extends ParquetWriter.Builder<Object[], RowWriterBuilder> {
        RowWriterBuilder(org.apache.hadoop.fs.Path path) {
            super(path);
        }

        @Override
        protected RowWriterBuilder self() {
            return this;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
            return new RowWriteSupport();
        }
    }

    /** A parsed row's values (all but the partition column, index 8) in the Parquet schema's order. */
    private static final class RowWriteSupport extends WriteSupport<Object[]> {
        private RecordConsumer consumer;

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(PARQUET, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(Object[] row) {
            consumer.startMessage();
            int field = 0;
            for (int i = 0; i < row.length; i++) {
                if (i == 8) {
                    continue;
                }
                String name = PARQUET.getFieldName(field);
                consumer.startField(name, field);
                Object value = row[i];
                if (value instanceof Long number) {
                    consumer.addLong(number);
                } else if (value instanceof Integer number) {
                    consumer.addInteger(number);
                } else {
                    consumer.addBinary(Binary.fromString((String) value));
                }
                consumer.endField(name, field);
                field++;
            }
            consumer.endMessage();
        }
    }

    /** Spark's own typed CSV read of the same files and Parquet write, the row rules applied, nothing else. */
    private static void sparkReadWrite(SparkSession spark, Path landing, Path out) {
        spark.read().schema(StructType.fromDDL(ProductVsHandwrittenBench.SCHEMA)).option("header", "true")
                .csv(landing.toString())
                .where(col("quantity").between(1, 50).and(col("linestatus").isin("F", "O")))
                .write().mode(SaveMode.Overwrite).partitionBy("returnflag").parquet(out.toString());
    }

    private static long countParquetRows(SparkSession spark, Path parquet) {
        return spark.read().parquet(parquet.toString()).count();
    }
}
