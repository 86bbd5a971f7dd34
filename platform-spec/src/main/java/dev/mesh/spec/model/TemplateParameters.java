package dev.mesh.spec.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters a product gives its template, bound to the types the template's descriptor declares (defaults filled
 * in). Values are {@link String}, {@code List<String>}, {@link Long}, {@link Double} or {@link Boolean}.
 */
public record TemplateParameters(Map<String, Object> values) {
    public static final TemplateParameters NONE = new TemplateParameters(Map.of());

    public TemplateParameters {
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((name, value) -> copy.put(name, value instanceof List<?> list ? List.copyOf(list) : value));
        values = Collections.unmodifiableMap(copy);
    }

    public static TemplateParameters of(Map<String, Object> values) {
        return new TemplateParameters(values);
    }

    public Optional<String> string(String name) {
        return Optional.ofNullable(typed(name, String.class));
    }

    /** A string the descriptor declared as required (validation has guaranteed it is there). */
    public String requiredString(String name) {
        return string(name).orElseThrow(() -> new IllegalStateException("template parameter " + name + " is unset"));
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String name) {
        List<String> list = typed(name, List.class);
        return list == null ? List.of() : list;
    }

    public Optional<Long> integer(String name) {
        return Optional.ofNullable(typed(name, Long.class));
    }

    public Optional<Double> number(String name) {
        return Optional.ofNullable(typed(name, Double.class));
    }

    public boolean flag(String name) {
        Boolean value = typed(name, Boolean.class);
        return value != null && value;
    }

    private <T> T typed(String name, Class<T> type) {
        Object value = values.get(name);
        if (value != null && !type.isInstance(value)) {
            throw new IllegalStateException("template parameter " + name + " is a " + value.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(value);
    }
}
