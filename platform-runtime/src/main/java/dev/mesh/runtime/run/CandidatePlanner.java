package dev.mesh.runtime.run;

import dev.mesh.error.MeshException;
import dev.mesh.error.PlainMessages;
import dev.mesh.runtime.spi.ProductTemplate;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.runtime.spi.SourceFile;
import dev.mesh.runtime.spi.TableChange;
import dev.mesh.runtime.sql.PlanColumnLineage;
import dev.mesh.runtime.sql.SqlGuard;
import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.ProductInputSpec;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.RowRuleSpec;
import dev.mesh.spec.validation.ColumnFlow;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plan phase: the template's result over the inputs' views, conformed to the output and annotated by the row
 * rules, checked to read nothing but the inputs, to launder no personal data and to widen no visibility; for a
 * rebuild of files published in several batches, the table those batches build when replayed in order.
 */
final class CandidatePlanner {
    // logged under the runner's name, as users and log configurations know it
    private static final Logger LOG = LoggerFactory.getLogger(ProductRunner.class);
    /** The view of a replayed rebuild's table. */
    private static final String REBUILT = "mesh_rebuilt";

    private final RunScope scope;
    private final ProductSpec product;
    private final SparkSession session;

    CandidatePlanner(RunScope scope) {
        this.scope = scope;
        this.product = scope.product();
        this.session = scope.session();
    }

    Candidate plan(Resolution resolution, List<ResolvedInput> opened) {
        RunServices services = scope.services();
        if (ReplayedRebuild.applies(product, scope.options())) {
            TreeMap<Long, Map<String, List<SourceFile>>> batches = ReplayedRebuild.batches(resolution.inputs(),
                    resolution.ingested());
            if (batches.size() > 1) {
                return replayed(resolution, opened, batches);
            }
        }
        // templates see each input as its view, so that every plan can be checked to read nothing else
        Map<String, Dataset<Row>> views = new LinkedHashMap<>();
        for (ResolvedInput input : resolution.inputs()) {
            input.rows().createOrReplaceTempView(input.name());
            views.put(input.name(), session.table(input.name()));
        }
        ProductTemplate template = services.extensions().templateFor(product.transform().template());
        Dataset<Row> result = scope.stages().time("plan", () -> template.transform(session, product, views));
        Optional<TableChange> change = template.tableChange(product);
        List<RowRuleSpec> rules = product.quality().rowRules();
        // row rules are one more column of the same plan: the inputs are read once for good and bad rows
        Dataset<Row> rows = scope.stages().time("plan", () -> {
            List<String> added = resolution.inputs().stream().flatMap(input -> input.addedColumns().stream())
                    .toList();
            Dataset<Row> conformed = OutputConformer.conform(result, product,
                    change.map(TableChange::carriedColumns).orElse(List.of()), added);
            ColumnLineage lineage = PlanColumnLineage.of(conformed, views.keySet());
            scope.planned(lineage);
            requireNoLaunderedPersonalData(lineage);
            Dataset<Row> selected = inRange(conformed);
            Dataset<Row> annotated = rules.isEmpty() ? selected : RowRules.annotate(selected, rules);
            SqlGuard.requireOnlyInputs(annotated, Set.copyOf(views.keySet()),
                    product.id() + " (" + product.file() + "): the " + product.transform().template()
                            + " template's result");
            requireChecksReadOnlyTheRows(conformed, Set.copyOf(views.keySet()));
            return annotated;
        });
        return new Candidate(rows, !rules.isEmpty(), change, Map.of());
    }

