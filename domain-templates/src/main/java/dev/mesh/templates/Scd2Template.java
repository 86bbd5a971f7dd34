package dev.mesh.templates;

import static dev.mesh.templates.Scd2Descriptor.IS_CURRENT;
import static dev.mesh.templates.Scd2Descriptor.VALID_FROM;
import static dev.mesh.templates.Scd2Descriptor.VALID_TO;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.mesh.runtime.spi.ProductTemplate;
import dev.mesh.runtime.spi.TableChange;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.TemplateParameters;
import io.delta.tables.DeltaMergeBuilder;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Runs {@link Scd2Descriptor}. The batch becomes a history of its own: one row per key and time ({@link LatestRows}'
 * rule for ties), rows whose tracked values equal the key's previous row dropped, each version valid until the next
 * one. A product's first run (and a full refresh, over all its inputs) writes that history; later runs merge it into
 * the published one in one MERGE: a key's versions not newer than its current version are ignored, a first version
 * equal to the current one adds nothing, and the current version of a key with new versions is closed at the first
 * of them. With closeMissing, the current version of every key the batch does not list is closed at the run's time
 * (the not-matched-by-source clause is scoped to current versions).
 */
public final class Scd2Template implements ProductTemplate {
    private static final String FROM = "__mesh_from";
    private static final String PREVIOUS = "__mesh_previous";
    private static final String CURRENT_FROM = "__mesh_current_from";
    private static final String CURRENT_VALUES = "__mesh_current_values";
    private static final String RANK = "__mesh_rank";
    private static final String CLOSE_AT = "__mesh_close_at";
    private static final String MATCH_KEY = "__mesh_key_";

    @Override
    public String name() {
        return Scd2Descriptor.NAME;
    }

    @Override
    public Dataset<Row> transform(SparkSession spark, ProductSpec product, Map<String, Dataset<Row>> inputs) {
        Dataset<Row> input = inputs.values().iterator().next();
        TemplateParameters parameters = product.transform().parameters();
        List<String> keys = LatestRows.resolve(input, parameters.strings("keys"), "transform.keys", product);
        String validFrom = LatestRows.resolve(input, List.of(parameters.requiredString("validFrom")),
                "transform.validFrom", product).get(0);
        List<String> tracked = LatestRows.resolve(input, tracked(product), "transform.tracked", product);
        Column from = LatestRows.column(validFrom).cast("timestamp");
        Dataset<Row> timed = input.withColumn(FROM, when(from.isNull(), raise_error(lit(product.id()
                + ": the scd2 template needs a time for every row, and a row has no " + validFrom
                + "; fill it at the source or drop such rows in a sql product first"))).otherwise(from));
        List<String> keysAndTime = new ArrayList<>(keys);
        keysAndTime.add(FROM);
        Dataset<Row> onePerTime = LatestRows.keep(timed, keysAndTime, List.of(), Set.of());
        WindowSpec byKey = Window.partitionBy(columns(keys)).orderBy(col(FROM));
        Column values = values(tracked);
        return onePerTime.withColumn(PREVIOUS, lag(values, 1).over(byKey))
                .where(not(col(PREVIOUS).eqNullSafe(values)))
                .withColumn(VALID_TO, lead(col(FROM), 1).over(byKey))
                .withColumn(IS_CURRENT, col(VALID_TO).isNull())
                .withColumn(VALID_FROM, col(FROM))
                .drop(PREVIOUS, FROM);
    }

    @Override
    public Optional<TableChange> tableChange(ProductSpec product) {
        return Optional.of(new History(product));
    }

    /** The tracked output columns: those listed, or every column but keys, the time and the history columns. */
    static List<String> tracked(ProductSpec product) {
        TemplateParameters parameters = product.transform().parameters();
        List<String> listed = parameters.strings("tracked");
        if (!listed.isEmpty()) {
            return listed;
        }
        List<String> skipped = new ArrayList<>(parameters.strings("keys"));
        skipped.addAll(List.of(parameters.requiredString("validFrom"), VALID_FROM, VALID_TO, IS_CURRENT));
        return product.output().columnNames().stream().filter(column -> !skipped.contains(column)).toList();
    }

    private static Column values(List<String> tracked) {
        return tracked.isEmpty() ? lit(true) : struct(columns(tracked));
    }

