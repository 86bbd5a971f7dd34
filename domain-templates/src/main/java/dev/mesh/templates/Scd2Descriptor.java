package dev.mesh.templates;

import static dev.mesh.spec.model.TemplateParameter.Type.BOOLEAN;
import static dev.mesh.spec.model.TemplateParameter.Type.STRING;
import static dev.mesh.spec.model.TemplateParameter.Type.STRING_LIST;

import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.OutputSpec;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.TemplateParameter;
import dev.mesh.spec.model.TemplateParameters;
import dev.mesh.spec.spi.TemplateCheck;
import dev.mesh.spec.spi.TemplateDescriptor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code scd2}: keeps the history of each key's tracked columns as versions with {@code valid_from}, {@code valid_to}
 * and {@code is_current}. Spark-free, so that {@code mesh validate} checks it; {@link Scd2Template} runs it.
 */
public final class Scd2Descriptor implements TemplateDescriptor {
    static final String NAME = "scd2";
    static final String VALID_FROM = "valid_from";
    static final String VALID_TO = "valid_to";
    static final String IS_CURRENT = "is_current";
    private static final Map<String, String> HISTORY_COLUMNS = Map.of(VALID_FROM, "timestamp", VALID_TO,
            "timestamp", IS_CURRENT, "boolean");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "keeps each key's history (type 2 slowly changing dimension): a change of a tracked column closes "
                + "the key's current version and adds a new one; an unchanged row adds nothing; versions older "
                + "than the current one are ignored; with closeMissing, a key absent from a batch is closed";
    }

    @Override
    public List<TemplateParameter> parameters() {
        return List.of(
                TemplateParameter.required("keys", STRING_LIST, "the columns that identify an entity (output.keys "
                        + "are these plus valid_from)"),
                TemplateParameter.required("validFrom", STRING, "the input column (a timestamp) from which a row's "
                        + "values hold, e.g. updated_at or the snapshot's time"),
                TemplateParameter.optional("tracked", STRING_LIST, List.of(), "the output columns whose change "
                        + "makes a new version (default: every output column but the keys, validFrom and the "
                        + "history columns)"),
                TemplateParameter.optional("closeMissing", BOOLEAN, false, "each batch is a full snapshot: close "
                        + "the current version of every key it does not list"));
    }

    /** The history columns come from the time a row's values hold from, and which rows of a key there are. */
    @Override
    public Map<String, List<String>> madeColumns(TemplateParameters parameters) {
        List<String> from = parameters.string("validFrom").map(List::of).orElse(List.of());
        return Map.of(VALID_FROM, from, VALID_TO, from, IS_CURRENT, from);
    }

    @Override
    public void validate(TemplateParameters parameters, TemplateCheck check) {
        check.requireOneInput(NAME, "combine the inputs with a sql product first, and keep its history");
        check.requireFixedColumns(NAME);
        List<String> keys = parameters.strings("keys");
        if (keys.isEmpty()) {
            check.problem("keys", "must name at least one column");
        }
        check.requireOutputColumns("keys", keys);
        check.requireOutputColumns("tracked", parameters.strings("tracked"));
        Optional<OutputSpec> output = check.output();
        if (output.isEmpty()) {
            return;
        }
        OutputSpec port = output.get();
        List<String> identity = new ArrayList<>(keys);
        identity.add(VALID_FROM);
        if (port.mode() != WriteMode.MERGE || !new HashSet<>(port.keys()).equals(new HashSet<>(identity))) {
            check.problem("template", "scd2 merges versions by key and time: set output.mode: merge and "
                    + "output.keys: [" + String.join(", ", identity) + "]");
        }
        HISTORY_COLUMNS.forEach((column, type) -> {
            Optional<ColumnSpec> declared = port.column(column);
            if (declared.isEmpty() || !declared.get().type().equals(type)) {
                check.problem("template", "scd2 writes the history column " + column + ": declare { name: "
                        + column + ", type: " + type + " } in output.schema");
            }
        });
        for (String column : parameters.strings("tracked")) {
            if (keys.contains(column) || HISTORY_COLUMNS.containsKey(column)) {
                check.problem("tracked", "'" + column + "' is a key or history column; track the other columns");
            }
        }
    }
}
