package dev.mesh.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/** JSON in and out: responses written from plain maps and lists, request bodies read strictly, by field path. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response could not be written as JSON", e);
        }
    }

    public static void respond(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(write(body));
    }

    /**
     * The request's body as a JSON object holding only {@code allowed} fields; an empty body is an empty object.
     * Malformed JSON, another JSON type or an unknown field is a 400 naming the field.
     */
    public static ObjectNode object(Context ctx, Set<String> allowed) {
        String body = ctx.body();
        if (body.isBlank()) {
            return MAPPER.createObjectNode();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw HttpProblem.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw HttpProblem.badRequest("the body must be a JSON object, not " + node.getNodeType().name()
                    .toLowerCase(java.util.Locale.ROOT));
        }
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw HttpProblem.badRequest("$." + name + ": unknown field; allowed: " + String.join(", ",
                        new java.util.TreeSet<>(allowed)));
            }
        }
        return object;
    }

    /** A boolean field, absent meaning {@code fallback}; another type is a 400 naming the field. */
    public static boolean bool(ObjectNode body, String field, boolean fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw HttpProblem.badRequest("$." + field + ": must be true or false, not " + value);
        }
        return value.booleanValue();
    }

    /** A string field; absent is empty, another type a 400 naming the field. */
    public static Optional<String> string(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw HttpProblem.badRequest("$." + field + ": must be a string, not " + value.getNodeType().name()
                    .toLowerCase(java.util.Locale.ROOT));
        }
        return Optional.of(value.textValue());
    }
}
