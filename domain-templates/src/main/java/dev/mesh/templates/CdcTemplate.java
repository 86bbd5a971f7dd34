package dev.mesh.templates;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import dev.mesh.runtime.spi.ProductTemplate;
import dev.mesh.runtime.spi.TableChange;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.TemplateParameters;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs {@link CdcDescriptor}. Each key's events of the batch are reduced to its latest by {@code orderBy} (a delete
 * wins a tie, then {@link LatestRows}' rule), since Delta refuses a MERGE where several source rows match one target
 * row; the latest event then applies only if it is at least as new as the key's published row, so an event that
 * arrives after a newer one (in a later batch) changes nothing. An operation value that is neither an upsert nor a
 * delete value fails the run, naming it. Limit: a delete removes the key's row and its order with it, so an event
 * older than the delete that arrives in a later batch brings the row back.
 */
public final class CdcTemplate implements ProductTemplate {
    static final String DELETED = "_mesh_deleted";

    @Override
    public String name() {
        return CdcDescriptor.NAME;
    }

    @Override
    public Dataset<Row> transform(SparkSession spark, ProductSpec product, Map<String, Dataset<Row>> inputs) {
        Dataset<Row> input = inputs.values().iterator().next();
        TemplateParameters parameters = product.transform().parameters();
        List<String> keys = LatestRows.resolve(input, product.output().keys(), "output.keys", product);
        List<String> orderBy = LatestRows.resolve(input, parameters.strings("orderBy"), "transform.orderBy", product);
        String operation = LatestRows.resolve(input, List.of(parameters.requiredString("operation")),
                "transform.operation", product).get(0);
        List<String> upserts = CdcDescriptor.upper(parameters.strings("upsertValues"));
        List<String> deletes = CdcDescriptor.upper(parameters.strings("deleteValues"));
        Column value = upper(trim(LatestRows.column(operation)));
        Column deleted = when(value.isin(deletes.toArray()), lit(true))
                .when(value.isin(upserts.toArray()), lit(false))
                .otherwise(raise_error(concat(lit(product.id() + ": the cdc template cannot apply operation '"),
                        coalesce(LatestRows.column(operation).cast("string"), lit("NULL")),
                        lit("' (column " + operation + "); it is neither an upsert value " + upserts
                                + " nor a delete value " + deletes + ": list it in transform.upsertValues or "
                                + "transform.deleteValues"))));
        List<Column> order = new ArrayList<>();
        orderBy.forEach(column -> order.add(LatestRows.column(column).desc_nulls_last()));
        order.add(col(DELETED).desc());
        return LatestRows.keep(input.withColumn(DELETED, deleted), keys, order,
                Set.copyOf(concatenated(orderBy, List.of(DELETED))));
    }

    @Override
    public Optional<TableChange> tableChange(ProductSpec product) {
        return Optional.of(new Change(product));
    }

    private static List<String> concatenated(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** Deletes and upserts by key, each only over a published row that is not newer. */
    private static final class Change implements TableChange {
        private final ProductSpec product;

        Change(ProductSpec product) {
            this.product = product;
        }

        @Override
        public List<String> carriedColumns() {
            return List.of(DELETED);
        }

        @Override
        public Dataset<Row> published(Dataset<Row> candidate) {
            return candidate.where(not(col(DELETED))).drop(DELETED);
        }

        @Override
        public void merge(DeltaTable target, Dataset<Row> candidate) {
            String keys = product.output().keys().stream().map(key -> "t." + LatestRows.quoted(key) + " <=> s." + LatestRows.quoted(key))
                    .collect(Collectors.joining(" AND "));
            List<String> orderBy = product.transform().parameters().strings("orderBy");
            // structs compare field by field with nulls smallest: an event without an order never wins
            String newer = "struct(" + qualified("s", orderBy) + ") >= struct(" + qualified("t", orderBy) + ")";
            Map<String, String> assignments = new LinkedHashMap<>();
            product.output().columnNames().forEach(column -> assignments.put(LatestRows.quoted(column), "s." + LatestRows.quoted(column)));
            target.as("t").merge(candidate.as("s"), keys)
                    .whenMatched("s." + DELETED + " AND " + newer).delete()
                    .whenMatched("NOT s." + DELETED + " AND " + newer).updateExpr(assignments)
                    .whenNotMatched("NOT s." + DELETED).insertExpr(assignments)
                    .execute();
        }

        private static String qualified(String alias, List<String> columns) {
            return columns.stream().map(column -> alias + "." + LatestRows.quoted(column)).collect(Collectors.joining(", "));
        }

    }
}
