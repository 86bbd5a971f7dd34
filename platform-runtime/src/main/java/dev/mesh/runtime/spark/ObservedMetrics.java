package dev.mesh.runtime.spark;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;
import scala.collection.JavaConverters;

/**
 * The metrics that a session's queries observed ({@code Dataset.observe} by name), as each query succeeds: a pass
 * that writes data can count what flowed through it on the way, instead of a second pass counting it again. Spark
 * reports a query's end on its listener bus, after the action returns, so {@link #await} waits a little for it.
 * Close it to stop listening.
 */
public final class ObservedMetrics implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final SparkSession session;
    private final Map<String, Row> observed = new ConcurrentHashMap<>();
    private final QueryExecutionListener listener = new QueryExecutionListener() {
        @Override
        public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
            observed.putAll(JavaConverters.mapAsJavaMap(qe.observedMetrics()));
            synchronized (ObservedMetrics.this) {
                ObservedMetrics.this.notifyAll();
            }
        }

        @Override
        public void onFailure(String funcName, QueryExecution qe, Exception exception) {}
    };

    private ObservedMetrics(SparkSession session) {
        this.session = requireNonNull(session, "session is null");
    }

    /** Starts collecting what the session's queries observe. */
    public static ObservedMetrics listen(SparkSession session) {
        ObservedMetrics metrics = new ObservedMetrics(session);
        session.listenerManager().register(metrics.listener);
        return metrics;
    }

    /**
     * The row of metrics observed under {@code name} by a query that has run, waiting for its report; empty when
     * no query reported it (its plan did not run the observation, for instance because Spark found it reads
     * nothing).
     */
    public Optional<Row> await(String name) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (this) {
            while (!observed.containsKey(name)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
        return Optional.of(observed.get(name));
    }

    /** The row observed under {@code name}, if a query reported it already; never waits. */
    public Optional<Row> now(String name) {
        return Optional.ofNullable(observed.get(name));
    }

    @Override
    public void close() {
        session.listenerManager().unregister(listener);
    }
}
