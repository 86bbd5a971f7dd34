package dev.mesh.jobs.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import dev.mesh.runtime.result.RunStatus;
import dev.mesh.quality.report.HtmlReport;
import dev.mesh.quality.report.ProductReport;
import dev.mesh.quality.sla.SlaMonitor;
import dev.mesh.quality.sla.SlaStatus;
import dev.mesh.quality.feedback.FeedbackSummary;
import dev.mesh.quality.feedback.FeedbackTable;
import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.ledger.QualityMetric;
import dev.mesh.runtime.ledger.QualityMetricsTable;
import dev.mesh.runtime.ledger.RunsTable;
import dev.mesh.spec.MeshSpec;
import dev.mesh.spec.ProductId;
import dev.mesh.spec.ProductSpec;
import dev.mesh.spec.contract.OdcsExport;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mesh report}: a self-contained HTML report of every product's SLA, checks, history and feedback. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a self-contained HTML report (no network needed to view it): per domain and product, the "
                + "SLA status, the latest check results, charts of rows published, quarantine rate and quality score "
                + "over the runs, and consumer feedback.")
final class ReportCommand implements Callable<Integer> {
    /** Runs shown on each chart. */
    static final int HISTORY = 30;

    @ParentCommand
    MeshCli cli;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write index.html into.")
    Path out;

    @Override
    public Integer call() {
        try (MeshContext context = cli.context()) {
            MeshSpec mesh = context.mesh();
            PlatformTables tables = new PlatformTables(context.verifiedSpark(), context.zones());
            context.provision(false);
            List<ProductSpec> products = mesh.products().stream()
                    .sorted(Comparator.comparing(p -> p.id().toString())).toList();
            Map<ProductId, SlaStatus> sla = new HashMap<>();
            new SlaMonitor(tables.direct(), cli.environment.clock()).evaluate(products).statuses()
                    .forEach(s -> sla.put(s.product(), s));

            // the last HISTORY runs of each product, and of quality_metrics only the rows the report shows: chosen in
            // Spark, so the driver holds products x HISTORY rows whatever the size of the tables
            Dataset<Row> recentRuns = tables.read(RunsTable.TABLE)
                    .where(col("status").isin(RunStatus.PUBLISHED.name(), RunStatus.GATE_FAILED.name()))
                    .withColumn("recency", row_number().over(Window.partitionBy("domain", "product")
                            .orderBy(col("started_at").desc())))
                    .where(col("recency").leq(HISTORY));
            Map<ProductId, List<Row>> runs = group(recentRuns.orderBy("started_at").collectAsList());
            Dataset<Row> metrics = tables.read(QualityMetricsTable.TABLE);
            Map<String, Double> quarantineRates = new HashMap<>();
            metrics.where(col("metric_name").equalTo("QuarantineRate"))
                    .join(recentRuns.select("run_id"), "run_id").select("run_id", "value").collectAsList()
                    .stream().filter(row -> !row.isNullAt(1))
                    .forEach(row -> quarantineRates.put(row.getString(0), row.getDouble(1)));
            Map<String, List<ProductReport.Check>> checks = new HashMap<>();
            for (Row row : metrics.where(col("row_type").equalTo(QualityMetric.Kind.CONSTRAINT.column()))
                    .join(recentRuns.where(col("recency").equalTo(1)).select("run_id"), "run_id").collectAsList()) {
                checks.computeIfAbsent(row.getAs("run_id"), k -> new ArrayList<>()).add(new ProductReport.Check(
                        row.getAs("constraint"), row.getAs("level"), QualityMetric.Outcome.PASSED.column().equals(row.getAs("status")),
                        row.getAs("metric_name"), row.getAs("value"), row.getAs("message")));
            }
            Map<ProductId, FeedbackSummary> feedback = FeedbackTable.summaries(tables.read(FeedbackTable.TABLE),
                    HtmlReport.FEEDBACK_SHOWN);

            Map<String, List<ProductReport>> byDomain = new LinkedHashMap<>();
            for (ProductSpec product : products) {
                List<Row> recent = runs.getOrDefault(product.id(), List.of());
                List<ProductReport.RunPoint> points = recent.stream().map(r -> point(r, quarantineRates)).toList();
                List<ProductReport.Check> latest = recent.isEmpty() ? List.of()
                        : checks.getOrDefault(recent.get(recent.size() - 1).<String>getAs("run_id"), List.of());
                byDomain.computeIfAbsent(product.domain(), k -> new ArrayList<>()).add(new ProductReport(product,
                        sla.get(product.id()), latest, points, feedback.getOrDefault(product.id(), FeedbackSummary.NONE)));
            }
            Map<String, List<ProductReport>> sorted = new LinkedHashMap<>();
            byDomain.keySet().stream().sorted().forEach(d -> sorted.put(d, byDomain.get(d)));
            Map<ProductId, String> locations = new HashMap<>();
            Map<ProductId, String> contracts = new HashMap<>();
            for (ProductSpec product : products) {
                String location = context.zones().product(product.id());
                locations.put(product.id(), location);
                String contract = "contracts/" + product.id() + ".odcs.yaml";
                writeContract(out.resolve(contract), OdcsExport.yaml(OdcsExport.contract(product,
                        mesh.domain(product.domain()).orElseThrow(), OdcsExport.Server.of(mesh.platform(),
                                location))));
                contracts.put(product.id(), contract);
            }
            Path file = HtmlReport.write(out, mesh, sorted, locations, contracts, cli.environment.clock().instant());
            cli.environment.out().println("report written to " + file.toAbsolutePath() + " (" + products.size()
                    + " products), with the product catalog (" + "catalog.html" + ") and each product's ODCS "
                    + "contract under contracts/");
        }
        return 0;
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

    private static void writeContract(Path file, String yaml) {
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.writeString(file, dev.mesh.runtime.storage.Secrets.redact(yaml));
        } catch (java.io.IOException e) {
            throw dev.mesh.error.MeshException.invalidInput("cannot write %s: %s", file, e.getMessage());
        }
    }

    private static Map<ProductId, List<Row>> group(List<Row> runs) {
        Map<ProductId, List<Row>> grouped = new HashMap<>();
        runs.forEach(r -> grouped.computeIfAbsent(new ProductId(r.getAs("domain"), r.getAs("product")),
                k -> new ArrayList<>()).add(r));
        return grouped;
    }

}
