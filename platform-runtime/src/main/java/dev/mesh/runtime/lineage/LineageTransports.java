package dev.mesh.runtime.lineage;

import dev.mesh.error.PlainMessages;
import dev.mesh.error.Secrets;
import dev.mesh.spec.model.LineageSpec;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;
import io.openlineage.client.transports.ApiKeyTokenProvider;
import io.openlineage.client.transports.FileConfig;
import io.openlineage.client.transports.FileTransport;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import io.openlineage.client.transports.Transport;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transports {@code platform.yaml} configures, each sent every event on its own: a transport that fails (a
 * server that is down, a missing API key) is logged, and neither the others nor the run notice.
 */
final class LineageTransports implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LineageTransports.class);

    private record Named(String description, Transport transport) {}

    private final List<Named> transports;

    private LineageTransports(List<Named> transports) {
        this.transports = List.copyOf(transports);
    }

    static LineageTransports of(LineageSpec spec, Map<String, String> environment, PrintStream console) {
        List<Named> transports = new ArrayList<>();
        for (LineageSpec.Transport transport : spec.transports()) {
            switch (transport.type()) {
                case CONSOLE -> transports.add(new Named("console", new ConsoleLines(console)));
                case FILE -> {
                    String path = transport.file().orElseThrow().toString();
                    transports.add(new Named("file " + path, new FileTransport(new FileConfig(path))));
                }
                case HTTP -> {
                    String url = transport.url().orElseThrow();
                    HttpConfig config = new HttpConfig();
                    config.setUrl(URI.create(url));
                    config.setEndpoint(transport.endpoint());
                    config.setTimeoutInMillis((int) transport.timeout().toMillis());
                    if (transport.apiKeyEnv().isPresent()) {
                        String key = environment.get(transport.apiKeyEnv().get());
                        if (key == null || key.isBlank()) {
                            LOG.warn("lineage events are not sent to {}: the environment variable {} (its API key) "
                                    + "is not set", url, transport.apiKeyEnv().get());
                            continue;
                        }
                        Secrets.register(key);
                        ApiKeyTokenProvider auth = new ApiKeyTokenProvider();
                        auth.setApiKey(key);
                        config.setAuth(auth);
                    }
                    transports.add(new Named("http " + url + transport.endpoint(), new HttpTransport(config)));
                }
            }
        }
        return new LineageTransports(transports);
    }

    void emit(OpenLineage.RunEvent event) {
        for (Named named : transports) {
            try {
                named.transport().emit(event);
            } catch (RuntimeException e) {
                LOG.warn("lineage event {} of {} could not be sent to {}: {}", event.getEventType(),
                        event.getJob().getName(), named.description(), Secrets.redact(PlainMessages.of(e)));
            }
        }
    }

    @Override
    public void close() {
        for (Named named : transports) {
            try {
                named.transport().close();
            } catch (Exception e) {
                LOG.debug("closing lineage transport {}: {}", named.description(), e.toString());
            }
        }
    }

    /** The console transport: one JSON event per line on the console (OpenLineage's own logs them instead). */
    private static final class ConsoleLines extends Transport {
        private final PrintStream out;

        ConsoleLines(PrintStream out) {
            this.out = out;
        }

        @Override
        public void emit(OpenLineage.RunEvent event) {
            out.println(OpenLineageClientUtils.toJson(event));
        }

        @Override
        public void emit(OpenLineage.DatasetEvent event) {
            out.println(OpenLineageClientUtils.toJson(event));
        }

        @Override
        public void emit(OpenLineage.JobEvent event) {
            out.println(OpenLineageClientUtils.toJson(event));
        }

        @Override
        public void close() {
            // the console stays open
        }
    }
}
