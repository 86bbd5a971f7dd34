package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.spec.model.NearestNames;
import dev.mesh.spec.model.TemplateParameter;
import dev.mesh.spec.spi.TemplateCatalog;
import dev.mesh.spec.spi.TemplateDescriptor;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesh templates}: the templates a product can name in {@code transform}, with their parameters. */
@Command(name = "templates", mixinStandardHelpOptions = true,
        description = "List the templates a product can name in transform.template, with their parameters. "
                + "Does not start Spark.")
final class TemplatesCommand implements Callable<Integer> {
    @ParentCommand
    MeshCli cli;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "Describe only this template.")
    String name;

    @Override
    public Integer call() {
        TemplateCatalog catalog = TemplateCatalog.load();
        List<TemplateDescriptor> shown = catalog.descriptors();
        if (name != null) {
            List<String> names = shown.stream().map(TemplateDescriptor::name).toList();
            shown = List.of(catalog.find(name).orElseThrow(() -> MeshException.invalidInput(
                    "no template '%s'%s (templates: %s)", name, NearestNames.suggestion(name, names),
                    String.join(", ", names))));
        }
        // every descriptor listed has its Spark template: the CLI's extensions were loaded, and checked in pairs, when
        // it started
        PrintStream out = cli.environment.out();
        for (TemplateDescriptor template : shown) {
            out.println(template.name() + ": " + template.summary());
            out.println("  transform: { template: " + template.name() + template.parameters().stream()
                    .filter(TemplateParameter::required).map(p -> ", " + p.name() + ": " + placeholder(p))
                    .collect(Collectors.joining()) + " }");
            if (!template.parameters().isEmpty()) {
                TextTable table = new TextTable("  PARAMETER", "TYPE", "DEFAULT", "MEANING");
                for (TemplateParameter parameter : template.parameters()) {
                    table.row("  " + parameter.name(), parameter.type().specName(), parameter.required()
                            ? "(required)" : parameter.defaultValue() == null ? "(none)"
                            : String.valueOf(parameter.defaultValue()), parameter.doc());
                }
                table.print(out);
            }
            out.println();
        }
        if (name == null) {
            out.print(INPUTS);
        }
        return 0;
    }

    /** What templates read: the kinds of input, each a view of its name. */
    private static final String INPUTS = """
            Inputs (a product's inputs, which templates read by input name):
              files: a source's landing files, each read once by an append or merge product
                { source, format: csv|json|parquet, path, schema, options, encoding, onSchemaMismatch }
                onSchemaMismatch (CSV, Parquet): fail (default) | quarantine | ignoreExtra | evolve (add new columns)
              product: another product's output port, read at its current Delta version
                product: DOMAIN.PRODUCT
              jdbc: a database table or query; connection details from environment variables only
                { urlEnv, userEnv, passwordEnv, table | query, watermark, partitionColumn, numPartitions, fetchSize }
                with watermark, an append or merge product reads only rows above the mark it published

            Start a product from a template: mesh init product DOMAIN.NAME --template T [--input files|jdbc]
            """;

    private static String placeholder(TemplateParameter parameter) {
        return switch (parameter.type()) {
            case STRING_LIST -> "[...]";
            default -> "...";
        };
    }
}
