package dev.mesh.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.error.MeshException;
import dev.mesh.spec.spi.TemplateCatalog;
import dev.mesh.spec.yaml.SpecSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesh schema}: the JSON Schemas of the spec files, for editors and CI; no Spark, no mesh needed. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Print the JSON Schema of a kind of spec file (platform, domain, product, governance), or "
                + "write all four into a folder with --out. Editors that read `# yaml-language-server: $schema=...` "
                + "(mesh init writes the line) then complete fields and mark mistakes as you type.")
final class SchemaCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    MeshCli cli;

    @Parameters(paramLabel = "KIND", arity = "0..1", description = "platform, domain, product or governance.")
    String kind;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the four schemas into DIR (KIND.schema.json).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if ((kind == null) == (out == null)) {
            throw MeshException.invalidInput("name a kind (platform, domain, product, governance) to print, or "
                    + "pass --out DIR to write all four");
        }
        if (out != null) {
            List<Path> written = write(out);
            cli.environment.out().println("wrote " + written.size() + " schemas to " + out.toAbsolutePath() + ": "
                    + String.join(", ", written.stream().map(p -> p.getFileName().toString()).toList()));
            return 0;
        }
        SpecSchemas.Kind chosen;
        try {
            chosen = SpecSchemas.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw MeshException.invalidInput("'%s' is not a kind of spec file; allowed: platform, domain, product, "
                    + "governance", kind);
        }
        cli.environment.out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                SpecSchemas.of(chosen, TemplateCatalog.load())));
        return 0;
    }

    /** Writes every kind's schema into {@code dir}, replacing older ones; also what {@code mesh init} does. */
    static List<Path> write(Path dir) {
        TemplateCatalog templates = TemplateCatalog.load();
        try {
            Files.createDirectories(dir);
            List<Path> written = new java.util.ArrayList<>();
            for (SpecSchemas.Kind each : SpecSchemas.kinds()) {
                Path file = dir.resolve(each.fileName());
                Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                        SpecSchemas.of(each, templates)) + "\n", StandardCharsets.UTF_8);
                written.add(file);
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
