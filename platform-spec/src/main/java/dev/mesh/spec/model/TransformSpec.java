package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

/**
 * Which template turns the inputs into the candidate output (a name from the {@link TemplateCatalog}), with the
 * parameters its {@link TemplateDescriptor} declares, bound and validated.
 */
public record TransformSpec(String template, TemplateParameters parameters) {
    public TransformSpec {
        requireNonNull(template, "template is null");
        requireNonNull(parameters, "parameters is null");
    }
}
