package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * One parameter a template takes in a product's {@code transform} map: its name, the kind of YAML value it needs,
 * whether it must be given (or its default) and what it means, as {@code mesh templates} prints it.
 */
public record TemplateParameter(String name, Type type, boolean required, Object defaultValue, String doc) {
    public TemplateParameter {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(doc, "doc is null");
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("parameter " + name + " is required and cannot have a default");
        }
        if (defaultValue != null && !type.javaType().isInstance(defaultValue)) {
            throw new IllegalArgumentException("default of parameter " + name + " is not a " + type.specName());
        }
        if (defaultValue instanceof List<?> list) {
            defaultValue = List.copyOf(list);
        }
    }

    public static TemplateParameter required(String name, Type type, String doc) {
        return new TemplateParameter(name, type, true, null, doc);
    }

    public static TemplateParameter optional(String name, Type type, Object defaultValue, String doc) {
        return new TemplateParameter(name, type, false, defaultValue, doc);
    }

    /** The kinds of value a parameter can hold, each bound from YAML without coercion. */
    public enum Type {
        /** A string: a name, an expression or a whole query. */
        STRING(String.class),
        /** A list of strings ({@code [a, b]}); a single string is refused so that {@code keys: id} is caught. */
        STRING_LIST(List.class),
        /** A whole number. */
        INTEGER(Long.class),
        /** A number. */
        NUMBER(Double.class),
        /** true or false. */
        BOOLEAN(Boolean.class);

        private final Class<?> javaType;

        Type(Class<?> javaType) {
            this.javaType = javaType;
        }

        Class<?> javaType() {
            return javaType;
        }

        public String specName() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }
}
