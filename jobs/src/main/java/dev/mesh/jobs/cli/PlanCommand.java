package dev.mesh.jobs.cli;

import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.JdbcInputSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductInputSpec;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.validation.ProductGraph;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesh plan}: the product DAG, in waves of products that can run together; no Spark. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print the order products run in: waves of products whose inputs are ready together, and what "
                + "each reads. Does not start Spark.")
final class PlanCommand implements Callable<Integer> {
    @ParentCommand
    MeshCli cli;

    @Parameters(paramLabel = "SELECTOR", arity = "0..*", description = "The products (default: all): DOMAIN.PRODUCT, "
            + "tag:NAME, domain:NAME or state:modified[:GIT_REF]; +P adds what P reads (transitively), "
            + "P+ what reads P.")
    List<String> products = List.of();

    @Option(names = "--all", description = "Every product of the mesh (the default).")
    boolean all;

    @Option(names = "--against-published", description = "Also compare each selected product's declared output with "
            + "what it last published (no Spark): exit 2 when a run would refuse the change.")
    boolean againstPublished;

    @Override
    public Integer call() {
        try (MeshContext context = cli.context()) {
            MeshSpec mesh = context.mesh();
            ProductGraph graph = new ProductGraph(mesh);
            List<ProductId> selected = products.isEmpty() ? graph.all()
                    : graph.select(products, ref -> ModifiedSpecs.since(mesh, ref));
            List<List<ProductId>> waves = graph.waves(selected);
            PrintStream out = cli.environment.out();
            int width = selected.stream().mapToInt(id -> id.toString().length()).max().orElse(0);
            for (int i = 0; i < waves.size(); i++) {
                out.println("wave " + (i + 1) + ":");
                for (ProductId id : waves.get(i)) {
                    ProductSpec product = mesh.product(id).orElseThrow();
                    out.println("  " + pad(id.toString(), width) + "  <- " + String.join(", ",
                            product.inputs().stream().map(PlanCommand::describe).toList()));
                }
            }
            int widest = waves.stream().mapToInt(List::size).max().orElse(0);
            out.println(selected.size() + " products in " + waves.size() + " waves; at most " + widest
                    + " can run at once (mesh run --all --parallel " + widest + ")");
            if (againstPublished && PublishedCompatibility.report(context, mesh, selected, out)) {
                return 2;
            }
        }
        return 0;
    }

    private static String describe(InputSpec input) {
        if (input instanceof FileInputSpec files) {
            return "files of " + files.source() + " (" + files.format().name().toLowerCase(java.util.Locale.ROOT) + ")";
        }
        if (input instanceof JdbcInputSpec jdbc) {
            return "database " + jdbc.reference() + jdbc.watermark().map(column -> " (new rows by " + column + ")")
                    .orElse("");
        }
        return ((ProductInputSpec) input).product().toString();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