    private static Column[] columns(List<String> names) {
        return names.stream().map(LatestRows::column).toArray(Column[]::new);
    }

    /** Merges a batch's history into the published one. */
    private static final class History implements TableChange {
        private final ProductSpec product;
        private final List<String> keys;
        private final List<String> tracked;

        History(ProductSpec product) {
            this.product = product;
            this.keys = product.transform().parameters().strings("keys");
            this.tracked = tracked(product);
        }

        @Override
        public List<String> carriedColumns() {
            return List.of();
        }

        @Override
        public Dataset<Row> published(Dataset<Row> candidate) {
            return candidate;
        }

        @Override
        public void merge(DeltaTable target, Dataset<Row> candidate) {
            List<Column> currentColumns = new ArrayList<>();
            keys.forEach(key -> currentColumns.add(LatestRows.column(key)));
            currentColumns.add(col(VALID_FROM).as(CURRENT_FROM));
            currentColumns.add(values(tracked).as(CURRENT_VALUES));
            Dataset<Row> current = target.toDF().where(col(IS_CURRENT)).select(currentColumns.toArray(Column[]::new));
            Dataset<Row> joined = candidate.as("s").join(current.as("c"), keysMatch("s", "c"), "left")
                    .select(col("s.*"), col("c." + CURRENT_FROM), col("c." + CURRENT_VALUES));
            // versions newer than the current one, less a first one that repeats it
            Dataset<Row> newer = joined.where(col(CURRENT_FROM).isNull().or(col(VALID_FROM).gt(col(CURRENT_FROM))))
                    .withColumn(RANK, row_number().over(Window.partitionBy(columns(keys)).orderBy(col(VALID_FROM))));
            Dataset<Row> kept = newer.where(not(col(RANK).equalTo(1)
                    .and(col(CURRENT_VALUES).eqNullSafe(values(tracked)))));
            // one row per listed key with a current version: the time to close it at, if any (also what keeps a
            // listed key's current version from closeMissing)
            Dataset<Row> firsts = kept.groupBy(columns(keys)).agg(min(col(VALID_FROM)).as(CLOSE_AT));
            List<Column> closeColumns = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                closeColumns.add(col("k." + LatestRows.quoted(keys.get(i))).as(MATCH_KEY + i));
            }
            closeColumns.add(col("f." + CLOSE_AT));
            Dataset<Row> closes = joined.where(col(CURRENT_FROM).isNotNull()).select(columns(keys)).distinct().as("k")
                    .join(firsts.as("f"), keysMatch("k", "f"), "left")
                    .select(closeColumns.toArray(Column[]::new));
            Dataset<Row> inserts = kept.select(columns(product.output().columnNames()));
            Dataset<Row> staged = closes.unionByName(inserts, true);

            StringBuilder matches = new StringBuilder("t." + IS_CURRENT);
            for (int i = 0; i < keys.size(); i++) {
                matches.append(" AND t.").append(LatestRows.quoted(keys.get(i))).append(" = s.").append(MATCH_KEY).append(i);
            }
            Map<String, String> insert = new LinkedHashMap<>();
            product.output().columnNames().forEach(column -> insert.put(LatestRows.quoted(column), "s." + LatestRows.quoted(column)));
            DeltaMergeBuilder merge = target.as("t").merge(staged.as("s"), matches.toString())
                    .whenMatched("s." + CLOSE_AT + " IS NOT NULL")
                    .updateExpr(Map.of(VALID_TO, "s." + CLOSE_AT, IS_CURRENT, "false"))
                    .whenNotMatched("s." + MATCH_KEY + "0 IS NULL").insertExpr(insert);
            if (product.transform().parameters().flag("closeMissing")) {
                merge = merge.whenNotMatchedBySource("t." + IS_CURRENT)
                        .updateExpr(Map.of(VALID_TO, "current_timestamp()", IS_CURRENT, "false"));
            }
            merge.execute();
        }

        private Column keysMatch(String left, String right) {
            Column condition = lit(true);
            for (String key : keys) {
                condition = condition.and(col(left + "." + LatestRows.quoted(key)).eqNullSafe(col(right + "." + LatestRows.quoted(key))));
            }
            return condition;
        }

    }
}
