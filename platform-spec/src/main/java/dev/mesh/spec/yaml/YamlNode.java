package dev.mesh.spec.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.mesh.spec.model.NearestNames;
import dev.mesh.spec.model.SpecProblem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A field of a {@link YamlDocument} and its path; the typed getters record a problem (instead of throwing) when a
 * value is missing or of the wrong kind, so that one pass over a file reports everything that is wrong with it.
 */
public final class YamlNode {
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final YamlDocument document;
    private final JsonNode node;
    private final String path;
    private final String pointer;

    YamlNode(YamlDocument document, JsonNode node, String path, String pointer) {
        this.document = document;
        this.node = node == null ? MissingNode.getInstance() : node;
        this.path = path;
        this.pointer = pointer;
    }

    public String path() {
        return path;
    }

    public boolean isMissing() {
        return node.isMissingNode() || node.isNull();
    }

    /** The keys of this map, in file order (empty when it is not a map). */
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    public boolean isMap() {
        return node.isObject();
    }

    public boolean has(String field) {
        return !get(field).isMissing();
    }

    public YamlNode get(String field) {
        String childPath = path.isEmpty() ? field : path + "." + field;
        return new YamlNode(document, node.isObject() ? node.get(field) : null, childPath, pointer + "/" + field);
    }

    /** The i-th element of this list, without reporting anything (for problems found after binding). */
    public YamlNode element(int index) {
        return new YamlNode(document, node.isArray() ? node.get(index) : null, path + "[" + index + "]",
                pointer + "/" + index);
    }

    /** Reports a problem at this node. */
    public void problem(String message) {
        document.problem(pointer, path, message);
    }

    /** A problem at this node, with its file and line, that is not reported as the spec's (a policy finding). */
    public SpecProblem locate(String message) {
        return document.locate(pointer, path, message);
    }

    /** This node as JSON with map keys sorted: the same text for the same content however the YAML is laid out. */
    public String canonicalJson() {
        try {
            Object value = CANONICAL.treeToValue(node.isMissingNode() ? NullNode.getInstance() : node, Object.class);
            return CANONICAL.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reports a problem at a field of this node (which may be absent). */
    public void problem(String field, String message) {
        get(field).problem(message);
    }

    /**
     * Checks this node is a map whose keys are all in {@code allowed}; reports each unknown key with the nearest
     * allowed one. Returns false (having reported it) when the node is present but not a map.
     */
    public boolean expectMap(Collection<String> allowed) {
        return expectMap(allowed, java.util.Set.of());
    }

    /** As {@link #expectMap(Collection)}, but keys in {@code reportedElsewhere} are left to the caller. */
    public boolean expectMap(Collection<String> allowed, Collection<String> reportedElsewhere) {
        if (isMissing()) {
            return false;
        }
        if (!node.isObject()) {
            problem("expected a map, found " + kind(node));
            return false;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name) && !reportedElsewhere.contains(name)) {
                get(name).problem("unknown field '" + name + "'" + NearestNames.suggestion(name, allowed)
                        + " (allowed: " + String.join(", ", allowed) + ")");
            }
        }
        return true;
    }

    public String requiredString(String field) {
        YamlNode child = get(field);
        if (child.isMissing()) {
            child.problem("is required");
            return null;
        }
        return child.stringValue();
    }

    public Optional<String> optionalString(String field) {
        YamlNode child = get(field);
        return child.isMissing() ? Optional.empty() : Optional.ofNullable(child.stringValue());
    }

    private String stringValue() {
        if (!node.isTextual()) {
            problem("expected a string, found " + kind(node));
            return null;
        }
        return node.textValue();
    }

    public Optional<Double> optionalNumber(String field) {
        YamlNode child = get(field);
        if (child.isMissing()) {
            return Optional.empty();
        }
        if (!child.node.isNumber()) {
            child.problem("expected a number, found " + kind(child.node));
            return Optional.empty();
        }
        return Optional.of(child.node.doubleValue());
    }

    public Optional<Long> optionalLong(String field) {
        YamlNode child = get(field);
        if (child.isMissing()) {
            return Optional.empty();
        }
        if (!child.node.isIntegralNumber()) {
            child.problem("expected a whole number, found " + kind(child.node));
            return Optional.empty();
        }
        return Optional.of(child.node.longValue());
    }

    public boolean optionalBoolean(String field, boolean defaultValue) {
        return optionalBoolean(field).orElse(defaultValue);
    }

