package dev.mesh.jobs.cli;

import static org.apache.spark.sql.functions.col;

import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.ledger.QualityMetric;
import dev.mesh.runtime.ledger.QualityMetricsTable;
import dev.mesh.runtime.ledger.RunsTable;
import dev.mesh.runtime.run.ProductGraph;
import dev.mesh.spec.ProductId;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesh metrics}: the check results and metrics of a product's latest runs. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Show the quality check results and metrics of a product's latest runs (_platform/quality_metrics).")
final class MetricsCommand implements Callable<Integer> {
    @ParentCommand
    MeshCli cli;

    @Parameters(paramLabel = "DOMAIN.PRODUCT", description = "The product.")
    String product;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "How many recent runs (default: 3).")
    int runs;

    @Override
    public Integer call() {
        try (MeshContext context = cli.context()) {
            ProductId id = new ProductGraph(context.mesh()).resolve(List.of(product)).get(0);
            PlatformTables tables = new PlatformTables(context.verifiedSpark(), context.zones());
            List<Row> latest = tables.read(RunsTable.TABLE)
                    .where(col("domain").equalTo(id.domain()).and(col("product").equalTo(id.name()))
                            .and(col("status").isin(RunStatus.PUBLISHED.name(), RunStatus.GATE_FAILED.name())))
                    .orderBy(col("started_at").desc())
                    .limit(runs)
                    .collectAsList();
            PrintStream out = cli.environment.out();
            if (latest.isEmpty()) {
                out.println("no checked runs of " + id + " yet; run it first: mesh run " + id);
                return 0;
            }
            List<String> runIds = latest.stream().map(r -> (String) r.getAs("run_id")).toList();
            Dataset<Row> metrics = tables.read(QualityMetricsTable.TABLE)
                    .where(col("run_id").isin(runIds.toArray()));
            List<Row> rows = metrics.collectAsList();
            for (Row run : latest) {
                String runId = run.getAs("run_id");
                out.println();
                out.println("run " + runId + "  " + run.getAs("status") + "  started "
                        + RunsCommand.TIME.format(run.getTimestamp(run.fieldIndex("started_at")).toInstant())
                        + " UTC  rows " + run.getAs("rows_out"));
                TextTable constraints = new TextTable("CONSTRAINT", "LEVEL", "STATUS", "METRIC", "VALUE", "MESSAGE");
                TextTable computed = new TextTable("ENTITY", "INSTANCE", "METRIC", "VALUE");
                for (Row row : rows) {
                    if (!runId.equals(row.getAs("run_id"))) {
                        continue;
                    }
                    if (QualityMetric.Kind.CONSTRAINT.column().equals(row.getAs("row_type"))) {
                        constraints.row(row.getAs("constraint"), row.getAs("level"), row.getAs("status"),
                                row.getAs("metric_name"), value(row), RunsCommand.abbreviate(row.getAs("message"), 90));
                    } else {
                        computed.row(row.getAs("entity"), row.getAs("instance"), row.getAs("metric_name"), value(row));
                    }
                }
                constraints.print(out);
                out.println();
                computed.print(out);
            }
        }
        return 0;
    }

    private static String value(Row row) {
        int index = row.fieldIndex("value");
        if (row.isNullAt(index)) {
            return "-";
        }
        double value = row.getDouble(index);
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(java.util.Locale.ROOT, "%.4f", value);
    }
}
