package dev.mesh.jobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.error.MeshException;
import dev.mesh.runtime.ledger.DirectPlatformTables;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.validation.ProductGraph;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesh quarantine}: the records a product's runs rejected, with every reason and the file they came from. */
@Command(name = "quarantine", mixinStandardHelpOptions = true, subcommands = QuarantineReplayCommand.class,
        description = "Show the records a product's runs quarantined, newest first: when, which run, the input and "
                + "file they came from, why (each reason names the column and value or the rule), the record, and "
                + "the version that published it if it was replayed (mesh quarantine replay).")
final class QuarantineCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    MeshCli cli;

    @Parameters(paramLabel = "DOMAIN.PRODUCT", arity = "0..1", description = "The product.")
    String product;

    @Option(names = "--run", paramLabel = "RUN_ID", description = "Only the records this run quarantined.")
    String run;

    @Option(names = "--limit", converter = PositiveCount.class, paramLabel = "N", defaultValue = "20",
            description = "At most N records (default: 20).")
    int limit;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    String output;

    @Override
    public Integer call() throws JsonProcessingException {
        if (!output.equals("text") && !output.equals("json")) {
            throw MeshException.invalidInput("--output %s is not a format; allowed: text, json", output);
        }
        if (product == null) {
            throw MeshException.invalidInput("name the product: mesh quarantine DOMAIN.PRODUCT (or mesh quarantine "
                    + "replay DOMAIN.PRODUCT)");
        }
        try (MeshContext context = cli.context()) {
            ProductId id = new ProductGraph(context.mesh()).resolve(List.of(product)).get(0);
            DirectPlatformTables.Quarantine quarantine = context.directTables().quarantine(id,
                    Optional.ofNullable(run), limit);
            PrintStream out = cli.environment.out();
            if (output.equals("json")) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json(id, quarantine)));
                return 0;
            }
            if (quarantine.total() == 0) {
                out.println("no quarantined records of " + id + (run == null ? "" : " from run " + run));
                return 0;
            }
            out.println(quarantine.records().size() + " of " + quarantine.total() + " quarantined records of " + id
                    + (run == null ? "" : " from run " + run) + ", newest first:");
            TextTable table = new TextTable("QUARANTINED (UTC)", "RUN", "INPUT", "FILE", "REASONS", "RECORD",
                    "REPLAYED");
            for (DirectPlatformTables.QuarantinedRecord record : quarantine.records()) {
                table.row(RunsCommand.TIME.format(record.quarantinedAt()), record.runId().substring(0,
                        Math.min(8, record.runId().length())), record.input(), fileName(record.file()),
                        RunsCommand.abbreviate(String.join("; ", record.reasons()), 90),
                        RunsCommand.abbreviate(record.record(), 60), record.replayedVersion() == null ? "-"
                                : "version " + record.replayedVersion());
            }
            table.print(out);
        }
        return 0;
    }

    private static ObjectNode json(ProductId id, DirectPlatformTables.Quarantine quarantine) {
        ObjectNode root = JSON.createObjectNode().put("product", id.toString()).put("total", quarantine.total());
        ArrayNode records = root.putArray("records");
        for (DirectPlatformTables.QuarantinedRecord record : quarantine.records()) {
            ObjectNode one = records.addObject().put("quarantinedAt", record.quarantinedAt().toString())
                    .put("runId", record.runId()).put("input", record.input()).put("file", record.file())
                    .put("record", record.record());
            if (record.replayedVersion() != null) {
                one.put("replayedVersion", record.replayedVersion());
            }
            record.reasons().forEach(one.putArray("reasons")::add);
        }
        return root;
    }

    private static String fileName(String file) {
        return file == null ? "-" : file.substring(file.lastIndexOf('/') + 1);
    }
}
