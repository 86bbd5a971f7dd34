package dev.mesh.jobs.examples;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.SourceSpec;
import io.trino.tpch.Customer;
import io.trino.tpch.CustomerGenerator;
import io.trino.tpch.Distributions;
import io.trino.tpch.GenerateUtils;
import io.trino.tpch.LineItem;
import io.trino.tpch.LineItemGenerator;
import io.trino.tpch.Nation;
import io.trino.tpch.NationGenerator;
import io.trino.tpch.Order;
import io.trino.tpch.OrderGenerator;
import io.trino.tpch.Region;
import io.trino.tpch.RegionGenerator;
import io.trino.tpch.TextPool;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Plays the source systems of the example mesh: drops real TPC-H data (from the {@code io.trino.tpch} generator) into
 * the landing folders of the sources the example domains declare, as CSV, JSON lines and Parquet. The ERP's order
 * export carries a few broken lines on purpose, to show quarantine. Files already there are left alone, so seeding
 * twice changes nothing.
 */
public final class TpchLandingSeeder {
    /** Lines of the order export that do not parse as the declared schema. */
    static final List<String> BROKEN_ORDER_LINES = List.of(
            "not-a-number,370,O,172799.49,1996-01-02,5-LOW,Clerk#000000951,0,broken key",
            "7000001,370,O,lots,1996-01-02,5-LOW,Clerk#000000951,0,broken price",
            "7000002,370,O,1000.00,yesterday,5-LOW,Clerk#000000951,0,broken date");

    private static final int FULL_TEXT_POOL = 300 * 1024 * 1024;
    private static final int MIN_TEXT_POOL = 4 * 1024 * 1024;
    private static final Distributions DISTRIBUTIONS = Distributions.getDefaultDistributions();

    private final SparkSession spark;
    private final ZoneLayout zones;
    private final double scaleFactor;
    private TextPool textPool;

    public TpchLandingSeeder(SparkSession spark, ZoneLayout zones, double scaleFactor) {
        this.spark = requireNonNull(spark, "spark is null");
        this.zones = requireNonNull(zones, "zones is null");
        this.scaleFactor = scaleFactor;
    }

    /** The text comments are drawn from, built on first use (not when every file is already there). */
    private TextPool textPool() {
        if (textPool == null) {
            textPool = new TextPool(textPoolSize(scaleFactor), DISTRIBUTIONS);
        }
        return textPool;
    }

    /**
     * The size of the text the generators draw comments from: TPC-H's 300 MB at scale factor 1 and above (its
     * specification's pool), less below (a 4 MB floor): building the full pool takes seconds that a small seed does
     * not need. Comments are the only text that depends on it.
     */
    static int textPoolSize(double scaleFactor) {
        return (int) Math.max(MIN_TEXT_POOL, Math.min(FULL_TEXT_POOL, scaleFactor * FULL_TEXT_POOL));
    }

    /** Seeds every source of the mesh this seeder knows; returns one line per file written or kept. */
    public List<String> seed(MeshSpec mesh) {
        List<String> report = new ArrayList<>();
        for (DomainSpec domain : mesh.domains()) {
            for (SourceSpec source : domain.sources()) {
                String folder = zones.landing(domain.name(), source.landing(), "");
                String written = switch (source.name()) {
                    case "crm.customers" -> text(folder + "/customers.csv", this::customers);
                    case "crm.customer_changes" -> text(folder + "/customer_changes.csv", this::customerChanges);
                    case "erp.orders" -> text(folder + "/orders.csv", this::orders);
                    case "erp.lineitems" -> text(folder + "/lineitems.json", this::lineItems);
                    case "reference.regions" -> text(folder + "/regions.json", this::regions);
                    case "reference.nations" -> nations(folder + "/nations.parquet");
                    default -> null;
                };
                if (written != null) {
                    report.add(source.name() + " -> " + written);
                }
            }
        }
        return report;
    }

    private interface Content {
        void write(Writer out) throws IOException;
    }

