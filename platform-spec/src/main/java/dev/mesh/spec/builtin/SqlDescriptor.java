package dev.mesh.spec.builtin;

import dev.mesh.spec.model.TemplateParameter;
import dev.mesh.spec.model.TemplateParameters;
import dev.mesh.spec.spi.TemplateCheck;
import dev.mesh.spec.spi.TemplateDescriptor;
import java.util.List;

/** {@code sql}: one Spark SQL query over the inputs, each visible as a view named after the input. */
public final class SqlDescriptor implements TemplateDescriptor {
    @Override
    public String name() {
        return "sql";
    }

    @Override
    public String summary() {
        return "one Spark SQL query over the inputs, each visible as a view named after the input";
    }

    @Override
    public List<TemplateParameter> parameters() {
        return List.of(TemplateParameter.required("sql", TemplateParameter.Type.STRING,
                "a SELECT over the inputs by name"));
    }

    @Override
    public void validate(TemplateParameters parameters, TemplateCheck check) {
        String sql = parameters.requiredString("sql");
        if (sql.isBlank()) {
            check.problem("sql", "is required by the sql template: a SELECT over the inputs by name");
            return;
        }
        check.sqlSyntax().queryProblems(sql, check.inputNames()).forEach(problem -> check.problem("sql", problem));
    }
}
