package dev.mesh.runtime.ledger;

import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.zone.ZoneSize;
import java.time.Instant;
import java.util.Locale;

/**
 * One row of {@code _platform/usage}: what a run used ({@link Kind#RUN}, from Spark's listener) or how large a domain
 * zone folder was when measured ({@link Kind#ZONE}).
 */
public sealed interface UsageRecord {
    /** The {@code kind} column. */
    enum Kind {
        RUN, ZONE;

        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Instant recordedAt();

    String domain();

    /** A run's executor time, bytes and records read and written, files written. */
    record Run(Instant recordedAt, String domain, String product, String runId, RunUsage usage)
            implements UsageRecord {
        public static Run of(RunResult run) {
            return new Run(run.finishedAt(), run.product().domain(), run.product().name(), run.runId(), run.usage());
        }
    }

    /** The size of one zone folder of a domain. */
    record Zone(Instant recordedAt, String domain, String zone, long bytes, long files) implements UsageRecord {
        public static Zone of(ZoneSize size, Instant recordedAt) {
            return new Zone(recordedAt, size.domain(), size.zone(), size.bytes(), size.files());
        }
    }
}
