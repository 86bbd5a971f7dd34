package dev.mesh.jobs.cli;

import dev.mesh.runtime.ledger.DirectPlatformTables;
import dev.mesh.runtime.ledger.LedgerRow;
import dev.mesh.runtime.ledger.QualityMetric;
import dev.mesh.runtime.ledger.QualityMetricsTable;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.validation.ProductGraph;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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

    @Option(names = "--runs", converter = PositiveCount.class, paramLabel = "N",
            defaultValue = "3", description = "How many recent runs (default: 3).")
    int runs;

    @Override
    public Integer call() {
        try (MeshContext context = cli.context()) {
            ProductId id = new ProductGraph(context.mesh()).resolve(List.of(product)).get(0);
            DirectPlatformTables tables = context.directTables();
            Set<String> checked = Set.of(RunStatus.PUBLISHED.name(), RunStatus.GATE_FAILED.name());
            List<LedgerRow> latest = RunsCommand.latest(tables, row -> id.domain()
                    .equals(row.string("domain")) && id.name().equals(row.string("product"))
                    && checked.contains(row.string("status")), runs);
            PrintStream out = cli.environment.out();
            if (latest.isEmpty()) {
                out.println("no checked runs of " + id + " yet; run it first: mesh run " + id);
                return 0;
            }
            Set<String> runIds = latest.stream().map(r -> r.string("run_id")).collect(Collectors.toSet());
            List<LedgerRow> rows = tables.rows(QualityMetricsTable.TABLE, row -> runIds.contains(row.string("run_id")));
            for (LedgerRow run : latest) {
                String runId = run.string("run_id");
                out.println();
                out.println("run " + runId + "  " + run.string("status") + "  started "
                        + RunsCommand.TIME.format(run.instant("started_at")) + " UTC  rows " + run.number("rows_out"));
                TextTable constraints = new TextTable("CONSTRAINT", "LEVEL", "STATUS", "METRIC", "VALUE", "MESSAGE");
                TextTable computed = new TextTable("ENTITY", "INSTANCE", "METRIC", "VALUE");
                for (LedgerRow row : rows) {
                    if (!runId.equals(row.string("run_id"))) {
                        continue;
                    }
                    if (QualityMetric.Kind.CONSTRAINT.column().equals(row.string("row_type"))) {
                        constraints.row(row.string("constraint"), row.string("level"), row.string("status"),
                                row.string("metric_name"), value(row), RunsCommand.abbreviate(row.string("message"),
                                        90));
                    } else {
                        computed.row(row.string("entity"), row.string("instance"), row.string("metric_name"),
                                value(row));
                    }
                }
                constraints.print(out);
                out.println();
                computed.print(out);
            }
        }
        return 0;
    }

    private static String value(LedgerRow row) {
        Double value = row.decimal("value");
        if (value == null) {
            return "-";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString(value.longValue())
                : String.format(java.util.Locale.ROOT, "%.4f", value);
    }
}