    /** A positive ISO-8601 duration (PT30S, PT24H, P1D), empty when absent or (reported) not one. */
    public Optional<java.time.Duration> optionalDuration(String field) {
        Optional<String> text = optionalString(field);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            java.time.Duration duration = java.time.Duration.parse(text.get());
            if (duration.isNegative() || duration.isZero()) {
                problem(field, "'" + text.get() + "' must be a positive duration");
                return Optional.empty();
            }
            return Optional.of(duration);
        } catch (java.time.format.DateTimeParseException e) {
            problem(field, "'" + text.get() + "' is not an ISO-8601 duration; use e.g. PT24H, PT30M or P1D");
            return Optional.empty();
        }
    }

    /** A boolean, empty when absent or (reported) of another kind. */
    public Optional<Boolean> optionalBoolean(String field) {
        YamlNode child = get(field);
        if (child.isMissing()) {
            return Optional.empty();
        }
        if (!child.node.isBoolean()) {
            child.problem("expected true or false, found " + kind(child.node));
            return Optional.empty();
        }
        return Optional.of(child.node.booleanValue());
    }

    /** A list of strings, empty when absent or when it or any element is (reported) of another kind. */
    public Optional<List<String>> optionalStringList(String field) {
        YamlNode child = get(field);
        if (child.isMissing()) {
            return Optional.empty();
        }
        if (!child.node.isArray()) {
            child.problem("expected a list, found " + kind(child.node));
            return Optional.empty();
        }
        List<String> values = stringList(field, false);
        return values.size() == child.node.size() ? Optional.of(values) : Optional.empty();
    }

    /** A list of strings; a single string is not accepted, so that typos like {@code keys: id} are caught. */
    public List<String> stringList(String field, boolean required) {
        List<String> values = new ArrayList<>();
        for (YamlNode element : list(field, required)) {
            String value = element.stringValue();
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    /** A list of scalars of any kind (strings, numbers, booleans), as text. */
    public List<String> scalarList(String field, boolean required) {
        List<String> values = new ArrayList<>();
        for (YamlNode element : list(field, required)) {
            if (!element.node.isValueNode() || element.node.isNull()) {
                element.problem("expected a single value, found " + kind(element.node));
            } else {
                values.add(element.node.asText());
            }
        }
        return values;
    }

    public List<YamlNode> list(String field, boolean required) {
        YamlNode child = get(field);
        if (child.isMissing()) {
            if (required) {
                child.problem("is required");
            }
            return List.of();
        }
        if (!child.node.isArray()) {
            child.problem("expected a list, found " + kind(child.node));
            return List.of();
        }
        List<YamlNode> elements = new ArrayList<>();
        for (int i = 0; i < child.node.size(); i++) {
            elements.add(new YamlNode(document, child.node.get(i), child.path + "[" + i + "]", child.pointer + "/" + i));
        }
        return elements;
    }

    /** A map of scalar values as strings (for options and Spark settings, where YAML may type them). */
    public Map<String, String> stringMap(String field) {
        YamlNode child = get(field);
        Map<String, String> values = new LinkedHashMap<>();
        if (child.isMissing()) {
            return values;
        }
        if (!child.node.isObject()) {
            child.problem("expected a map, found " + kind(child.node));
            return values;
        }
        child.node.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                child.get(entry.getKey()).problem("expected a single value, found " + kind(entry.getValue()));
            } else {
                values.put(entry.getKey(), entry.getValue().asText());
            }
        });
        return values;
    }

    /** An enumerated string: reports what was found, what is allowed and the nearest allowed value. */
    public <E> Optional<E> choice(String field, Map<String, E> allowed, String what, boolean required) {
        YamlNode child = get(field);
        if (child.isMissing()) {
            if (required) {
                child.problem("is required; allowed: " + String.join(", ", allowed.keySet()));
            }
            return Optional.empty();
        }
        return child.choice(allowed, what);
    }

    /** This node's value, one of {@code allowed}'s keys, as its value; reports any other value. */
    public <E> Optional<E> choice(Map<String, E> allowed, String what) {
        String value = stringValue();
        if (value == null) {
            return Optional.empty();
        }
        E choice = allowed.get(value);
        if (choice == null) {
            problem("'" + value + "' is not " + what + "; allowed: " + String.join(", ", allowed.keySet())
                    + NearestNames.suggestion(value, allowed.keySet()));
            return Optional.empty();
        }
        return Optional.of(choice);
    }

    /** Lower-case names of an enum's constants, with '_' as '-', mapped to the constants. */
    public static <E extends Enum<E>> Map<String, E> names(Class<E> type) {
        Map<String, E> names = new LinkedHashMap<>();
        for (E constant : type.getEnumConstants()) {
            names.put(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'), constant);
        }
        return names;
    }

    public static Set<String> fields(String... names) {
        return new java.util.LinkedHashSet<>(List.of(names));
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "a map";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isNumber()) {
            return "a number";
        }
        return "a string";
    }
}
