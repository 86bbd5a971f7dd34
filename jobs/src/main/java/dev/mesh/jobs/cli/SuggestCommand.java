package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.quality.suggest.RuleSuggester;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.spi.SqlSyntax;
import dev.mesh.spec.validation.ColumnFlow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesh suggest}: quality rules for data, profiled with Deequ, in spec syntax, checked to pass on it. */
@Command(name = "suggest", mixinStandardHelpOptions = true,
        description = "Profile data with Deequ and print quality rules in this project's spec syntax, ready to paste "
                + "into a product file; every rule printed passes on the data it came from.")
final class SuggestCommand implements Callable<Integer> {
    private static final Set<CheckSpec.CheckKind> VALUE_RULES = Set.of(CheckSpec.CheckKind.ALLOWED_VALUES,
            CheckSpec.CheckKind.MIN, CheckSpec.CheckKind.MAX);
    @ParentCommand
    MeshCli cli;

    @Parameters(paramLabel = "PATH|DOMAIN.PRODUCT",
            description = "A published product, or files: a CSV (with a header), JSON lines or Parquet file or "
                    + "folder, or a Delta table.")
    String source;

    @Option(names = "--format", paramLabel = "csv|json|parquet|delta",
            description = "The format of PATH (default: from its extension; a folder with _delta_log is Delta).")
    String format;

    @Override
    public Integer call() {
        try (MeshContext context = cli.context()) {
            ProductId product = ProductId.parse(source);
            boolean isProduct = product != null && !Files.exists(Path.of(source))
                    && context.load().mesh().flatMap(m -> m.product(product)).isPresent();
            SparkSession spark = isProduct || context.hasPlatform() ? context.spark() : context.defaultSpark();
            Dataset<Row> data = isProduct ? published(context, spark, product) : files(spark);
            RuleSuggester.Suggestion suggestion = RuleSuggester.suggest(data);
            List<CheckSpec> checks = suggestion.checks();
            Set<String> sensitive = isProduct ? sensitiveColumns(context.mesh(), product) : Set.of();
            // a rule that names values of personal data would print them: such rules are left out
            List<CheckSpec> shown = checks.stream().filter(check -> !VALUE_RULES.contains(check.kind())
                    || check.columns().stream().noneMatch(c -> sensitive.contains(c.toLowerCase(Locale.ROOT))))
                    .toList();
            cli.environment.out().printf(Locale.ROOT, "# %d rules that pass on the %d rows of %s%n",
                    shown.size(), suggestion.rows(), source);
            if (shown.size() < checks.size()) {
                cli.environment.out().printf(Locale.ROOT, "# %d rules on values of personal data or protected "
                        + "columns (%s) are left out: they would print those values%n", checks.size() - shown.size(),
                        String.join(", ", new java.util.TreeSet<>(sensitive)));
            }
            cli.environment.out().print(RuleSuggester.yaml(shown));
        }
        return 0;
    }

    /** The product's columns that hold personal data or are protected, declared or by derivation. */
    private static Set<String> sensitiveColumns(MeshSpec mesh, ProductId id) {
        ProductSpec product = mesh.product(id).orElseThrow();
        ColumnFlow flow = new ColumnFlow(mesh.products(), SqlSyntax.load());
        Set<String> sensitive = new java.util.HashSet<>();
        for (ColumnSpec column : product.output().schema()) {
            if (column.protection() != ColumnSpec.Protection.NONE || flow.piiPath(id, column.name()).isPresent()) {
                sensitive.add(column.name().toLowerCase(Locale.ROOT));
            }
        }
        return sensitive;
    }

    private static Dataset<Row> published(MeshContext context, SparkSession spark, ProductId product) {
        String path = context.zones().product(product);
        if (!DeltaTables.exists(spark, path)) {
            throw MeshException.invalidInput("%s has not been published yet; run it first: mesh run %s", product,
                    product);
        }
        return spark.read().format("delta").load(path);
    }

    private Dataset<Row> files(SparkSession spark) {
        Path path = Path.of(source);
        String chosen = format != null ? format.toLowerCase(Locale.ROOT) : detect(path);
        return switch (chosen) {
            case "csv" -> spark.read().option("header", "true").option("inferSchema", "true").csv(source);
            case "json" -> spark.read().json(source);
            case "parquet" -> spark.read().parquet(source);
            case "delta" -> spark.read().format("delta").load(source);
            default -> throw MeshException.invalidInput("--format: '%s' is not a format; allowed: csv, json, parquet, "
                    + "delta", chosen);
        };
    }

    private String detect(Path path) {
        String name = path.getFileName() == null ? source : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(path.resolve("_delta_log"))) {
            return "delta";
        }
        if (name.endsWith(".csv")) {
            return "csv";
        }
        if (name.endsWith(".json") || name.endsWith(".jsonl")) {
            return "json";
        }
        if (name.endsWith(".parquet")) {
            return "parquet";
        }
        if (!Files.exists(path) && !source.contains("://")) {
            throw MeshException.invalidInput("%s is neither a product of the mesh nor a file or folder", source);
        }
        throw MeshException.invalidInput("cannot tell the format of %s; pass --format csv|json|parquet|delta", source);
    }
}
