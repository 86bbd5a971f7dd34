package dev.mesh.runtime.run;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.runtime.ledger.DeltaTables;
import dev.mesh.runtime.spec.OutputSpec.WriteMode;
import dev.mesh.runtime.spec.ProductSpec;
import dev.mesh.runtime.zone.ZoneLayout;
import io.delta.tables.DeltaTable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Publishes a run's candidate data as one atomic Delta commit. The commit is idempotent: it carries
 * {@code txnAppId = mesh:<product>:<run key>}, so Delta itself skips a second commit of the same spec over the same
 * input data (a retried run), and its commit info carries the run id.
 */
final class DeltaPublisher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TXN_APP_ID = "spark.databricks.delta.write.txnAppId";
    private static final String TXN_VERSION = "spark.databricks.delta.write.txnVersion";
    private static final String USER_METADATA = "spark.databricks.delta.commitInfo.userMetadata";

    private final ZoneLayout zones;

    DeltaPublisher(ZoneLayout zones) {
        this.zones = requireNonNull(zones, "zones is null");
    }

    /** The outcome: the version readers now see, and whether this run's commit was skipped as already done. */
    record Publication(long version, boolean alreadyPublished, long filesAdded) {}

    /** Publishes; {@code commitKey} is the run key, or the run key and run id when a run is forced. */
    Publication publish(SparkSession spark, Dataset<Row> candidate, ProductSpec product, String runId,
            String commitKey) {
        String path = zones.product(product.id());
        zones.requireInsideZone(product.domain(), path);
        Optional<Long> before = DeltaTables.latestVersion(spark, path);
        String appId = "mesh:" + product.id() + ":" + commitKey;
        String metadata = commitMetadata(product, runId, commitKey);
        WriteMode mode = product.output().mode();
        if (mode == WriteMode.MERGE && before.isPresent()) {
            merge(spark, candidate, product, path, appId, metadata);
        } else {
            DataFrameWriter<Row> writer = candidate.write().format("delta")
                    .mode(mode == WriteMode.OVERWRITE ? "overwrite" : "append")
                    .option("txnAppId", appId)
                    .option("txnVersion", 0L)
                    .option("userMetadata", metadata);
            if (!product.output().partitionBy().isEmpty()) {
                writer = writer.partitionBy(product.output().partitionBy().toArray(String[]::new));
            }
            writer.save(path);
        }
        DeltaTables.Commit after = DeltaTables.lastCommit(spark, path).orElseThrow();
        boolean skipped = before.isPresent() && before.get() == after.version();
        return new Publication(after.version(), skipped, skipped ? 0 : after.filesAdded());
    }

    private static void merge(SparkSession spark, Dataset<Row> candidate, ProductSpec product, String path,
            String appId, String metadata) {
        String condition = product.output().keys().stream()
                .map(key -> "t.`" + key + "` <=> s.`" + key + "`")
                .collect(Collectors.joining(" AND "));
        // MERGE takes idempotence and commit info from the session; every run has its own session
        spark.conf().set(TXN_APP_ID, appId);
        spark.conf().set(TXN_VERSION, "0");
        spark.conf().set(USER_METADATA, metadata);
        try {
            DeltaTable.forPath(spark, path).as("t")
                    .merge(candidate.as("s"), condition)
                    .whenMatched().updateAll()
                    .whenNotMatched().insertAll()
                    .execute();
        } finally {
            spark.conf().unset(TXN_APP_ID);
            spark.conf().unset(TXN_VERSION);
            spark.conf().unset(USER_METADATA);
        }
    }

    private static String commitMetadata(ProductSpec product, String runId, String runKey) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("runId", runId);
        metadata.put("runKey", runKey);
        metadata.put("product", product.id().toString());
        metadata.put("specVersion", product.version());
        try {
            return JSON.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
