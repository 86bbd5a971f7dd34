package dev.mesh.jobs.cli;

import dev.mesh.runtime.run.SchemaCompatibility;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.ProductId;
import java.io.PrintStream;
import java.util.Collection;
import java.util.Map;

/**
 * {@code --against-published} of {@code mesh validate} and {@code mesh plan}: each product's declared output against
 * what it last published, read from its Delta log without Spark, so a pull request's CI catches what only a run
 * refused before: a change that breaks the published schema under the same major, or a new major that consumers
 * still pin the old one of. Prints one line per product that changes its contract and a summary.
 */
final class PublishedCompatibility {
    private PublishedCompatibility() {}

    /** True when some product's change would be refused: the command then exits 2. */
    static boolean report(MeshContext context, MeshSpec proposed, Collection<ProductId> products, PrintStream out) {
        Map<ProductId, SchemaCompatibility.Verdict> verdicts = context.runtime().againstPublished(proposed, products);
        int refused = 0;
        int majors = 0;
        for (Map.Entry<ProductId, SchemaCompatibility.Verdict> entry : verdicts.entrySet()) {
            SchemaCompatibility.Verdict verdict = entry.getValue();
            if (verdict.refusal().isPresent()) {
                refused++;
                out.println("breaking: " + verdict.refusal().get());
            } else if (!verdict.breaking().isEmpty()) {
                majors++;
                boolean rebuilds = proposed.product(entry.getKey()).orElseThrow().output().mode()
                        != WriteMode.OVERWRITE;
                out.println("new major: " + entry.getKey() + " publishes " + String.join("; ", verdict.breaking())
                        + (verdict.downstream().isEmpty() ? ""
                                : "; downstream, it changes " + String.join(", ", verdict.downstream()))
                        + (rebuilds ? "; its next run rebuilds it: mesh run " + entry.getKey() + " --full-refresh"
                                : ""));
            }
        }
        out.printf("against what was published: %d of %d products published; %d compatible, %d under a new major, "
                + "%d breaking%n", verdicts.size(), products.size(), verdicts.size() - refused - majors, majors,
                refused);
        return refused > 0;
    }
}
