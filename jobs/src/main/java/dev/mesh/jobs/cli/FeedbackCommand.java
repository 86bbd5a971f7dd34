package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.quality.feedback.Feedback;
import dev.mesh.quality.feedback.FeedbackTable;
import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.validation.ProductGraph;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesh feedback}: a consumer's rating and comment on a product, kept in _platform/feedback. */
@Command(name = "feedback", mixinStandardHelpOptions = true,
        description = "Record a consumer's feedback on a data product (rating 1 to 5 and a comment) in "
                + "_platform/feedback; the report shows it beside the product.")
final class FeedbackCommand implements Callable<Integer> {
    @ParentCommand
    MeshCli cli;

    @Parameters(paramLabel = "DOMAIN.PRODUCT", description = "The product.")
    String product;

    @Option(names = "--rating", paramLabel = "N", required = true, description = "1 (useless) to 5 (excellent).")
    int rating;

    @Option(names = "--comment", paramLabel = "TEXT", description = "What works, what does not.")
    String comment;

    @Option(names = "--from", paramLabel = "DOMAIN", description = "The consuming domain giving the feedback.")
    String from;

    @Override
    public Integer call() {
        if (rating < 1 || rating > 5) {
            throw MeshException.invalidInput("--rating: %d is not between 1 and 5", rating);
        }
        try (MeshContext context = cli.context()) {
            ProductId id = new ProductGraph(context.mesh()).resolve(List.of(product)).get(0);
            if (from != null) {
                context.requireDomain(from, "--from: ");
            }
            PlatformTables tables = context.runtime().ledger();
            context.provision(false);
            tables.append(FeedbackTable.TABLE, List.of(new Feedback(cli.environment.clock().instant(), id, from, rating,
                    comment)));
            cli.environment.out().println("recorded feedback on " + id + ": " + rating + "/5"
                    + (from == null ? "" : " from " + from));
        }
        return 0;
    }
}
