package dev.mesh.runtime.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.ProductSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;

/**
 * The data-level PII check of a {@code piiDetection} policy: one aggregation over the rows a run would publish
 * counts, per column not classified {@code pii}, the values that look like e-mail addresses, phone numbers, IBANs or
 * card numbers (13 to 19 digits that pass the Luhn check). Values are normalised before they are matched, so that
 * formatting does not step around it: trimmed, spaces collapsed, an address found inside a mailbox form ({@code Ann
 * Lee <ann@example.com>}) or a sentence, separators (spaces, dashes, dots, slashes, parentheses) removed from numbers,
 * IBANs upper-cased. Numeric columns are scanned for card numbers (a card number stored as a {@code bigint} or a
 * decimal is one all the same). Only counts leave the executors: a finding names the column, the kind and the share,
 * never a value.
 */
final class PiiScan {
    static final List<String> KINDS = List.of("e-mail addresses", "phone numbers", "IBANs", "card numbers");
    /** An address anywhere in the value: alone, in a mailbox form, in a sentence. */
    private static final String EMAIL = "(^|[^A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*"
            + "\\.[A-Za-z]{2,}($|[^A-Za-z0-9-])";
    /** Separators people write numbers with. */
    private static final String SEPARATORS = "[\\s().\\-/]";
    /** International (+49..., 0049...), or national with its trunk zero (030 1234567): 7 to 15 digits. */
    private static final String PHONE = "^((\\+|00)[1-9][0-9]{6,14}|0[1-9][0-9]{5,13})$";
    /** Digits written with separators between groups, as phone numbers are (555-0101, 555 123 4567). */
    private static final String GROUPED_DIGITS = "^\\+?[0-9]{2,5}([\\s.\\-/][0-9]{2,5}){1,4}$|^\\([0-9]{2,5}\\)";
    private static final String IBAN = "^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$";

    private PiiScan() {}

    /** What the scan found in one column. */
    record Detection(String column, String kind, double share, long values) {
        String describe() {
            return String.format(Locale.ROOT, "column '%s': %.0f%% of its %d values look like %s", column,
                    share * 100, values, kind);
        }
    }

    static List<Detection> scan(Dataset<Row> rows, ProductSpec product, double minShare) {
        Set<String> classified = product.output().schema().stream().filter(ColumnSpec::isPii)
                .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return scan(rows, classified, minShare);
    }

    /** The columns of {@code rows} (but the {@code classified} ones) whose values look like personal data. */
    static List<Detection> scan(Dataset<Row> rows, Set<String> classified, double minShare) {
        List<StructField> columns = new ArrayList<>();
        for (StructField field : rows.schema().fields()) {
            if ((text(field.dataType()) || numeric(field.dataType()))
                    && !classified.contains(field.name().toLowerCase(Locale.ROOT))) {
                columns.add(field);
            }
        }
        if (columns.isEmpty()) {
            return List.of();
        }
        List<Column> aggregates = new ArrayList<>();
        for (StructField field : columns) {
            Column value = col("`" + field.name() + "`");
            aggregates.add(count(value));
            for (Column looksLike : kinds(value, field.dataType())) {
                aggregates.add(sum(when(looksLike, lit(1L)).otherwise(lit(0L))));
            }
        }
        Row counts = rows.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
                .head();
        List<Detection> found = new ArrayList<>();
        int at = 0;
        for (StructField field : columns) {
            long values = counts.getLong(at++);
            for (String kind : KINDS) {
                long matching = counts.isNullAt(at) ? 0 : counts.getLong(at);
                at++;
                if (values > 0 && (double) matching / values >= minShare) {
                    found.add(new Detection(field.name(), kind, (double) matching / values, values));
                }
            }
        }
        return found;
    }

    /** One condition per kind, in the order of {@link #KINDS}. */
    private static List<Column> kinds(Column value, DataType type) {
        if (numeric(type)) {
            // an integral number written as digits: a decimal's scale and a double's exponent do not count
            Column digits = type instanceof DecimalType || type.equals(DataTypes.DoubleType)
                    || type.equals(DataTypes.FloatType)
                    ? when(value.equalTo(functions.floor(value)), value.cast("decimal(38,0)").cast("string"))
                    : value.cast("string");
            return List.of(lit(false), lit(false), lit(false), luhn(regexp_replace(digits, "^-", "")));
        }
        Column text = trim(regexp_replace(value, "\\s+", " "));
        Column compact = regexp_replace(text, SEPARATORS, "");
        Column card = luhn(compact);
        // a card number grouped in fours is a card number, not a phone number
        Column phone = compact.rlike(PHONE).or(text.rlike(GROUPED_DIGITS).and(compact.rlike("^\\+?[0-9]{7,15}$")))
                .and(functions.not(card));
        return List.of(text.rlike(EMAIL), phone, upper(compact).rlike(IBAN).and(functions.not(card)), card);
    }

    private static boolean text(DataType type) {
        return type.equals(DataTypes.StringType);
    }

    private static boolean numeric(DataType type) {
        return type.equals(DataTypes.LongType) || type.equals(DataTypes.IntegerType) || type instanceof DecimalType
                || type.equals(DataTypes.DoubleType) || type.equals(DataTypes.FloatType);
    }

    /** 13 to 19 digits, the first not 0, whose Luhn sum is a multiple of 10. */
    private static Column luhn(Column digits) {
        Column length = functions.length(digits);
        Column sum = functions.aggregate(functions.sequence(lit(0), length.minus(1)), lit(0), (acc, i) -> {
            // the i-th digit from the right; every second one doubled, less 9 when that makes two digits
            Column digit = digits.substr(length.minus(i), lit(1)).cast("int");
            Column doubled = digit.multiply(2).minus(when(digit.gt(4), lit(9)).otherwise(lit(0)));
            return acc.plus(when(functions.pmod(i, lit(2)).equalTo(1), doubled).otherwise(digit));
        });
        // no card number starts with 0 (an issuer's first digit is 1 to 9); a phone number dialled with 00 does
        return when(digits.rlike("^[1-9][0-9]{12,18}$"), functions.pmod(sum, lit(10)).equalTo(0))
                .otherwise(lit(false));
    }
}
