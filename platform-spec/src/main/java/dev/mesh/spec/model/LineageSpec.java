package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the platform sends OpenLineage run events: the namespace its jobs and datasets are named in, and one or more
 * transports. An HTTP transport's API key is read from the environment variable {@code apiKeyEnv}, never the spec.
 */
public record LineageSpec(String namespace, List<Transport> transports) {
    public static final String DEFAULT_ENDPOINT = "/api/v1/lineage";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public LineageSpec {
        requireNonNull(namespace, "namespace is null");
        transports = List.copyOf(transports);
    }

    public enum TransportType { CONSOLE, FILE, HTTP }

    /** One transport: {@code file} for FILE (JSON lines, appended), {@code url} and {@code endpoint} for HTTP. */
    public record Transport(TransportType type, Optional<Path> file, Optional<String> url, String endpoint,
            Optional<String> apiKeyEnv, Duration timeout) {
        public Transport {
            requireNonNull(type, "type is null");
            requireNonNull(file, "file is null");
            requireNonNull(url, "url is null");
            endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
            requireNonNull(apiKeyEnv, "apiKeyEnv is null");
            timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        }
    }
}
