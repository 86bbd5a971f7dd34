package dev.mesh.templates;

import static dev.mesh.spec.model.TemplateParameter.Type.STRING;
import static dev.mesh.spec.model.TemplateParameter.Type.STRING_LIST;

import dev.mesh.spec.model.OutputSpec;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.TemplateParameter;
import dev.mesh.spec.model.TemplateParameters;
import dev.mesh.spec.spi.TemplateCheck;
import dev.mesh.spec.spi.TemplateDescriptor;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code cdc}: applies change events (inserts, updates, deletes) of the product's one input to the product by its
 * output keys. Spark-free, so that {@code mesh validate} checks it; {@link CdcTemplate} runs it.
 */
public final class CdcDescriptor implements TemplateDescriptor {
    static final String NAME = "cdc";
    static final List<String> DEFAULT_UPSERTS = List.of("I", "U", "INSERT", "UPDATE", "C", "CREATE");
    static final List<String> DEFAULT_DELETES = List.of("D", "DELETE");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "applies change events to the product by output.keys with one Delta MERGE per run: each key's "
                + "latest event by orderBy wins (a delete wins a tie), an event older than the key's published row "
                + "is ignored, a delete of a missing key does nothing, an update of a missing key inserts it";
    }

    @Override
    public List<TemplateParameter> parameters() {
        return List.of(
                TemplateParameter.required("operation", STRING, "the input column that says what an event is "
                        + "(insert, update or delete)"),
                TemplateParameter.required("orderBy", STRING_LIST, "output columns whose greatest values mark a "
                        + "key's latest event (e.g. [changed_at] or [lsn]); kept in the product so that later "
                        + "batches' older events are recognised"),
                TemplateParameter.optional("upsertValues", STRING_LIST, DEFAULT_UPSERTS, "operation values that "
                        + "insert or update the key's row (compared ignoring case)"),
                TemplateParameter.optional("deleteValues", STRING_LIST, DEFAULT_DELETES, "operation values that "
                        + "delete the key's row (compared ignoring case)"));
    }

    @Override
    public void validate(TemplateParameters parameters, TemplateCheck check) {
        check.requireOneInput(NAME, "combine the inputs with a sql product first, and apply its events");
        check.requireFixedColumns(NAME);
        Optional<OutputSpec> output = check.output();
        if (output.isPresent() && (output.get().mode() != WriteMode.MERGE || output.get().keys().isEmpty())) {
            check.problem("template", "cdc applies events to rows by key: set output.mode: merge and output.keys");
        }
        List<String> orderBy = parameters.strings("orderBy");
        if (orderBy.isEmpty()) {
            check.problem("orderBy", "must name at least one column");
        }
        check.requireOutputColumns("orderBy", orderBy);
        output.ifPresent(port -> orderBy.stream().filter(port.keys()::contains).forEach(column ->
                check.problem("orderBy", "'" + column + "' is a key; events of one key all have the same value, "
                        + "so it cannot say which is latest")));
        String operation = parameters.string("operation").orElse("");
        output.filter(port -> port.column(operation).isPresent()).ifPresent(port -> check.problem("operation",
                "'" + operation + "' is an output column; the operation is consumed by the merge, so leave it out "
                        + "of output.schema"));
        List<String> upserts = upper(parameters.strings("upsertValues"));
        for (String delete : upper(parameters.strings("deleteValues"))) {
            if (upserts.contains(delete)) {
                check.problem("deleteValues", "'" + delete + "' is also an upsert value; a value means one thing");
            }
        }
    }

    static List<String> upper(List<String> values) {
        return values.stream().map(value -> value.toUpperCase(Locale.ROOT)).toList();
    }
}
