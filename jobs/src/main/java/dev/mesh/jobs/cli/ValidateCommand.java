package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.spec.SpecLoad;
import dev.mesh.spec.SpecLoader;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.SpecProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesh validate}: every spec of the mesh (or the files named), checked together, without Spark. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Validate the platform, every domain and product (or only the files named), and with "
                + "--against-published their outputs against what they last published. Does not start Spark.")
final class ValidateCommand implements Callable<Integer> {
    @ParentCommand
    MeshCli cli;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Spec files of the mesh to report on (default: all of them).")
    List<Path> files = List.of();

    @Option(names = "--against-published", description = "Also compare each product's declared output with what it "
            + "last published (read from its Delta log, no Spark): exit 2 when a change breaks the published schema "
            + "under the same major version, or drops a major that consumers still pin.")
    boolean againstPublished;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        try (MeshContext context = cli.context()) {
            return validate(context, start);
        }
    }

    private int validate(MeshContext context, long start) {
        SpecLoad load = context.load();
        SpecLoader names = SpecLoader.create();
        List<String> wanted = files.stream().map(names::display).toList();
        for (String file : wanted) {
            if (!load.files().contains(file)) {
                throw MeshException.invalidInput("%s is not a spec of this mesh; domains live in "
                        + "<domains>/<domain>/domain.yaml and products in <domains>/<domain>/products/", file);
            }
        }
        List<SpecProblem> problems = load.problems().stream()
                .filter(p -> wanted.isEmpty() || wanted.contains(p.file()))
                .toList();
        double millis = (System.nanoTime() - start) / 1e6;
        if (!problems.isEmpty()) {
            problems.forEach(cli.environment.out()::println);
            cli.environment.out().printf(Locale.ROOT, "%d problem%s found (%.0f ms)%n", problems.size(),
                    problems.size() == 1 ? "" : "s", millis);
            return 2;
        }
        PoliciesCommand.warnings(load.policies(), wanted).forEach(cli.environment.out()::println);
        MeshSpec mesh = load.mesh().orElseThrow();
        if (againstPublished) {
            List<ProductId> products = mesh.products().stream()
                    .filter(p -> wanted.isEmpty() || wanted.contains(names.display(p.file())))
                    .map(ProductSpec::id).toList();
            if (PublishedCompatibility.report(context, mesh, products, cli.environment.out())) {
                return 2;
            }
            millis = (System.nanoTime() - start) / 1e6;
        }
        if (!wanted.isEmpty()) {
            cli.environment.out().printf(Locale.ROOT, "valid: %s (%.0f ms)%n", String.join(", ", wanted), millis);
        } else {
            cli.environment.out().printf(Locale.ROOT, "valid: platform %s: %d domains, %d products, %d files "
                    + "(%.0f ms)%n", mesh.platform().name(), mesh.domains().size(), mesh.products().size(),
                    load.files().size(), millis);
        }
        return 0;
    }
}
