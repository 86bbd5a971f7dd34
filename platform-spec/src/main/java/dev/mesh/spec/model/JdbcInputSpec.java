package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A table (or a query) of a database reached over JDBC. The connection is never written in a spec: {@code urlEnv},
 * {@code userEnv} and {@code passwordEnv} name the environment variables that hold it. With a {@code watermark}
 * column, a product that appends or merges reads only the rows whose watermark is above the highest one it has
 * published (the high-water mark travels in the same Delta commit as the rows); {@code partitionColumn} (an integer
 * column) splits the read into {@code numPartitions} parallel range queries.
 */
public record JdbcInputSpec(
        String name,
        String urlEnv,
        Optional<String> userEnv,
        Optional<String> passwordEnv,
        Optional<String> table,
        Optional<String> query,
        Optional<String> watermark,
        Optional<String> partitionColumn,
        int numPartitions,
        int fetchSize)
        implements InputSpec {
    public static final int DEFAULT_FETCH_SIZE = 10_000;

    public JdbcInputSpec {
        requireNonNull(name, "name is null");
        requireNonNull(urlEnv, "urlEnv is null");
        requireNonNull(userEnv, "userEnv is null");
        requireNonNull(passwordEnv, "passwordEnv is null");
        requireNonNull(table, "table is null");
        requireNonNull(query, "query is null");
        if (table.isPresent() == query.isPresent()) {
            throw new IllegalArgumentException("exactly one of table and query is required");
        }
        requireNonNull(watermark, "watermark is null");
        requireNonNull(partitionColumn, "partitionColumn is null");
        if (numPartitions < 1) {
            throw new IllegalArgumentException("numPartitions must be positive");
        }
        if (fetchSize < 1) {
            throw new IllegalArgumentException("fetchSize must be positive");
        }
    }

    /** What the input reads, for messages and run records: the table's name, or "query". */
    public String reference() {
        return table.orElse("query");
    }
}
