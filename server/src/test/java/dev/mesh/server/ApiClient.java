package dev.mesh.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls the server over real HTTP on loopback and checks every JSON answer against the server's OpenAPI document: the
 * operation must be documented for the path, method and status, and the body must be valid against its schema.
 */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonNode openApi;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("dev/mesh/server/openapi.json")) {
            this.openApi = JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Response(int status, String body, JsonNode json, HttpResponse<String> raw) {
        String message() {
            return json == null ? body : json.path("message").asText();
        }
    }

    Response get(String path, String token) {
        return send("GET", path, token, null);
    }

    Response post(String path, String token, String body) {
        return send("POST", path, token, body);
    }

    Response delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    Response send(String method, String path, String token, String body) {
        return send(method, path, token, body, true);
    }

    /** A call to what the document does not describe (an unknown path): the body is still one JSON problem. */
    Response undocumented(String method, String path, String token) {
        return send(method, path, token, null, false);
    }

    private Response send(String method, String path, String token, String body, boolean documented) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(
                    StandardCharsets.UTF_8));
            JsonNode json = null;
            if (response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                json = JSON.readTree(response.body());
                if (documented) {
                    checkAgainstDocument(method, path, response.statusCode(), json);
                }
            }
            return new Response(response.statusCode(), response.body(), json, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpClient http() {
        return http;
    }

    String base() {
        return base;
    }

    /** The answer must be documented for this operation and status, and valid against its schema. */
    void checkAgainstDocument(String method, String path, int status, JsonNode body) {
        String template = template(path.split("\\?")[0]);
        JsonNode operation = openApi.path("paths").path(template).path(method.toLowerCase(java.util.Locale.ROOT));
        assertThat(operation.isMissingNode()).as("%s %s (as %s) is documented", method, path, template).isFalse();
        JsonNode schema = operation.path("responses").path(Integer.toString(status)).path("content")
                .path("application/json").path("schema");
        assertThat(schema.isMissingNode()).as("%s %s answering %d is documented: %s", method, template, status, body)
                .isFalse();
        Schema validator = schemas.computeIfAbsent(method + " " + template + " " + status, key -> {
            ObjectNode document = openApi.deepCopy();
            document.put("$id", "https://mesh.test/checks/" + SCHEMAS.incrementAndGet());
            document.set("response", schema);
            document.put("$ref", "#/response");
            return registry.getSchema(SchemaLocation.of(document.get("$id").asText()), document);
        });
        List<String> problems = validator.validate(body).stream()
                .map(error -> error.getInstanceLocation() + " " + error.getMessage()).toList();
        assertThat(problems).as("%s %s %d: %s", method, template, status, body).isEmpty();
    }

    /** A body that is not an answer of its own (an event of a stream) against one of the document's schemas. */
    void checkComponent(String name, JsonNode body) {
        Schema validator = schemas.computeIfAbsent("component " + name, key -> {
            ObjectNode document = openApi.deepCopy();
            document.put("$id", "https://mesh.test/checks/" + SCHEMAS.incrementAndGet());
            document.put("$ref", "#/components/schemas/" + name);
            return registry.getSchema(SchemaLocation.of(document.get("$id").asText()), document);
        });
        List<String> problems = validator.validate(body).stream()
                .map(error -> error.getInstanceLocation() + " " + error.getMessage()).toList();
        assertThat(problems).as("%s: %s", name, body).isEmpty();
    }

    private String template(String path) {
        Iterator<String> names = openApi.path("paths").fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (path.matches(name.replaceAll("\\{[^}]+}", "[^/]+"))) {
                return name;
            }
        }
        return path;
    }
}
