package dev.mesh.templates;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One JSON line as text values of the declared columns, read the way CSV headers are bound and values parsed strictly:
 * a number is its exact text (never read through a double, so {@code 1.00000000000000001} stays what it says), a key
 * binds to a column exactly or else ignoring case, and a record whose keys name one column twice (a duplicate key, or
 * {@code amount} beside {@code Amount}) comes back with the reason, for quarantine. Undeclared keys are ignored; a
 * line that is not one JSON object is malformed. The lenient forms Spark's JSON reader takes (single quotes, NaN by
 * default; comments, unquoted names... when an option asks) are taken the same way. A Spark UDF over the line's
 * bytes, decoded in the files' encoding (undecodable bytes become U+FFFD, which the strict parse reports).
 */
final class JsonRecords implements UDF1<byte[], Row> {
    private static final long serialVersionUID = 1L;
    static final String CORRUPT = TextFiles.CORRUPT;
    static final String MISMATCH = "_mesh_mismatch";

    /** The lenient forms of JSON Spark's reader takes when asked (by the option of that name), with its defaults. */
    private static final Map<String, Map.Entry<JsonReadFeature, Boolean>> LENIENCY = Map.of(
            "allowComments", Map.entry(JsonReadFeature.ALLOW_JAVA_COMMENTS, false),
            "allowUnquotedFieldNames", Map.entry(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, false),
            "allowSingleQuotes", Map.entry(JsonReadFeature.ALLOW_SINGLE_QUOTES, true),
            "allowNumericLeadingZeros", Map.entry(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS, false),
            "allowNonNumericNumbers", Map.entry(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, true),
            "allowBackslashEscapingAnyCharacter", Map.entry(
                    JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER, false),
            "allowUnquotedControlChars", Map.entry(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS, false));

    private final List<String> columns;
    private final String charset;
    private final Map<String, Boolean> leniency;
    private transient JsonFactory factory;

    /** {@code options}: the input's reader options, of which those naming a lenient form apply as in Spark's reader. */
    JsonRecords(List<String> columns, String charset, Map<String, String> options) {
        this.columns = List.copyOf(columns);
        this.charset = charset;
        Map<String, Boolean> allowed = new java.util.HashMap<>();
        LENIENCY.forEach((option, feature) -> allowed.put(option, options.containsKey(option)
                ? Boolean.parseBoolean(options.get(option).strip()) : feature.getValue()));
        this.leniency = Map.copyOf(allowed);
    }

    /** The UDF's result: each declared column as text, the malformed line, the reason its keys do not bind. */
    StructType type() {
        StructType type = new StructType();
        for (String column : columns) {
            type = type.add(column, DataTypes.StringType, true);
        }
        return type.add(CORRUPT, DataTypes.StringType, true).add(MISMATCH, DataTypes.StringType, true)
                .add("line", DataTypes.StringType, true);
    }

    @Override
    public Row call(byte[] bytes) {
        Object[] values = new Object[columns.size() + 3];
        String line = decode(bytes);
        values[columns.size() + 2] = line;
        try (JsonParser parser = factory().createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                values[columns.size()] = line;
                return RowFactory.create(values);
            }
            String[] boundBy = new String[columns.size()];
            java.util.Set<String> seen = new java.util.HashSet<>();
            String mismatch = null;
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String key = parser.currentName();
                parser.nextToken();
                if (seen.contains(key)) {
                    mismatch = mismatch != null ? mismatch : "key '" + key + "' appears twice in the record";
                }
                seen.add(key);
                int column = bind(key);
                String value = text(parser);
                if (column < 0) {
                    continue;
                }
                if (boundBy[column] != null && !boundBy[column].equals(key)) {
                    mismatch = mismatch != null ? mismatch : "keys '" + boundBy[column] + "' and '" + key
                            + "' both name column '" + columns.get(column) + "'";
                }
                boundBy[column] = key;
                values[column] = value;
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                values[columns.size()] = line;
            }
            values[columns.size() + 1] = mismatch;
        } catch (IOException | RuntimeException e) {
            // not JSON, or beyond the parser's limits (nesting, length): a malformed record, with its text
            java.util.Arrays.fill(values, 0, columns.size() + 2, null);
            values[columns.size()] = line;
        }
        return RowFactory.create(values);
    }

    /** The column a key binds to: the one of its exact name, else the one that matches ignoring case; -1 for none. */
    private int bind(String key) {
        int exact = columns.indexOf(key);
        if (exact >= 0) {
            return exact;
        }
        String lower = key.toLowerCase(Locale.ROOT);
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).toLowerCase(Locale.ROOT).equals(lower)) {
                return i;
            }
        }
        return -1;
    }

    /** A scalar's exact text (a number as written), null for null, an object or array as its JSON text. */
    private String text(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token.isScalarValue()) {
            return parser.getText();
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = factory().createGenerator(out)) {
            generator.copyCurrentStructure(parser);
        }
        return out.toString();
    }

    private String decode(byte[] bytes) {
        try {
            return Charset.forName(charset).newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonFactory factory() {
        if (factory == null) {
            JsonFactoryBuilder builder = new JsonFactoryBuilder();
            leniency.forEach((option, allowed) -> builder.configure(LENIENCY.get(option).getKey(), allowed));
            factory = builder.build();
        }
        return factory;
    }
}
