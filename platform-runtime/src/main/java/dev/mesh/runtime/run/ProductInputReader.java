package dev.mesh.runtime.run;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.ingest.PublishedContract;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.spi.InputContext;
import dev.mesh.runtime.spi.InputReader;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.spec.model.InputKind;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.OutputContract;
import dev.mesh.spec.model.ProductInputSpec;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Reads another product's output port at the Delta version that is current when the run starts (pinned). */
public final class ProductInputReader implements InputReader {
    @Override
    public boolean supports(InputSpec input) {
        return input instanceof ProductInputSpec;
    }

    @Override
    public ResolvedInput read(InputContext context, InputSpec input) {
        ProductInputSpec spec = (ProductInputSpec) input;
        String path = context.zones().product(spec.product());
        long version = DeltaTables.latestVersion(context.spark(), path).orElseThrow(() -> MeshException.invalidInput(
                "input '%s' of %s reads product %s, which has not been published yet; run it first: mesh run %s",
                spec.name(), context.product().id(), spec.product(), spec.product()));
        String read = spec.product().toString();
        if (spec.major().isPresent()) {
            int pinned = spec.major().get();
            Optional<Integer> published = PublishedContract.read(context.spark(), path).map(OutputContract::major)
                    .filter(major -> !major.equals(pinned));
            if (published.isPresent()) {
                // an older major its producer keeps beside the current one is read from its own table
                String kept = context.zones().keptMajor(spec.product(), pinned);
                Optional<Long> keptVersion = DeltaTables.latestVersion(context.spark(), kept);
                if (keptVersion.isEmpty()) {
                    throw MeshException.invalidInput("input '%s' of %s relies on major version %d of %s (product: "
                            + "%s@%d), but it is published at major version %d; check what changed and read @%d "
                            + "(its producer keeps no major %d beside it)", spec.name(), context.product().id(),
                            pinned, spec.product(), spec.product(), pinned, published.get(), published.get(), pinned);
                }
                path = kept;
                version = keptVersion.get();
                read = spec.product() + " major " + pinned;
            }
        }
        Dataset<Row> rows = context.spark().read().format("delta").option("versionAsOf", version).load(path);
        return ResolvedInput.builder(spec.name(), InputKind.PRODUCT, spec.product().toString(), rows,
                read + "@" + version).version(version).build();
    }
}
