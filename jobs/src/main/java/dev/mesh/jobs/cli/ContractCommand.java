package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.spec.contract.OdcsExport;
import dev.mesh.spec.contract.OdcsImport;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.validation.ProductGraph;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mesh contract export|import}: a product as an Open Data Contract Standard v3.1.0 contract, and a contract
 * as a product spec. Neither starts Spark.
 */
@Command(name = "contract", mixinStandardHelpOptions = true,
        description = "Data contracts in the Open Data Contract Standard (ODCS v3.1.0): export a product's, or "
                + "import one as a product spec.")
final class ContractCommand {
    @ParentCommand
    MeshCli cli;

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the product's ODCS v3.1.0 contract (YAML): schema, quality rules, SLA, owner, "
                    + "server. Does not start Spark.")
    int export(@Parameters(paramLabel = "DOMAIN.PRODUCT") String product,
            @Option(names = "--out", paramLabel = "FILE", description = "Write it here instead of the console.")
            Path out) {
        try (MeshContext context = cli.context()) {
            MeshSpec mesh = context.mesh();
            ProductSpec spec = product(mesh, product);
            DomainSpec domain = mesh.domain(spec.domain()).orElseThrow();
            String yaml = OdcsExport.yaml(OdcsExport.contract(spec, domain, OdcsExport.Server.of(mesh.platform(),
                    context.zones().product(spec.id()))));
            if (out == null) {
                cli.environment.out().print(yaml);
            } else {
                write(out, yaml);
                cli.environment.out().println("wrote the ODCS contract of " + spec.id() + " to " + out);
            }
        }
        return 0;
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Turn an ODCS v3 contract into a product spec that mesh validate accepts, listing every "
                    + "part of the contract it could not map. Writes domains/DOMAIN/products/NAME.yaml unless "
                    + "--out is given. Does not start Spark.")
    int importContract(@Parameters(paramLabel = "FILE") Path file,
            @Option(names = "--domain", paramLabel = "DOMAIN", description = "The domain that will own the "
                    + "product (default: the contract's domain).") String domain,
            @Option(names = "--out", paramLabel = "FILE", description = "Write the spec here; - for the console.")
            String out) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw MeshException.invalidInput("cannot read %s: %s", file, e.getMessage());
        }
        MeshSpec mesh;
        try (MeshContext context = cli.context()) {
            mesh = context.mesh();
        }
        OdcsImport.Imported imported = OdcsImport.toProduct(OdcsImport.parse(text, file.toString()), mesh,
                Optional.ofNullable(domain), file.getFileName().toString());
        PrintStream console = cli.environment.out();
        if ("-".equals(out)) {
            console.print(imported.yaml());
        } else {
            Path target = out != null ? Path.of(out) : mesh.domain(imported.product().domain()).orElseThrow().file()
                    .getParent().resolve("products").resolve(imported.product().name() + ".yaml");
            if (out == null && Files.exists(target)) {
                throw MeshException.invalidInput("%s exists already: product %s is in the mesh. Import into another "
                        + "file with --out, or remove it first", target, imported.product());
            }
            write(target, imported.yaml());
            console.println("wrote product " + imported.product() + " to " + target);
        }
        if (imported.warnings().isEmpty()) {
            console.println("every part of the contract was mapped");
        } else {
            console.println(imported.warnings().size() + " part" + (imported.warnings().size() == 1 ? "" : "s")
                    + " of the contract not mapped:");
            imported.warnings().forEach(warning -> console.println("  " + warning));
        }
        return 0;
    }

    private static ProductSpec product(MeshSpec mesh, String name) {
        ProductId id = new ProductGraph(mesh).resolve(List.of(name)).get(0);
        return mesh.product(id).orElseThrow();
    }

    private static void write(Path target, String text) {
        try {
            if (target.toAbsolutePath().getParent() != null) {
                Files.createDirectories(target.toAbsolutePath().getParent());
            }
            Files.writeString(target, text);
        } catch (IOException e) {
            throw MeshException.invalidInput("cannot write %s: %s", target, e.getMessage());
        }
    }
}
