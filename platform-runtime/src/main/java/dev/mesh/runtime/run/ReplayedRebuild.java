package dev.mesh.runtime.run;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.spi.InputContext;
import dev.mesh.runtime.spi.ProductTemplate;
import dev.mesh.runtime.spi.PublishedFiles;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.runtime.spi.SourceFile;
import dev.mesh.runtime.spi.TableChange;
import dev.mesh.runtime.sql.SqlGuard;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.RowRuleSpec;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * A full rebuild of a product that ingests its landing files once (append or merge), made the way its history made
 * it: the files are grouped into the batches that published them (by the product version each was published in, in
 * that order; files not published yet last, as one batch), and each batch is transformed and applied in turn to a
 * staging table in the domain's zone: appended, upserted by key, or changed by the template's own MERGE (cdc's
 * events, scd2's versions). The table the batches build is the rebuild's candidate, gated and published in one
 * commit like any other. So a merge product's key keeps the row of the last file that published it, an append
 * product each file's rows once, and cdc and scd2 apply their events batch by batch, as the incremental runs did.
 * What a rebuild cannot reproduce: the content of a file that changed since (only its current bytes are there), and
 * other products' versions as each incremental run read them (the rebuild reads their current versions).
 */
final class ReplayedRebuild {
    private final SparkSession session;
    private final ProductSpec product;
    private final DomainSpec domain;
    private final ZoneLayout zones;
    private final Extensions extensions;
    private final Map<String, String> environment;

    ReplayedRebuild(SparkSession session, ProductSpec product, DomainSpec domain, ZoneLayout zones,
            Extensions extensions, Map<String, String> environment) {
        this.session = requireNonNull(session, "session is null");
        this.product = requireNonNull(product, "product is null");
        this.domain = requireNonNull(domain, "domain is null");
        this.zones = requireNonNull(zones, "zones is null");
        this.extensions = requireNonNull(extensions, "extensions is null");
        this.environment = Map.copyOf(environment);
    }

    /**
     * Whether a rebuild of this product (whole, or a range: a backfill rebuilds the range of the replayed table)
     * replays its batches: an append or merge product that reads landing files.
     */
    static boolean applies(ProductSpec product, RunOptions options) {
        return options.rebuilds() && product.output().mode() != WriteMode.OVERWRITE
                && product.inputs().stream().anyMatch(FileInputSpec.class::isInstance);
    }

    /**
     * The landing files of the rebuild's inputs by the batch that published them (kept through earlier rebuilds), in
     * publication order; the files not published yet come last under {@link Long#MAX_VALUE}.
     */
    static TreeMap<Long, Map<String, List<SourceFile>>> batches(List<ResolvedInput> inputs, PublishedFiles published) {
        TreeMap<Long, Map<String, List<SourceFile>>> batches = new TreeMap<>();
        for (ResolvedInput input : inputs) {
            for (SourceFile file : input.files()) {
                long version = published.test(input.name(), file)
                        ? published.published(input.name(), file.path()).map(PublishedFiles.Published::batch)
                                .orElse(Long.MAX_VALUE)
                        : Long.MAX_VALUE;
                batches.computeIfAbsent(version, v -> new LinkedHashMap<>())
                        .computeIfAbsent(input.name(), name -> new ArrayList<>()).add(file);
            }
        }
        return batches;
    }

    /**
     * Builds the staging table batch by batch at {@code staging} and returns its rows (the output's columns, row rules
     * applied: a row that broke one was quarantined when its batch ran). {@code inputs} are the rebuild's own inputs,
     * read whole; a product input is read as they read it, a file input again for each batch's files only.
     */
    Dataset<Row> replay(TreeMap<Long, Map<String, List<SourceFile>>> batches, List<ResolvedInput> inputs,
            String staging, List<ResolvedInput> opened) {
        zones.requireInsideZone(product.domain(), staging);
        ProductTemplate template = extensions.templateFor(product.transform().template());
        Optional<TableChange> change = template.tableChange(product);
        List<RowRuleSpec> rules = product.quality().rowRules();
        // columns a schema that evolves added (in any batch): a later batch's MERGE adds them to the staging table
        List<String> added = inputs.stream().flatMap(input -> input.addedColumns().stream()).toList();
        boolean written = false;
        for (Map<String, List<SourceFile>> batch : batches.values()) {
            Map<String, Dataset<Row>> views = new LinkedHashMap<>();
            for (InputSpec input : product.inputs()) {
                ResolvedInput read = input instanceof FileInputSpec
                        ? readBatch(input, batch.getOrDefault(input.name(), List.of()), opened)
                        : inputs.stream().filter(resolved -> resolved.name().equals(input.name())).findFirst()
                                .orElseThrow();
                // templates read each input as the view of its name, as in any run
                read.rows().createOrReplaceTempView(input.name());
                views.put(input.name(), session.table(input.name()));
            }
            Dataset<Row> result = template.transform(session, product, views);
            Dataset<Row> conformed = OutputConformer.conform(result, product,
                    change.map(TableChange::carriedColumns).orElse(List.of()), added);
            Dataset<Row> rows = rules.isEmpty() ? conformed : RowRules.good(RowRules.annotate(conformed, rules));
            SqlGuard.requireOnlyInputs(rows, Set.copyOf(views.keySet()),
                    product.id() + " (" + product.file() + "): the " + product.transform().template()
                            + " template's result");
            if (!written) {
                change.map(own -> own.published(rows)).orElse(rows).write().format("delta").mode("overwrite")
                        .option("overwriteSchema", "true").save(staging);
                written = true;
            } else if (product.output().mode() == WriteMode.MERGE) {
                merge(staging, rows, change, !added.isEmpty());
            } else {
                rows.write().format("delta").mode("append").option("mergeSchema", "true").save(staging);
            }
        }
        return session.read().format("delta").load(staging);
    }

    /** One batch merged into the staging table: by the template's own MERGE, or upserted by key. */
    private void merge(String staging, Dataset<Row> rows, Optional<TableChange> change, boolean addsColumns) {
        DeltaTable target = DeltaTable.forPath(session, staging);
        // without it, Delta's MERGE drops a source column the target lacks, and its values with it
        session.conf().set(DeltaTables.AUTO_MERGE, Boolean.toString(addsColumns));
        // an upsert reads the batch twice (its key range, then the MERGE): it is parsed once, kept for both
        Dataset<Row> batch = change.isPresent() ? rows : rows.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            change.ifPresentOrElse(own -> own.merge(target, batch),
                    () -> DeltaPublisher.upsert(target, batch, product,
                            KeyRanges.of(batch, product.output().keys())));
        } finally {
            session.conf().unset(DeltaTables.AUTO_MERGE);
            if (change.isEmpty()) {
                batch.unpersist(false);
            }
        }
    }

    /** Removes the staging table, whatever the rebuild's outcome. */
    void discard(String staging) {
        try {
            Path path = new Path(staging);
            path.getFileSystem(session.sparkContext().hadoopConfiguration()).delete(path, true);
        } catch (IOException e) {
            throw MeshException.infrastructure(product.id() + ": cannot remove the rebuild's staging table "
                    + staging + ": " + e.getMessage(), e);
        }
    }

    /** The input read again for this batch's files only: every other file counts as published. */
    private ResolvedInput readBatch(InputSpec input, List<SourceFile> files, List<ResolvedInput> opened) {
        Set<String> paths = files.stream().map(SourceFile::path).collect(java.util.stream.Collectors.toSet());
        PublishedFiles others = new PublishedFiles() {
            @Override
            public boolean test(String name, SourceFile file) {
                return !paths.contains(file.path());
            }

            @Override
            public Optional<Published> published(String name, String path) {
                return Optional.empty();
            }
        };
        InputContext context = new InputContext(session, zones, product, domain, others, Map.of(), environment);
        ResolvedInput read = extensions.readerFor(input).read(context, input);
        opened.add(read);
        return read;
    }
}