    private String text(String file, Content content) {
        Path path = new Path(file);
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(path)) {
                return file + " (already there)";
            }
            Path partial = new Path(path.getParent(), "." + path.getName() + ".partial");
            try (Writer out = new BufferedWriter(new OutputStreamWriter(fs.create(partial, true),
                    StandardCharsets.UTF_8), 1 << 16)) {
                content.write(out);
            }
            if (!fs.rename(partial, path)) {
                throw new IOException("cannot rename " + partial + " to " + path);
            }
            return file;
        } catch (IOException e) {
            throw MeshException.infrastructure("cannot seed " + file + ": " + e.getMessage(), e);
        }
    }

    private void customers(Writer out) throws IOException {
        out.write("custkey,name,address,nationkey,phone,acctbal,mktsegment,comment\n");
        for (Customer c : new CustomerGenerator(scaleFactor, 1, 1, DISTRIBUTIONS, textPool())) {
            out.write(c.getCustomerKey() + "," + csv(c.getName()) + "," + csv(c.getAddress()) + "," + c.getNationKey()
                    + "," + c.getPhone() + "," + GenerateUtils.formatMoney(c.getAccountBalanceInCents()) + ","
                    + c.getMarketSegment() + "," + csv(c.getComment()) + "\n");
        }
    }

    /**
     * The CRM's change log of its customers, as change data capture delivers it: an insert per customer, updates
     * (a new segment and balance) for every fifth, deletes for every eleventh, replayed inserts for every seventh,
     * and for every third customer its later events written before its insert.
     */
    private void customerChanges(Writer out) throws IOException {
        out.write("custkey,name,nationkey,acctbal,mktsegment,op,changed_at\n");
        List<String> segments = List.of("AUTOMOBILE", "BUILDING", "FURNITURE", "HOUSEHOLD", "MACHINERY");
        java.time.LocalDateTime start = java.time.LocalDateTime.of(2026, 1, 1, 0, 0);
        for (Customer c : new CustomerGenerator(scaleFactor, 1, 1, DISTRIBUTIONS, textPool())) {
            long key = c.getCustomerKey();
            String insert = key + "," + csv(c.getName()) + "," + c.getNationKey() + ","
                    + GenerateUtils.formatMoney(c.getAccountBalanceInCents()) + "," + c.getMarketSegment() + ",I,"
                    + start.plusMinutes(key) + "\n";
            StringBuilder later = new StringBuilder();
            if (key % 5 == 0) {
                String segment = segments.get((segments.indexOf(c.getMarketSegment()) + 1) % segments.size());
                later.append(key).append(',').append(csv(c.getName())).append(',').append(c.getNationKey()).append(',')
                        .append(GenerateUtils.formatMoney(c.getAccountBalanceInCents() + 10_000)).append(',')
                        .append(segment).append(",U,").append(start.plusDays(1).plusMinutes(key)).append('\n');
            }
            if (key % 11 == 0) {
                later.append(key).append(",,,,,D,").append(start.plusDays(2).plusMinutes(key)).append('\n');
            }
            if (key % 3 == 0) {
                out.write(later + insert);
            } else {
                out.write(insert + later);
            }
            if (key % 7 == 0) {
                out.write(insert);
            }
        }
    }

    private void orders(Writer out) throws IOException {
        out.write("orderkey,custkey,orderstatus,totalprice,orderdate,orderpriority,clerk,shippriority,comment\n");
        int line = 0;
        for (Order o : new OrderGenerator(scaleFactor, 1, 1, DISTRIBUTIONS, textPool())) {
            out.write(o.getOrderKey() + "," + o.getCustomerKey() + "," + o.getOrderStatus() + ","
                    + GenerateUtils.formatMoney(o.getTotalPriceInCents()) + "," + GenerateUtils.formatDate(o.getOrderDate())
                    + "," + o.getOrderPriority() + "," + o.getClerk() + "," + o.getShipPriority() + ","
                    + csv(o.getComment()) + "\n");
            line++;
            if (line % 100 == 0 && line / 100 <= BROKEN_ORDER_LINES.size()) {
                out.write(BROKEN_ORDER_LINES.get(line / 100 - 1) + "\n");
            }
        }
    }

    private void lineItems(Writer out) throws IOException {
        for (LineItem l : new LineItemGenerator(scaleFactor, 1, 1, DISTRIBUTIONS, textPool())) {
            out.write("{\"orderkey\":" + l.getOrderKey() + ",\"partkey\":" + l.getPartKey() + ",\"suppkey\":"
                    + l.getSupplierKey() + ",\"linenumber\":" + l.getLineNumber() + ",\"quantity\":" + l.getQuantity()
                    + ",\"extendedprice\":" + GenerateUtils.formatMoney(l.getExtendedPriceInCents())
                    + ",\"discount\":" + String.format(Locale.ROOT, "%.2f", l.getDiscountPercent() / 100.0)
                    + ",\"tax\":" + String.format(Locale.ROOT, "%.2f", l.getTaxPercent() / 100.0)
                    + ",\"returnflag\":\"" + l.getReturnFlag() + "\",\"linestatus\":\"" + l.getStatus()
                    + "\",\"shipdate\":\"" + GenerateUtils.formatDate(l.getShipDate())
                    + "\",\"commitdate\":\"" + GenerateUtils.formatDate(l.getCommitDate())
                    + "\",\"receiptdate\":\"" + GenerateUtils.formatDate(l.getReceiptDate())
                    + "\",\"shipmode\":\"" + l.getShipMode() + "\"}\n");
        }
    }

    private void regions(Writer out) throws IOException {
        for (Region r : new RegionGenerator(DISTRIBUTIONS, textPool())) {
            out.write("{\"regionkey\":" + r.getRegionKey() + ",\"name\":\"" + r.getName() + "\",\"comment\":\""
                    + r.getComment() + "\"}\n");
        }
    }

    private String nations(String folder) {
        Path path = new Path(folder);
        try {
            if (path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path)) {
                return folder + " (already there)";
            }
        } catch (IOException e) {
            throw MeshException.infrastructure("cannot seed " + folder + ": " + e.getMessage(), e);
        }
        List<Row> rows = new ArrayList<>();
        for (Nation n : new NationGenerator(DISTRIBUTIONS, textPool())) {
            rows.add(RowFactory.create(n.getNationKey(), n.getName(), n.getRegionKey(), n.getComment()));
        }
        StructType schema = new StructType()
                .add("nationkey", DataTypes.LongType)
                .add("name", DataTypes.StringType)
                .add("regionkey", DataTypes.LongType)
                .add("comment", DataTypes.StringType);
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(folder);
        return folder;
    }

    private static String csv(String value) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }
}
