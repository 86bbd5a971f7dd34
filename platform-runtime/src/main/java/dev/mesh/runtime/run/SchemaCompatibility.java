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
 * major of, and which an append or merge product starts with a rebuild; the new schema then replaces the old one.
 */
public final class SchemaCompatibility {
    private SchemaCompatibility() {}

    /**
     * What a run of {@code product} would meet against its published contract, judged without running: the breaking
     * changes it publishes under a new major version, or, when it would be refused, why (naming the downstream
     * columns it breaks and the consumers pinned to the old major). A spec check in a pull request asks this.
     */
    public record Verdict(List<String> breaking, Optional<String> refusal) {}

    public static Verdict judge(SparkSession session, String productPath, ProductSpec product, MeshSpec mesh) {
        try {
            return new Verdict(check(session, productPath, product, mesh, false), Optional.empty());
        } catch (MeshException e) {
            return new Verdict(List.of(), Optional.of(e.getMessage()));
        }
    }

    /** The breaking changes this run publishes under its new major version; none for a compatible one. */
    static List<String> check(SparkSession session, String productPath, ProductSpec product, MeshSpec mesh,
            boolean rebuilds) {
        Optional<OutputContract> published = PublishedContract.read(session, productPath);
        if (published.isEmpty()) {
            return List.of();
        }
        OutputContract declared = published.get().recordsProtections() ? OutputContract.of(product)
                : OutputContract.withoutProtections(product);
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
                .filter(reader -> reader.input().major().filter(major -> major < declared.major()).isPresent())
                .map(reader -> reader.consumer().id() + " (reads @" + reader.input().major().get() + ")")
                .toList();
        if (!pinned.isEmpty()) {
            throw MeshException.invalidInput("%s: version %s breaks the schema of major version %d (%s%s), which %s "
                    + "still rel%s on; their owners move to @%d first", product.id(), product.version(), before,
                    String.join("; ", breaking), affected, String.join(", ", pinned), pinned.size() == 1 ? "ies" : "y",
                    declared.major());
        }
        if (product.output().mode() != WriteMode.OVERWRITE && !rebuilds) {
            throw MeshException.invalidInput("%s: version %s changes the schema incompatibly (%s); a new major "
                    + "version of an append or merge product starts from its inputs: mesh run %s --full-refresh",
                    product.id(), product.version(), String.join("; ", breaking), product.id());
        }
        return breaking.stream().map(change -> "major " + declared.major() + ": " + change).toList();
    }

    /** The downstream columns that read the broken ones, as the end of a sentence; empty when none does. */
    private static String downstream(ProductSpec product, MeshSpec mesh, List<String> broken) {
        if (broken.isEmpty()) {
            return "";
        }
        List<String> readers = new ColumnFlow(mesh.products(), new CatalystSqlSyntax())
                .downstreamOf(product.id(), broken);
        return readers.isEmpty() ? "" : "; downstream, it changes " + String.join(", ", readers);
    }
}
