package dev.mesh.runtime.run;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.ingest.PublishedContract;
import dev.mesh.runtime.sql.CatalystSqlSyntax;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.OutputContract;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.validation.ColumnFlow;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Schema compatibility, judged before a run reads anything: the declared output against the contract the product
 * was last published under. Breaking changes need a new major version, which no consumer may still pin an older
 * major of unless the spec keeps that major beside it ({@code versions}), and which an append or merge product starts
 * with a rebuild; the new schema then replaces the old one.
 */
public final class SchemaCompatibility {
    private SchemaCompatibility() {}

    /**
     * What a run of {@code product} would meet against its published contract, judged without running: the breaking
     * changes it publishes under a new major version and the downstream columns they change, or, when it would be
     * refused, why (naming the downstream columns it breaks and the consumers pinned to the old major). A spec check
     * in a pull request asks this.
     */
    public record Verdict(List<String> breaking, List<String> downstream, Optional<String> refusal) {
        public Verdict {
            breaking = List.copyOf(breaking);
            downstream = List.copyOf(downstream);
        }
    }

    public static Verdict judge(SparkSession session, String productPath, ProductSpec product, MeshSpec mesh) {
        try {
            return judge(PublishedContract.read(session, productPath), product, mesh, false);
        } catch (MeshException e) {
            return new Verdict(List.of(), List.of(), Optional.of(e.getMessage()));
        }
    }

    /**
     * The same against a contract already read ({@code mesh validate --against-published} reads it without Spark);
     * {@code rebuilds} says the run would be a rebuild, which a new major of an append or merge product needs.
     */
    public static Verdict judge(Optional<OutputContract> published, ProductSpec product, MeshSpec mesh,
            boolean rebuilds) {
        List<String> downstream = published.map(contract -> downstreamOf(product, mesh, contract)).orElse(List.of());
        try {
            return new Verdict(check(published, product, mesh, rebuilds), downstream, Optional.empty());
        } catch (MeshException e) {
            return new Verdict(List.of(), downstream, Optional.of(e.getMessage()));
        }
    }

    /** The breaking changes this run publishes under its new major version; none for a compatible one. */
    static List<String> check(SparkSession session, String productPath, ProductSpec product, MeshSpec mesh,
            boolean rebuilds) {
        // the contract from the log's newest commit files, through Delta Kernel: no Spark job before a run reads
        return check(PublishedContract.read(session.sparkContext().hadoopConfiguration(), productPath), product, mesh,
                rebuilds);
    }

    private static List<String> check(Optional<OutputContract> published, ProductSpec product, MeshSpec mesh,
            boolean rebuilds) {
        if (published.isEmpty()) {
            return List.of();
        }
        OutputContract declared = declared(published.get(), product);
        List<String> breaking = published.get().breakingChanges(declared);
        if (breaking.isEmpty()) {
            return List.of();
        }
        int before = published.get().major();
        String affected = downstream(product, mesh, published.get().brokenColumns(declared));
        if (declared.major() <= before) {
            throw MeshException.invalidInput("%s (%s): the declared output breaks the schema its consumers read "
                    + "(major version %d): %s%s; keep the published columns, types, requirements and keys (adding "
                    + "columns is fine), or publish a new major version (version: %d.0.0)", product.id(),
                    product.file(), before, String.join("; ", breaking), affected, before + 1);
        }
        List<String> pinned = mesh.readersOf(product.id()).stream()
                .filter(reader -> reader.input().major().filter(major -> major < declared.major()
                        && product.kept(major).isEmpty()).isPresent())
                .map(reader -> reader.consumer().id() + " (reads @" + reader.input().major().get() + ")")
                .toList();
        if (!pinned.isEmpty()) {
            throw MeshException.invalidInput("%s: version %s breaks the schema of major version %d (%s%s), which %s "
                    + "still rel%s on; their owners move to @%d first, or keep major %d beside it for them "
                    + "(versions: { %d: { until: YYYY-MM-DD } })", product.id(), product.version(), before,
                    String.join("; ", breaking), affected, String.join(", ", pinned), pinned.size() == 1 ? "ies" : "y",
                    declared.major(), before, before);
        }
        if (product.output().mode() != WriteMode.OVERWRITE && !rebuilds) {
            throw MeshException.invalidInput("%s: version %s changes the schema incompatibly (%s); a new major "
                    + "version of an append or merge product starts from its inputs: mesh run %s --full-refresh",
                    product.id(), product.version(), String.join("; ", breaking), product.id());
        }
        return breaking.stream().map(change -> "major " + declared.major() + ": " + change).toList();
    }

    private static OutputContract declared(OutputContract published, ProductSpec product) {
        return published.recordsProtections() ? OutputContract.of(product) : OutputContract.withoutProtections(product);
    }

    /** The downstream columns that read the broken ones, as the end of a sentence; empty when none does. */
    private static String downstream(ProductSpec product, MeshSpec mesh, List<String> broken) {
        List<String> readers = readersOf(product, mesh, broken);
        return readers.isEmpty() ? "" : "; downstream, it changes " + String.join(", ", readers);
    }

    private static List<String> downstreamOf(ProductSpec product, MeshSpec mesh, OutputContract published) {
        return readersOf(product, mesh, published.brokenColumns(declared(published, product)));
    }

    private static List<String> readersOf(ProductSpec product, MeshSpec mesh, List<String> broken) {
        return broken.isEmpty() ? List.of()
                : new ColumnFlow(mesh.products(), new CatalystSqlSyntax()).downstreamOf(product.id(), broken);
    }
}
