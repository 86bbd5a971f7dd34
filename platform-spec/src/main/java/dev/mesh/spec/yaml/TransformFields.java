package dev.mesh.spec.yaml;

import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.NearestNames;
import dev.mesh.spec.model.OutputSpec;
import dev.mesh.spec.model.TemplateParameter;
import dev.mesh.spec.model.TemplateParameters;
import dev.mesh.spec.model.TransformSpec;
import dev.mesh.spec.spi.TemplateCatalog;
import dev.mesh.spec.spi.TemplateCheck;
import dev.mesh.spec.spi.TemplateDescriptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Binds a product's {@code transform} to its template and checks the parameters with the template's own rules. */
final class TransformFields {

    private TransformFields() {}

    static TransformSpec read(YamlNode node, List<InputSpec> inputs, Set<String> inputNames,
            OutputSpec output, SpecReaders readers) {
        TemplateCatalog templates = readers.templates();
        if (node.isMissing()) {
            node.problem("is required; use { template: ingest } to publish one input as declared, or "
                    + "{ template: sql, sql: ... } (templates: " + String.join(", ", templates.byName().keySet())
                    + "; mesh templates describes each)");
            return null;
        }
        if (!node.isMap()) {
            node.expectMap(Set.of());
            return null;
        }
        Optional<TemplateDescriptor> found = node.choice("template", templates.byName(), "a template", true);
        if (found.isEmpty()) {
            return null;
        }
        TemplateDescriptor template = found.get();
        List<String> names = template.parameters().stream().map(TemplateParameter::name).toList();
        boolean valid = true;
        for (String field : node.fieldNames()) {
            if (!field.equals("template") && !names.contains(field)) {
                node.problem(field, "is not a parameter of the " + template.name() + " template"
                        + NearestNames.suggestion(field, names) + " (" + (names.isEmpty() ? "it takes none"
                        : "it takes: " + String.join(", ", names)) + "; mesh templates describes each)");
                valid = false;
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (TemplateParameter parameter : template.parameters()) {
            Object value = parameterValue(node, parameter);
            if (value != null) {
                values.put(parameter.name(), value);
            } else if (node.has(parameter.name())) {
                valid = false; // reported as the wrong kind of value
            } else if (parameter.required()) {
                node.problem(parameter.name(), "is required by the " + template.name() + " template: "
                        + parameter.doc());
                valid = false;
            } else if (parameter.defaultValue() != null) {
                values.put(parameter.name(), parameter.defaultValue());
            }
        }
        if (!valid) {
            return null;
        }
        TemplateParameters parameters = TemplateParameters.of(values);
        try {
            TemplateCheck.Reporter reporter = (parameter, element, message) -> {
                YamlNode at = parameter == null ? node : node.get(parameter);
                (element < 0 ? at : at.element(element)).problem(message);
            };
            template.validate(parameters, new TemplateCheck(reporter, inputs, inputNames, output, readers.sqlSyntax()));
        } catch (RuntimeException e) {
            // a template is a plugin: its own bug is reported against the file, never thrown out of validation
            node.problem("template", "the " + template.name() + " template could not check its parameters ("
                    + dev.mesh.error.PlainMessages.of(e) + "); report this to the template's authors");
            return null;
        }
        return new TransformSpec(template.name(), parameters);
    }

    /** The parameter's value bound to its declared type, or null when it is absent or (reported) of another kind. */
    private static Object parameterValue(YamlNode node, TemplateParameter parameter) {
        String name = parameter.name();
        if (!node.has(name)) {
            return null;
        }
        return switch (parameter.type()) {
            case STRING -> node.optionalString(name).orElse(null);
            case STRING_LIST -> node.optionalStringList(name).orElse(null);
            case INTEGER -> node.optionalLong(name).orElse(null);
            case NUMBER -> node.optionalNumber(name).orElse(null);
            case BOOLEAN -> node.optionalBoolean(name).orElse(null);
        };
    }
}
