package dev.mesh.templates;

import static dev.mesh.spec.model.TemplateParameter.Type.STRING_LIST;

import dev.mesh.spec.model.TemplateParameter;
import dev.mesh.spec.model.TemplateParameters;
import dev.mesh.spec.spi.TemplateCheck;
import dev.mesh.spec.spi.TemplateDescriptor;
import java.util.List;

/**
 * {@code dedupe}: the latest row per key of the product's one input. Spark-free, so that {@code mesh validate} checks
 * it; {@link DedupeTemplate} runs it.
 */
public final class DedupeDescriptor implements TemplateDescriptor {
    static final String NAME = "dedupe";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "keeps the latest row per key of the product's one input: the greatest orderBy values win, nulls "
                + "lose; ties go to the row whose other columns, compared in the input's order, are greatest";
    }

    @Override
    public List<TemplateParameter> parameters() {
        return List.of(
                TemplateParameter.required("keys", STRING_LIST, "the output columns that identify a row"),
                TemplateParameter.required("orderBy", STRING_LIST, "the columns whose greatest values mark the "
                        + "latest row, compared in the order listed (e.g. [updated_at])"));
    }

    @Override
    public void validate(TemplateParameters parameters, TemplateCheck check) {
        check.requireOneInput(NAME, "combine the inputs with a sql product first, and dedupe that");
        List<String> keys = parameters.strings("keys");
        List<String> orderBy = parameters.strings("orderBy");
        if (keys.isEmpty()) {
            check.problem("keys", "must name at least one column");
        }
        if (orderBy.isEmpty()) {
            check.problem("orderBy", "must name at least one column");
        }
        check.requireOutputColumns("keys", keys);
        for (String column : orderBy) {
            if (keys.contains(column)) {
                check.problem("orderBy", "'" + column + "' is a key; rows of one key all have the same value, so "
                        + "it cannot say which is latest");
            }
        }
    }
}
