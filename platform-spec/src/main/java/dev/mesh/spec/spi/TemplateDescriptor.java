package dev.mesh.spec.spi;

import dev.mesh.spec.model.TemplateParameter;
import dev.mesh.spec.model.TemplateParameters;
import java.util.List;
import java.util.Map;

/**
 * What a template is, without Spark: its name (the value of {@code transform.template}), what it does, the parameters
 * it takes beside {@code template}, and the checks on them that need the rest of the product. Descriptors are found
 * through {@link java.util.ServiceLoader} (see {@link TemplateCatalog}); the template's Spark side is a
 * {@code ProductTemplate} of the same name in the runtime. Implementations must not depend on Spark, so that
 * {@code mesh validate} checks a product without starting it.
 */
public interface TemplateDescriptor {
    /** The name products use in {@code transform.template}: lower case, e.g. {@code sql}. */
    String name();

    /** One line on what the template does. */
    String summary();

    /** The parameters beside {@code template}, in the order {@code mesh templates} lists them. */
    List<TemplateParameter> parameters();

    /**
     * Checks the bound parameters against the product (its inputs, its output port), reporting each problem through
     * {@code check}; the reader has already checked presence, types and unknown names.
     */
    void validate(TemplateParameters parameters, TemplateCheck check);

    /**
     * The output columns the template makes itself, each with the input columns it makes it from (by name); the
     * columns it carries from its input keep their names and are not listed. Used for column lineage at validation.
     */
    default Map<String, List<String>> madeColumns(TemplateParameters parameters) {
        return Map.of();
    }
}
