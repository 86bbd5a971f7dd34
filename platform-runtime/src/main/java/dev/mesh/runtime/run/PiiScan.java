package dev.mesh.runtime.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.mesh.spec.ProductSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The data-level PII check of a {@code piiDetection} policy: one aggregation over the rows a run would publish
 * counts, per text column not classified {@code pii}, the values that look like e-mail addresses, phone numbers,
 * IBANs or card numbers (13 to 19 digits that pass the Luhn check). Only counts leave the executors: a finding names
 * the column, the kind and the share, never a value.
 */
final class PiiScan {
    private static final Map<String, String> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("e-mail addresses", "^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$");
        KINDS.put("phone numbers", "^(\\+[0-9][0-9 ().-]{6,18}[0-9]|\\(?[0-9]{1,4}\\)?([ .-][0-9]{2,4}){2,4})$");
        KINDS.put("IBANs", "^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$");
    }

    private PiiScan() {}

    /** What the scan found in one column. */
    record Detection(String column, String kind, double share, long values) {
        String describe() {
            return String.format(Locale.ROOT, "column '%s': %.0f%% of its %d values look like %s", column,
                    share * 100, values, kind);
        }
    }

    static List<Detection> scan(Dataset<Row> rows, ProductSpec product, double minShare) {
        List<String> columns = new ArrayList<>();
        for (StructField field : rows.schema().fields()) {
            boolean classified = product.output().column(field.name()).map(c -> c.isPii()).orElse(false);
            if (field.dataType().equals(DataTypes.StringType) && !classified) {
                columns.add(field.name());
            }
        }
        if (columns.isEmpty()) {
            return List.of();
        }
        List<Column> aggregates = new ArrayList<>();
        for (String name : columns) {
            Column value = col("`" + name + "`");
            Column compact = regexp_replace(value, "[ -]", "");
            Column card = luhn(compact);
            aggregates.add(count(value));
            for (String pattern : KINDS.values()) {
                Column tested = pattern.startsWith("^[A-Z]{2}") ? compact : value;
                // a card number grouped in fours is a card number, not a phone number
                aggregates.add(sum(when(tested.rlike(pattern).and(functions.not(card)), lit(1L)).otherwise(lit(0L))));
            }
            aggregates.add(sum(when(card, lit(1L)).otherwise(lit(0L))));
        }
        Row counts = rows.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
                .head();
        List<String> kinds = new ArrayList<>(KINDS.keySet());
        kinds.add("card numbers");
        List<Detection> found = new ArrayList<>();
        int at = 0;
        for (String name : columns) {
            long values = counts.getLong(at++);
            for (String kind : kinds) {
                long matching = counts.isNullAt(at) ? 0 : counts.getLong(at);
                at++;
                if (values > 0 && (double) matching / values >= minShare) {
                    found.add(new Detection(name, kind, (double) matching / values, values));
                }
            }
        }
        return found;
    }

    /** 13 to 19 digits whose Luhn sum is a multiple of 10. */
    private static Column luhn(Column digits) {
        Column length = functions.length(digits);
        Column sum = functions.aggregate(functions.sequence(lit(0), length.minus(1)), lit(0), (acc, i) -> {
            // the i-th digit from the right; every second one doubled, less 9 when that makes two digits
            Column digit = digits.substr(length.minus(i), lit(1)).cast("int");
            Column doubled = digit.multiply(2).minus(when(digit.gt(4), lit(9)).otherwise(lit(0)));
            return acc.plus(when(functions.pmod(i, lit(2)).equalTo(1), doubled).otherwise(digit));
        });
        return when(digits.rlike("^[0-9]{13,19}$"), functions.pmod(sum, lit(10)).equalTo(0)).otherwise(lit(false));
    }
}
