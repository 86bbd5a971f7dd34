package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.error.PlainMessages;
import dev.mesh.runtime.ledger.PlatformTable;
import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.spark.GuardedSessions;
import dev.mesh.runtime.spark.SparkValues;
import dev.mesh.runtime.sql.SqlGuard;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesh sql}: an ad-hoc query over every domain's products and the platform tables. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run a read-only Spark SQL query with every domain database (DOMAIN.PRODUCT) and platform table "
                + "(platform.runs, platform.quality_metrics, platform.sla_status, platform.usage, platform.feedback) "
                + "registered, and print the result as a table.")
final class SqlCommand implements Callable<Integer> {
    static final String PLATFORM_DATABASE = "platform";

    @ParentCommand
    MeshCli cli;

    @Parameters(paramLabel = "QUERY", description = "A Spark SQL query.")
    String query;

    @Option(names = "--limit", converter = PositiveCount.class, paramLabel = "N",
            defaultValue = "100", description = "At most N rows (default: 100).")
    int limit;

    @Override
    public Integer call() {
        try (MeshContext context = cli.context()) {
            if (context.mesh().domain(PLATFORM_DATABASE).isPresent()) {
                throw MeshException.invalidInput("a domain named '%s' hides the platform tables; rename the domain",
                        PLATFORM_DATABASE);
            }
            context.verifiedSpark();
            SparkSession spark = context.sparkWithCatalog();
            spark.sql("CREATE DATABASE IF NOT EXISTS " + PLATFORM_DATABASE);
            PlatformTables tables = new PlatformTables(spark, context.zones());
            for (PlatformTable<?> table : PlatformTable.all()) {
                if (tables.exists(table)) {
                    spark.sql("CREATE TABLE IF NOT EXISTS " + PLATFORM_DATABASE + "." + table.name() + " USING delta "
                            + "LOCATION '" + tables.path(table) + "'");
                }
            }
            // a session of its own that cannot address files by path or substitute variables; the text must be one
            // read-only query, checked before Spark sees it, and its plan must read only tables
            SparkSession session = GuardedSessions.of(spark);
            Dataset<Row> result;
            try {
                LogicalPlan plan = SqlGuard.requireOneQuery(session.sessionState().sqlParser(), query, "QUERY",
                        "mesh sql only reads");
                result = Dataset.ofRows(session, plan);
                SqlGuard.requireReadOnly(result.queryExecution().analyzed());
            } catch (Exception e) {
                if (e instanceof AnalysisException analysis) {
                    throw MeshException.invalidInput("the query is not valid: %s",
                            PlainMessages.of(analysis.getSimpleMessage(), "no reason given"));
                }
                throw e;
            }
            List<Row> rows = result.limit(limit + 1).collectAsList();
            TextTable table = new TextTable(result.columns());
            rows.stream().limit(limit).forEach(row -> table.row(SparkValues.cells(row)));
            table.print(cli.environment.out());
            cli.environment.out().println(rows.size() > limit ? "(first " + limit + " rows; --limit N for more)"
                    : "(" + rows.size() + " row" + (rows.size() == 1 ? "" : "s") + ")");
        }
        return 0;
    }
}
