package dev.mesh.runtime.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.AtomicType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;

/**
 * The range a merge batch spans in each of its keys, as conditions on the target's rows ({@code t}): a target row
 * outside it cannot match any row of the batch, so adding them to a MERGE's condition changes nothing it does, and lets
 * Delta skip every file whose column statistics lie outside the batch (and check conflicts against those it read).
 * One aggregation over the batch finds them. A key the batch has a null in gets no range: its rows match by
 * {@code <=>}, nulls included; so does a key whose type has no useful order.
 */
final class KeyRanges {
    private KeyRanges() {}

    /** The range of one key in the batch, both ends included. */
    record Range(String key, Object low, Object high) {
        /** The condition that a row of the table {@code alias} ({@code t}; empty: unqualified) is in the range. */
        Column on(String alias) {
            Column column = col((alias.isEmpty() ? "" : alias + ".") + "`" + key + "`");
            return column.geq(lit(low)).and(column.leq(lit(high)));
        }
    }

    /** The ranges of the keys of {@code batch} that have one; none for an empty batch. */
    static List<Range> of(Dataset<Row> batch, List<String> keys) {
        List<String> ranged = keys.stream().filter(key -> Arrays.stream(batch.schema().fields())
                .anyMatch(field -> field.name().equalsIgnoreCase(key) && orderable(field.dataType()))).toList();
        if (ranged.isEmpty()) {
            return List.of();
        }
        List<Column> aggregates = new ArrayList<>();
        for (String key : ranged) {
            Column column = col("`" + key + "`");
            aggregates.add(min(column));
            aggregates.add(max(column));
            aggregates.add(count_if(column.isNull()));
        }
        Row bounds = batch.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
                .first();
        List<Range> ranges = new ArrayList<>();
        for (int i = 0; i < ranged.size(); i++) {
            Object low = bounds.get(3 * i);
            Object high = bounds.get(3 * i + 1);
            if (low == null || high == null || bounds.getLong(3 * i + 2) > 0) {
                continue;
            }
            ranges.add(new Range(ranged.get(i), low, high));
        }
        return List.copyOf(ranges);
    }

    /** Every range's condition on the table {@code alias}, joined by AND; empty without ranges. */
    static java.util.Optional<Column> all(List<Range> ranges, String alias) {
        return ranges.stream().map(range -> range.on(alias)).reduce(Column::and);
    }

    private static boolean orderable(DataType type) {
        return type instanceof AtomicType && !(type instanceof BinaryType) && !(type instanceof BooleanType);
    }
}
