package dev.mesh.spec.builtin;

import dev.mesh.spec.model.TemplateParameter;
import dev.mesh.spec.model.TemplateParameters;
import dev.mesh.spec.spi.TemplateCheck;
import dev.mesh.spec.spi.TemplateDescriptor;
import java.util.List;

/** {@code ingest}: publishes the product's one input as declared; the runtime projects and casts it to the output. */
public final class IngestDescriptor implements TemplateDescriptor {
    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public String summary() {
        return "publishes the product's one input as declared, projected and cast to the output schema";
    }

    @Override
    public List<TemplateParameter> parameters() {
        return List.of();
    }

    @Override
    public void validate(TemplateParameters parameters, TemplateCheck check) {
        check.requireOneInput(name(), "use template: sql to combine inputs");
    }
}
