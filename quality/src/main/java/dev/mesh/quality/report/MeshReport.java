package dev.mesh.quality.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import dev.mesh.error.MeshException;
import dev.mesh.error.Secrets;
import dev.mesh.quality.feedback.FeedbackSummary;
import dev.mesh.quality.feedback.FeedbackTable;
import dev.mesh.quality.sla.SlaMonitor;
import dev.mesh.quality.sla.SlaStatus;
import dev.mesh.quality.sla.SlaStatusTable;
import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.ledger.QualityMetric;
import dev.mesh.runtime.ledger.QualityMetricsTable;
import dev.mesh.runtime.ledger.RunsTable;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.contract.OdcsExport;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The mesh's report, assembled from the platform tables: per domain and product the SLA as evaluated now, the latest
 * check results, the last {@link #HISTORY} runs (rows, quarantine rate, quality score, duration), consumer feedback,
 * and each product's ODCS contract next to it. {@code mesh report} writes it; the server will serve it.
 */
public final class MeshReport {
    /** SLA evaluations shown on its charts. */
    static final int SLA_HISTORY = 30;

    /** Runs shown on each chart. */
    public static final int HISTORY = 30;

    /** Where the report's front page was written, and how many products it covers. */
    public record Written(Path index, int products) {}

    private MeshReport() {}

    /** Writes the report under {@code out}: index.html, catalog.html and contracts/; the platform tables must exist. */
    public static Written write(MeshSpec mesh, PlatformTables tables, ZoneLayout zones, Clock clock, Path out) {
        List<ProductSpec> products = mesh.products().stream()
                .sorted(Comparator.comparing(p -> p.id().toString())).toList();
        Map<ProductId, SlaStatus> sla = new HashMap<>();
        new SlaMonitor(tables.direct(), clock).evaluate(products).statuses()
                .forEach(s -> sla.put(s.product(), s));
        History history = History.read(tables);
        Map<ProductId, FeedbackSummary> feedback = FeedbackTable.summaries(tables.read(FeedbackTable.TABLE),
                HtmlReport.FEEDBACK_SHOWN);
        Map<String, List<ProductReport>> byDomain = new LinkedHashMap<>();
        for (ProductSpec product : products.stream().sorted(Comparator.comparing(ProductSpec::domain)).toList()) {
            List<Row> recent = history.runs().getOrDefault(product.id(), List.of());
            List<ProductReport.RunPoint> points = recent.stream().map(r -> point(r, history.quarantineRates()))
                    .toList();
            List<ProductReport.Check> latest = recent.stream().filter(MeshReport::checked)
                    .reduce((a, b) -> b).map(r -> history.checks().getOrDefault(r.<String>getAs("run_id"),
                            List.<ProductReport.Check>of())).orElse(List.of());
            byDomain.computeIfAbsent(product.domain(), k -> new ArrayList<>()).add(new ProductReport(product,
                    sla.get(product.id()), latest, points, feedback.getOrDefault(product.id(), FeedbackSummary.NONE),
                    history.sla().getOrDefault(product.id(), List.of()), tableRows(tables, product.id())));
        }
        Map<ProductId, String> locations = new HashMap<>();
        Map<ProductId, String> contracts = new HashMap<>();
        for (ProductSpec product : products) {
            String location = zones.product(product.id());
            locations.put(product.id(), location);
            String contract = "contracts/" + product.id() + ".odcs.yaml";
            writeContract(out.resolve(contract), OdcsExport.yaml(OdcsExport.contract(product,
                    mesh.domain(product.domain()).orElseThrow(), OdcsExport.Server.of(mesh.platform(), location))));
            contracts.put(product.id(), contract);
        }
        return new Written(HtmlReport.write(out, mesh, byDomain, locations, contracts, clock.instant()),
                products.size());
    }

    /**
     * The last {@link #HISTORY} published or blocked runs of each product (oldest first), their quarantine rates, and
     * the check results of each product's latest one: chosen in Spark, so the driver holds products x HISTORY rows
     * whatever the size of the tables.
     */
    private record History(Map<ProductId, List<Row>> runs, Map<String, Double> quarantineRates,
            Map<String, List<ProductReport.Check>> checks, Map<ProductId, List<ProductReport.SlaPoint>> sla) {
        static History read(PlatformTables tables) {
            // every run but a skipped one: runs that published nothing are shown as such, not left out
            Dataset<Row> recentRuns = tables.read(RunsTable.TABLE)
                    .where(col("status").notEqual(RunStatus.SKIPPED.name()))
                    .withColumn("recency", row_number().over(Window.partitionBy("domain", "product")
                            .orderBy(col("started_at").desc())))
                    .where(col("recency").leq(HISTORY));
            Dataset<Row> checkedRuns = tables.read(RunsTable.TABLE)
                    .where(col("status").isin(RunStatus.PUBLISHED.name(), RunStatus.GATE_FAILED.name(),
                            RunStatus.CHECKED.name()))
                    .withColumn("recency", row_number().over(Window.partitionBy("domain", "product")
                            .orderBy(col("started_at").desc())))
                    .where(col("recency").equalTo(1));
            Dataset<Row> metrics = tables.read(QualityMetricsTable.TABLE);
            Map<String, Double> quarantineRates = new HashMap<>();
            metrics.where(col("metric_name").equalTo("QuarantineRate"))
                    .join(recentRuns.select("run_id"), "run_id").select("run_id", "value").collectAsList()
                    .stream().filter(row -> !row.isNullAt(1))
                    .forEach(row -> quarantineRates.put(row.getString(0), row.getDouble(1)));
            Map<String, List<ProductReport.Check>> checks = new HashMap<>();
            for (Row row : metrics.where(col("row_type").equalTo(QualityMetric.Kind.CONSTRAINT.column()))
                    .join(checkedRuns.select("run_id"), "run_id").collectAsList()) {
                checks.computeIfAbsent(row.getAs("run_id"), k -> new ArrayList<>()).add(new ProductReport.Check(
                        row.getAs("constraint"), row.getAs("level"),
                        QualityMetric.Outcome.PASSED.column().equals(row.getAs("status")), row.getAs("metric_name"),
                        row.getAs("value"), row.getAs("message")));
            }
            Map<ProductId, List<ProductReport.SlaPoint>> sla = new HashMap<>();
            if (tables.exists(SlaStatusTable.TABLE)) {
                for (Row row : tables.read(SlaStatusTable.TABLE)
                        .withColumn("recency", row_number().over(Window.partitionBy("domain", "product")
                                .orderBy(col("evaluated_at").desc())))
                        .where(col("recency").leq(SLA_HISTORY)).orderBy("evaluated_at").collectAsList()) {
                    sla.computeIfAbsent(new ProductId(row.getAs("domain"), row.getAs("product")),
                            k -> new ArrayList<>()).add(new ProductReport.SlaPoint(
                                    row.getTimestamp(row.fieldIndex("evaluated_at")).toInstant(), row.getAs("status"),
                                    row.isNullAt(row.fieldIndex("freshness_s")) ? null : row.getAs("freshness_s"),
                                    row.getList(row.fieldIndex("reasons"))));
                }
            }
            return new History(group(recentRuns.orderBy("started_at").collectAsList()), quarantineRates, checks,
                    sla);
        }
    }

    private static ProductReport.RunPoint point(Row run, Map<String, Double> quarantineRates) {
        long passed = run.getAs("checks_passed");
        long failed = run.getAs("checks_failed");
        long out = run.getAs("rows_out");
        long quarantined = run.getAs("rows_quarantined");
        double rate = quarantineRates.getOrDefault(run.<String>getAs("run_id"),
                out + quarantined == 0 ? 0.0 : (double) quarantined / (out + quarantined));
        return new ProductReport.RunPoint(run.getTimestamp(run.fieldIndex("started_at")).toInstant(),
                run.getAs("status"), out, rate, passed + failed == 0 ? null : (double) passed / (passed + failed),
                run.<Long>getAs("duration_ms") / 1000.0);
    }

    private static boolean checked(Row run) {
        String status = run.getAs("status");
        return status.equals(RunStatus.PUBLISHED.name()) || status.equals(RunStatus.GATE_FAILED.name())
                || status.equals(RunStatus.CHECKED.name());
    }

    /** The product's rows now, from its files' statistics; null when unknown (no table yet, or no statistics). */
    private static Long tableRows(PlatformTables tables, ProductId product) {
        try {
            return tables.direct().productRows(product).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void writeContract(Path file, String yaml) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Secrets.redact(yaml));
        } catch (IOException e) {
            throw MeshException.invalidInput("cannot write %s: %s", file, e.getMessage());
        }
    }

    private static Map<ProductId, List<Row>> group(List<Row> runs) {
        Map<ProductId, List<Row>> grouped = new HashMap<>();
        runs.forEach(r -> grouped.computeIfAbsent(new ProductId(r.getAs("domain"), r.getAs("product")),
                k -> new ArrayList<>()).add(r));
        return grouped;
    }

}
