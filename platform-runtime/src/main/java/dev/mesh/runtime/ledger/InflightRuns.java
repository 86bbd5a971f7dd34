package dev.mesh.runtime.ledger;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs that have started and not yet been recorded: a small marker file per run under
 * {@code <root>/_platform/inflight/}, written when the run starts and deleted once its row is in {@code runs}. A
 * marker whose process is gone (the same host, and no live process with its pid and start time) belongs to a run that
 * was killed or crashed: the next run of the product records it as {@link RunStatus#UNFINISHED}, so that success
 * rates and {@code mesh runs} see it. A marker of another host is left alone: that run may still be going.
 */
public final class InflightRuns {
    private static final Logger LOG = LoggerFactory.getLogger(InflightRuns.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST = host();

    private final Configuration hadoop;
    private final ZoneLayout zones;

    public InflightRuns(SparkSession spark, ZoneLayout zones) {
        this(spark.sparkContext().hadoopConfiguration(), zones);
    }

    /** The markers through this Hadoop configuration (no Spark: {@code mesh runs} lists them without one). */
    public InflightRuns(Configuration hadoop, ZoneLayout zones) {
        this.hadoop = hadoop;
        this.zones = zones;
    }

    /** A run that started, as its marker tells it. */
    public record Marker(String runId, ProductId product, String specVersion, String specHash, Instant startedAt,
            String host, long pid, Instant processStartedAt) {
        /** Whether the process that wrote the marker is gone (only knowable on the same host). */
        public boolean processGone() {
            if (!HOST.equals(host)) {
                return false;
            }
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            return process.isEmpty() || process.get().info().startInstant()
                    .map(start -> processStartedAt != null && !start.equals(processStartedAt)).orElse(false);
        }
    }

    /** Writes the marker of a run that starts now in this process. */
    public void begin(ProductSpec product, String runId, Instant startedAt) {
        ObjectNode marker = JSON.createObjectNode()
                .put("runId", runId).put("domain", product.domain()).put("product", product.name())
                .put("specVersion", product.version()).put("specHash", product.hash())
                .put("startedAt", startedAt.toString()).put("host", HOST)
                .put("pid", ProcessHandle.current().pid());
        ProcessHandle.current().info().startInstant().ifPresent(start -> marker.put("processStartedAt",
                start.toString()));
        Path path = path(product.id(), runId);
        try (OutputStream out = fs(path).create(path, true)) {
            out.write(JSON.writeValueAsBytes(marker));
        } catch (IOException e) {
            throw MeshException.infrastructure("cannot mark run " + runId + " as started in " + path + ": "
                    + e.getMessage(), e);
        }
    }

    /** Deletes the marker once the run is recorded. */
    public void end(ProductId product, String runId) {
        Path path = path(product, runId);
        try {
            fs(path).delete(path, false);
        } catch (IOException e) {
            // a leftover marker of a recorded run is dropped by the next run of the product
            LOG.warn("could not delete the marker {} of recorded run {}: {}", path, runId, e.getMessage());
        }
    }

    /** The markers of this product's runs. */
    public List<Marker> markers(ProductId product) {
        return markers(Optional.of(product));
    }

    /** The markers of every product's runs, or of one product's. */
    public List<Marker> markers(Optional<ProductId> product) {
        Path folder = new Path(zones.platform() + "/inflight");
        List<Marker> markers = new ArrayList<>();
        try {
            FileSystem fs = fs(folder);
            if (!fs.exists(folder)) {
                return markers;
            }
            for (FileStatus file : fs.listStatus(folder, p -> p.getName().endsWith(".json")
                    && product.map(id -> p.getName().startsWith(id + ".")).orElse(true))) {
                try (InputStream in = fs.open(file.getPath())) {
                    markers.add(parse(JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8))));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("ignoring unreadable run marker {}: {}", file.getPath(), e.getMessage());
                }
            }
        } catch (IOException e) {
            throw MeshException.infrastructure("cannot list run markers in " + folder + ": " + e.getMessage(), e);
        }
        return markers;
    }

    /**
     * Records every run of this product whose process is gone without recording it, as UNFINISHED, and deletes their
     * markers; returns those runs.
     */
    public List<RunResult> recordAbandoned(ProductId product, PlatformTables tables, Instant now) {
        List<Marker> gone = markers(product).stream().filter(Marker::processGone).toList();
        if (gone.isEmpty()) {
            return List.of();
        }
        List<String> ids = gone.stream().map(Marker::runId).toList();
        List<String> recorded = tables.exists(RunsTable.TABLE) ? tables.read(RunsTable.TABLE)
                .where(col("run_id").isin(ids.toArray())).select("run_id").distinct().collectAsList().stream()
                .map(row -> row.getString(0)).toList() : List.of();
        List<RunResult> unfinished = new ArrayList<>();
        for (Marker marker : gone) {
            if (!recorded.contains(marker.runId())) {
                RunResult run = new RunResult(marker.runId(), marker.product(), marker.specVersion(),
                        marker.specHash(), null, RunStatus.UNFINISHED, marker.startedAt(), now, 0, 0, 0, null,
                        List.of(), Map.of(), GateResult.EMPTY, RunUsage.NONE, "the run's process (pid "
                        + marker.pid() + " on " + marker.host() + ") stopped before it recorded an outcome: killed "
                        + "or crashed; whatever it committed is published, and a rerun publishes what it did not",
                        ErrorCode.INFRASTRUCTURE, List.of());
                tables.recordRun(run);
                unfinished.add(run);
                LOG.warn("{}: run {} started {} never finished; recorded it as UNFINISHED", product,
                        marker.runId(), marker.startedAt());
            }
            end(product, marker.runId());
        }
        return unfinished;
    }

    private Path path(ProductId product, String runId) {
        return new Path(zones.platform() + "/inflight/" + product + "." + runId + ".json");
    }

    private FileSystem fs(Path path) throws IOException {
        return path.getFileSystem(hadoop);
    }

    private static Marker parse(JsonNode node) {
        JsonNode processStart = node.get("processStartedAt");
        return new Marker(node.get("runId").asText(), new ProductId(node.get("domain").asText(),
                node.get("product").asText()), node.get("specVersion").asText(), node.get("specHash").asText(),
                Instant.parse(node.get("startedAt").asText()), node.get("host").asText(), node.get("pid").asLong(),
                processStart == null ? null : Instant.parse(processStart.asText()));
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
