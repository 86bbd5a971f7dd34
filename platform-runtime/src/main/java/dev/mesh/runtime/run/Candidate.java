package dev.mesh.runtime.run;

import dev.mesh.runtime.spark.CandidateCache;
import dev.mesh.runtime.spi.TableChange;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The template's result conformed to the output, annotated by the row rules, with the template's own way of changing
 * the table, if it has one. Planned only: a run in one pass reads it once, and any other run {@linkplain #materialized
 * materializes} it for the phases that each read it. {@code replayedBatches}: for a rebuild replayed from several
 * batches, the batch each landing file belongs to (by {@link #fileKey}), which its commit keeps.
 */
record Candidate(Dataset<Row> rows, boolean hasRowRules, Optional<TableChange> change,
        Map<String, Long> replayedBatches) {
    Candidate {
        replayedBatches = Map.copyOf(replayedBatches);
    }

    /** The candidate for phases that each read it: materialized unless reading it again is cheap. */
    Candidate materialized() {
        return new Candidate(CandidateCache.materializeIfCostly(rows), hasRowRules, change, replayedBatches);
    }

    static String fileKey(String input, String path) {
        return input + "\n" + path;
    }
}
