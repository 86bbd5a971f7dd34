package dev.mesh.runtime.ledger;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.MeshException;
import dev.mesh.error.PlainMessages;
import dev.mesh.runtime.kernel.KernelDeltaTable;
import dev.mesh.runtime.spi.PlatformTable;
import dev.mesh.runtime.storage.StoreOutage;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.ProductId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;

/**
 * The platform tables read and appended without a SparkSession, through Delta Kernel: what {@code mesh runs},
 * {@code mesh metrics} and {@code mesh sla} use, so that looking at a few hundred ledger rows costs a JVM start and a
 * few file reads instead of starting Spark, and what {@link PlatformTables} reads and appends through first. Rows are
 * filtered as they stream by; nothing holds a whole table unless the caller keeps every row. Writes Kernel cannot
 * make (adding a column, creating a table with properties) are left to {@link PlatformTables}, which has Spark.
 */
public final class DirectPlatformTables {
    private final Configuration hadoop;
    private final ZoneLayout zones;

    public DirectPlatformTables(Configuration hadoop, ZoneLayout zones) {
        this.hadoop = requireNonNull(hadoop, "hadoop is null");
        this.zones = requireNonNull(zones, "zones is null");
    }

    public String path(PlatformTable<?> table) {
        return zones.platformTable(table.name());
    }

    public boolean exists(PlatformTable<?> table) {
        try {
            return kernel(table).exists();
        } catch (RuntimeException e) {
            throw failure("cannot read platform table ", table, e);
        }
    }

    /** Hands each row of the table to {@code each}; none when the table does not exist yet. */
    public void scan(PlatformTable<?> table, Consumer<LedgerRow> each) {
        try {
            kernel(table).scan(values -> each.accept(new LedgerRow(values)));
        } catch (RuntimeException e) {
            throw failure("cannot read platform table ", table, e);
        }
    }

    /**
     * The table's rows, its files read newest first by the greatest value of the timestamp {@code column} their
     * statistics give, for as long as {@code wanted} says such a file is (see
     * {@link KernelDeltaTable#scanNewestFirst}).
     */
    public void scanNewestFirst(PlatformTable<?> table, String column,
            Predicate<Optional<Instant>> wanted, Consumer<LedgerRow> each) {
        try {
            kernel(table).scanNewestFirst(column, wanted, values -> each.accept(new LedgerRow(values)));
        } catch (RuntimeException e) {
            throw failure("cannot read platform table ", table, e);
        }
    }

    /** The rows of the table that pass the filter. */
    public List<LedgerRow> rows(PlatformTable<?> table, Predicate<LedgerRow> filter) {
        List<LedgerRow> rows = new ArrayList<>();
        scan(table, row -> {
            if (filter.test(row)) {
                rows.add(row);
            }
        });
        return rows;
    }

    /**
     * One record a run rejected, as the product's quarantine table holds it, with every reason; {@code
     * replayedVersion}, the product version that published it once replayed ({@code mesh quarantine replay}), else
     * null.
     */
    public record QuarantinedRecord(Instant quarantinedAt, String runId, String input, List<String> reasons,
            String record, String file, Long replayedVersion) {}

    /** The newest {@code limit} of the records a product's quarantine holds (of one run, if given), and how many. */
    public record Quarantine(long total, List<QuarantinedRecord> records) {}

    /**
     * The newest value of a product's event-time column, from its table's file statistics (no scan); empty when
     * the product has no table or no statistics for it.
     */
    public Optional<java.time.Instant> newestEventTime(ProductId product, String column) {
        return KernelDeltaTable.at(hadoop, zones.product(product)).newestValue(column);
    }

    /** A product's rows now, from its files' statistics (no scan); empty without a table or statistics. */
    public Optional<Long> productRows(ProductId product) {
        return KernelDeltaTable.at(hadoop, zones.product(product)).rowsFromStatistics();
    }

    /**
     * The product's quarantined records, newest first (of run {@code runId} only, if given), through Delta Kernel: no
     * Spark job; none when nothing was ever quarantined.
     */
    public Quarantine quarantine(ProductId product, Optional<String> runId, int limit) {
        java.util.PriorityQueue<QuarantinedRecord> newest = new java.util.PriorityQueue<>(
                java.util.Comparator.comparing(QuarantinedRecord::quarantinedAt));
        long[] total = {0};
        try {
            KernelDeltaTable.at(hadoop, zones.quarantine(product)).scan(values -> {
                LedgerRow row = new LedgerRow(values);
                if (runId.isPresent() && !runId.get().equals(row.string("run_id"))) {
                    return;
                }
                total[0]++;
                newest.add(new QuarantinedRecord(row.instant("quarantined_at"), row.string("run_id"),
                        row.string("input"), row.strings("reasons"), row.string("record"), row.string("file"),
                        row.number("replayed_version")));
                if (newest.size() > limit) {
                    newest.poll();
                }
            });
        } catch (RuntimeException e) {
            throw MeshException.infrastructure("cannot read the quarantine of " + product + " at "
                    + zones.quarantine(product) + ": " + e.getMessage(), e);
        }
        List<QuarantinedRecord> records = new ArrayList<>(newest);
        records.sort(java.util.Comparator.comparing(QuarantinedRecord::quarantinedAt).reversed());
        return new Quarantine(total[0], records);
    }

    /** The markers of runs in progress, read through the same configuration. */
    public InflightRuns inflight() {
        return new InflightRuns(hadoop, zones);
    }

    /** Appends the records to their table in one Delta commit (none when there are none). */
    public <R> void append(PlatformTable<R> table, List<? extends R> records) {
        try {
            tryAppend(table, records);
        } catch (KernelDeltaTable.NeedsSpark e) {
            String why = switch (e.reason()) {
                case MISSING_COLUMNS -> "it has no column " + String.join(", ", e.missingColumns()) + " (an older "
                        + "version of mesh created it); run mesh provision, which adds them";
                case NEW_TABLE_WITH_PROPERTIES -> "it is not there yet; run mesh provision, which creates it";
                case PARTITIONED, UNSUPPORTED_PROTOCOL -> e.getMessage() + "; mesh run records in it with Spark";
            };
            throw MeshException.infrastructure("cannot record in platform table " + path(table) + ": " + why, e);
        }
    }

    /**
     * Appends the records in one commit, or throws {@link KernelDeltaTable.NeedsSpark}, having written nothing, when
     * only a Spark write can (the table lacks a column, or is to be created with properties).
     */
    <R> void tryAppend(PlatformTable<R> table, List<? extends R> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            kernel(table).append(table.schema(), table.properties(), records.stream().map(table::toRow).toList());
        } catch (KernelDeltaTable.NeedsSpark e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure("cannot record in platform table ", table, e);
        }
    }

    private KernelDeltaTable kernel(PlatformTable<?> table) {
        return KernelDeltaTable.at(hadoop, path(table));
    }

    private MeshException failure(String what, PlatformTable<?> table, RuntimeException e) {
        if (e instanceof MeshException mesh) {
            return mesh;
        }
        return MeshException.infrastructure(what + path(table) + ": "
                + StoreOutage.describe(e, zones.storage()).orElse(PlainMessages.of(e)), e);
    }
}
