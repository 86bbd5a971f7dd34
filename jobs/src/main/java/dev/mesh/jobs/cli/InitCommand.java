package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.spec.SpecLoad;
import dev.mesh.spec.SpecLoader;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.SpecProblem;
import dev.mesh.spec.yaml.SpecSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mesh init}: writes a commented starting spec for a new domain or product, which {@code mesh validate}
 * accepts as written; the command checks that before it returns. Never overwrites a file.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Write a commented, valid starting spec for a new domain or product. Does not start Spark.",
        subcommands = {InitCommand.Domain.class, InitCommand.Product.class})
final class InitCommand {
    @ParentCommand
    MeshCli cli;

    /** {@code mesh init domain NAME}. */
    @Command(name = "domain", mixinStandardHelpOptions = true,
            description = "Write <domains>/NAME/domain.yaml: owners and one source, to edit.")
    static final class Domain implements Callable<Integer> {
        @ParentCommand
        InitCommand init;

        @Parameters(paramLabel = "NAME", description = "The domain's name: lower case letters, digits and _.")
        String name;

        @Override
        public Integer call() {
            Scaffolds.requireName(name, "domain");
            MeshSpec mesh = init.validMesh();
            if (mesh.domain(name).isPresent()) {
                throw MeshException.invalidInput("domain '%s' exists already (%s)", name,
                        mesh.domain(name).get().file());
            }
            Path file = mesh.platform().domainsDir().resolve(name).resolve("domain.yaml");
            // a domain takes its seat on the federated body in the same step, so the mesh stays valid
            Optional<String> seat = mesh.policies().governance()
                    .flatMap(governance -> GovernanceSeats.add(governance, name, name + "-data@example.com"));
            int code = init.write(file, SpecSchemas.Kind.DOMAIN, Scaffolds.domain(name), "mesh init product "
                    + name + ".PRODUCT --template ingest");
            seat.ifPresent(line -> init.cli.environment.out().println(line));
            return code;
        }
    }

    /** {@code mesh init product DOMAIN.NAME --template T}. */
    @Command(name = "product", mixinStandardHelpOptions = true,
            description = "Write <domains>/DOMAIN/products/NAME.yaml for a template, reading the domain's first "
                    + "source (or a database table with --input jdbc, or another product with --input "
                    + "product:DOMAIN.NAME).")
    static final class Product implements Callable<Integer> {
        @ParentCommand
        InitCommand init;

        @Parameters(paramLabel = "DOMAIN.NAME", description = "The product to create.")
        String product;

        @Option(names = "--template", paramLabel = "T", defaultValue = "ingest",
                description = "The template the product runs: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
                completionCandidates = Scaffolds.Templates.class)
        String template;

        @Option(names = "--input", paramLabel = "KIND", defaultValue = "files",
                description = "What the product reads: files (the domain's first source), jdbc (a database "
                        + "table; connection from environment variables) or product:DOMAIN.NAME (another product's "
                        + "output port, with --template sql or ingest). Default: ${DEFAULT-VALUE}.")
        String input;

        @Override
        public Integer call() {
            ProductId id = ProductId.parse(product);
            if (id == null) {
                throw MeshException.invalidInput("'%s' is not a product name; use DOMAIN.NAME, e.g. sales.orders",
                        product);
            }
            Scaffolds.requireName(id.name(), "product");
            MeshSpec mesh = init.validMesh();
            DomainSpec domain = mesh.domain(id.domain()).orElseThrow(() -> MeshException.invalidInput(
                    "no domain '%s' in the mesh; create it first: mesh init domain %s", id.domain(), id.domain()));
            if (mesh.product(id).isPresent()) {
                throw MeshException.invalidInput("product '%s' exists already (%s)", id, mesh.product(id).get()
                        .file());
            }
            Path file = domain.file().getParent().resolve("products").resolve(id.name() + ".yaml");
            String spec;
            if (input.startsWith("product:")) {
                ProductId upstream = ProductId.parse(input.substring("product:".length()));
                ProductSpec read = upstream == null ? null : mesh.product(upstream).orElse(null);
                if (read == null) {
                    throw MeshException.invalidInput("--input %s: no such product in the mesh; name one as "
                            + "product:DOMAIN.NAME (mesh catalog lists them)", input);
                }
                spec = Scaffolds.fromProduct(id, domain, template, read);
            } else {
                spec = Scaffolds.product(id, domain, template, input);
            }
            return init.write(file, SpecSchemas.Kind.PRODUCT, spec, "mesh run " + id);
        }
    }

    /** The mesh as it is, which must be valid: a starting spec is checked against it. */
    MeshSpec validMesh() {
        try (MeshContext context = cli.context()) {
            SpecLoad load = context.load();
            return load.mesh().orElseThrow(() -> MeshException.invalidInput("the mesh has %d problem(s); fix "
                    + "them first (mesh validate lists them): %s", load.problems().size(),
                    load.problems().get(0)));
        }
    }

    /** Writes a new spec file, then validates the mesh with it; returns the exit code. */
    int write(Path file, SpecSchemas.Kind kind, String content, String next) {
        if (Files.exists(file)) {
            throw MeshException.invalidInput("%s exists already; init never overwrites a file", file);
        }
        // the schemas next to platform.yaml, refreshed, and the line that points editors at this file's
        Path schemas = cli.platformFile().toAbsolutePath().normalize().getParent().resolve("schema");
        SchemaCommand.write(schemas);
        String schemaLine = "# yaml-language-server: $schema=" + file.toAbsolutePath().normalize().getParent()
                .relativize(schemas.resolve(kind.fileName())).toString().replace('\\', '/') + "\n";
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, schemaLine + content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SpecLoad load;
        try (MeshContext context = cli.context()) {
            load = context.load();
        }
        String shown = SpecLoader.create().display(file);
        List<SpecProblem> problems = load.problems().stream().filter(p -> p.file().equals(shown)).toList();
        List<SpecProblem> seatless = problems.stream().filter(p -> p.message().startsWith("[federated-body]"))
                .toList();
        if (!seatless.isEmpty() && seatless.size() == problems.size()) {
            // the governance file could not be given the seat: say exactly what to add, and why
            cli.environment.out().println("wrote " + shown + "; " + seatless.get(0).message());
            load.problems().stream().filter(p -> !p.file().equals(shown)).forEach(p -> cli.environment.out()
                    .println("and elsewhere in the mesh: " + p));
            return 0;
        }
        if (!problems.isEmpty()) {
            problems.forEach(cli.environment.out()::println);
            cli.environment.out().println("wrote " + shown + ", but mesh validate does not accept it as written; "
                    + "please report this");
            return 2;
        }
        cli.environment.out().println("wrote " + shown + " (valid); edit it, check it with mesh validate, then: "
                + next);
        load.problems().stream().filter(p -> !p.file().equals(shown)).forEach(p -> cli.environment.out()
                .println("and elsewhere in the mesh: " + p));
        return 0;
    }
}