    /** The table the published batches of landing files build when replayed in order, as one candidate. */
    private Candidate replayed(Resolution resolution, List<ResolvedInput> opened,
            TreeMap<Long, Map<String, List<SourceFile>>> batches) {
        RunServices services = scope.services();
        DomainSpec domain = scope.domain();
        ReplayedRebuild rebuild = new ReplayedRebuild(session, product, domain, services.zones(),
                services.extensions(), services.environment());
        String staging = services.zones().staging(product.id()) + "/rebuild-" + scope.runId();
        scope.onClose(() -> rebuild.discard(staging));
        Map<String, Long> replayedBatches = new HashMap<>();
        batches.forEach((batch, files) -> files.forEach((input, list) -> list.forEach(file -> {
            if (batch != Long.MAX_VALUE) {
                replayedBatches.put(Candidate.fileKey(input, file.path()), batch);
            }
        })));
        LOG.info("{}: rebuilding from {} batches of landing files, in the order they were published", product.id(),
                batches.size());
        Dataset<Row> rebuilt = scope.stages().time("plan", () -> rebuild.replay(batches, resolution.inputs(),
                staging, opened));
        // the checks see the rebuilt rows as a view, as they see any candidate's inputs
        rebuilt.createOrReplaceTempView(REBUILT);
        Dataset<Row> rows = session.table(REBUILT);
        requireChecksReadOnlyTheRows(rows, Set.of(REBUILT));
        return new Candidate(inRange(rows), false, Optional.empty(), replayedBatches);
    }

    /**
     * Classification and visibility follow the data, checked again on the plan the run analysed (validation saw the
     * declared columns): a port visible outside the domain publishes no raw personal data under another
     * classification, and no values of another domain's product to more domains than its producer shares them with.
     */
    private void requireNoLaunderedPersonalData(ColumnLineage lineage) {
        List<ColumnFlow.Laundered> laundered = scope.columnFlow().laundered(product, lineage);
        if (!laundered.isEmpty()) {
            throw MeshException.invalidInput("%s (%s): %s; nothing was published", product.id(), product.file(),
                    laundered.stream().map(l -> l.describe(product)).collect(Collectors.joining("; ")));
        }
        List<String> domains = scope.services().mesh().domains().stream().map(DomainSpec::name).toList();
        for (InputSpec input : product.inputs()) {
            if (input instanceof ProductInputSpec read) {
                Optional<String> widening = scope.services().mesh().product(read.product()).flatMap(upstream ->
                        ColumnFlow.widening(product, read, upstream, lineage, domains));
                if (widening.isPresent()) {
                    throw MeshException.accessDenied("%s (%s): access.visibility %s; nothing was published",
                            product.id(), product.file(), widening.get());
                }
            }
        }
    }

    /**
     * Each check written in SQL, planned over the rows it will judge before anything runs: it must read only them (as
     * rule expressions must), and one that does not fit the output is named here, not blamed on another check by the
     * gate.
     */
    private void requireChecksReadOnlyTheRows(Dataset<Row> rows, Set<String> views) {
        List<CheckSpec> checks = product.quality().checks();
        for (int i = 0; i < checks.size(); i++) {
            CheckSpec check = checks.get(i);
            if (check.sql() == null || check.sql().isBlank()) {
                continue;
            }
            String what = product.id() + " (" + product.file() + "): quality.checks[" + i + "] '" + check.name() + "'";
            Dataset<Row> judged;
            try {
                judged = rows.select(functions.expr(check.sql()));
                SqlGuard.requireAnalyzed(judged);
            } catch (Exception e) {
                // Spark's parse and analysis errors are checked exceptions Scala throws undeclared
                throw MeshException.invalidInput("%s: %s is not a condition on the output's columns (%s): %s", what,
                        check.sql(), String.join(", ", product.output().columnNames()), PlainMessages.of(e));
            }
            SqlGuard.requireOnlyInputs(judged, views, what);
        }
    }

    /** The rows of a backfill's range; a predicate that does not fit the output is the user's to fix. */
    private Dataset<Row> inRange(Dataset<Row> rows) {
        Optional<String> range = scope.options().replaceWhere();
        if (range.isEmpty()) {
            return rows;
        }
        try {
            return rows.where(functions.expr(range.get()));
        } catch (Exception e) {
            // Spark's parse and analysis errors are checked exceptions Scala throws undeclared
            throw MeshException.invalidInput("%s: --partitions \"%s\" is not a condition on the output's columns "
                    + "(%s): %s", product.id(), range.get(), String.join(", ", product.output().columnNames()),
                    PlainMessages.of(e));
        }
    }
}
