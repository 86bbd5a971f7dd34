package dev.mesh.runtime.run;

import dev.mesh.runtime.ingest.CommitMetadata;
import dev.mesh.runtime.spi.GateResult;
import java.util.List;

/** What a {@link WriteStrategy} came to. A value, never an exception: each ends the attempt its own way. */
sealed interface WriteOutcome {
    /** The candidate is the product's {@code version}: {@code files} added, {@code rows} published. */
    record Published(long version, long files, long rows, CommitMetadata metadata, List<String> schemaChanges)
            implements WriteOutcome {}

    /** A commit under the run's id was already made, by another run of the same data or one that raced this one. */
    record AlreadyPublished(long version) implements WriteOutcome {}

    /** Another writer committed to the product first ({@code winningVersion}); nothing of this attempt was kept. */
    record Lost(long winningVersion) implements WriteOutcome {}

    /** The gate blocked the candidate; nothing was published. */
    record Blocked(GateResult gate) implements WriteOutcome {}
}
