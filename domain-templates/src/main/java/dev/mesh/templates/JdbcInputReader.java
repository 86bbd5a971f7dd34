package dev.mesh.templates;

import dev.mesh.error.MeshException;
import dev.mesh.error.Secrets;
import dev.mesh.runtime.spi.InputContext;
import dev.mesh.runtime.spi.InputReader;
import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.runtime.spi.Watermark;
import dev.mesh.spec.model.InputKind;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.JdbcInputSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Reads a database table or query over JDBC. The connection comes from the environment variables the input names, and
 * its values are registered as secrets, so no message, log line or record shows them.
 *
 * <p>With a watermark column, the reader first asks the database for the highest watermark, then reads exactly the
 * rows above the published mark up to that value: the range is fixed before any row is read, so the rows the run
 * publishes and the mark it publishes with them agree, and rows written while the run reads wait for the next run.
 * Rows whose watermark is NULL are read by a full read only. Watermark values are kept as the database's text of
 * them and compared by the database. With a partition column (an integer column), its range within the rows read is
 * split into {@code numPartitions} parallel queries. The rows are persisted, so the database is read once per run.
 */
public final class JdbcInputReader implements InputReader {
    private static final Set<Integer> INTEGER_TYPES = Set.of(Types.TINYINT, Types.SMALLINT, Types.INTEGER,
            Types.BIGINT);

    @Override
    public boolean supports(InputSpec input) {
        return input instanceof JdbcInputSpec;
    }

    @Override
    public ResolvedInput read(InputContext context, InputSpec input) {
        JdbcInputSpec spec = (JdbcInputSpec) input;
        Connection connection = connection(context, spec);
        String source = spec.table().orElseGet(() -> "(" + spec.query().orElseThrow() + ") mesh_query");
        Optional<String> after = Optional.ofNullable(context.watermarks().get(spec.name()));
        Optional<Watermark> watermark;
        String predicate;
        Extent extent;
        try (connection) {
            watermark = spec.watermark().map(column -> new Watermark(column, after,
                    highest(connection, context, spec, source, column)));
            predicate = watermark.map(JdbcInputReader::predicate).orElse("1 = 1");
            // the count keys a read by watermark (with the range); a full read is not keyed, so spares the scan
            extent = extent(connection, context, spec, source, predicate, watermark.isPresent());
        } catch (SQLException e) {
            throw refused(context, spec, "closing the connection", e);
        }
        DataFrameReader reader = context.spark().read().format("jdbc")
                .option("url", connection.url())
                .option("dbtable", "(SELECT * FROM " + source + " WHERE " + predicate + ") mesh_rows")
                .option("fetchsize", String.valueOf(spec.fetchSize()));
        connection.user().ifPresent(user -> reader.option("user", user));
        connection.password().ifPresent(password -> reader.option("password", password));
        if (extent.bounds().isPresent()) {
            long[] bounds = extent.bounds().get();
            reader.option("partitionColumn", spec.partitionColumn().orElseThrow())
                    .option("lowerBound", String.valueOf(bounds[0]))
                    // Spark's upper bound is exclusive in the stride's arithmetic; every row is read either way
                    .option("upperBound", String.valueOf(bounds[1] + 1))
                    .option("numPartitions", String.valueOf(spec.numPartitions()));
        }
        Dataset<Row> rows;
        try {
            rows = reader.load().persist(StorageLevel.MEMORY_AND_DISK());
        } catch (Exception e) {
            // the driver's SQLException comes through Scala code that does not declare it
            throw refused(context, spec, "reading its columns", e);
        }
        String fingerprint = "jdbc:" + spec.reference() + watermark
                .map(mark -> ":" + mark.after().orElse("") + ".." + mark.upTo().orElse("") + "#" + extent.count())
                // without a watermark nothing tells whether the rows changed: every run reads them anew
                .orElse("@" + Instant.now());
        return ResolvedInput.builder(spec.name(), InputKind.JDBC, spec.reference(), rows, fingerprint)
                .release(() -> rows.unpersist(false)).watermark(watermark).build();
    }

    /** The connection's details from the environment, registered as secrets, and an open connection. */
    private static Connection connection(InputContext context, JdbcInputSpec spec) {
        String url = variable(context, spec, "urlEnv", spec.urlEnv()).orElseThrow();
        Optional<String> user = spec.userEnv().flatMap(name -> variable(context, spec, "userEnv", name));
        Optional<String> password = spec.passwordEnv().flatMap(name -> variable(context, spec, "passwordEnv", name));
        Secrets.register(url);
        password.ifPresent(Secrets::register);
        Properties properties = new Properties();
        user.ifPresent(value -> properties.setProperty("user", value));
        password.ifPresent(value -> properties.setProperty("password", value));
        try {
            return new Connection(DriverManager.getConnection(url, properties), url, user, password);
        } catch (SQLException e) {
            throw refused(context, spec, "connecting", e);
        }
    }

    private static Optional<String> variable(InputContext context, JdbcInputSpec spec, String field, String name) {
        String value = context.environment().get(name);
        if (value == null || value.isEmpty()) {
            throw MeshException.invalidInput("input '%s' of %s: the environment variable %s (jdbc.%s) is not set; "
                    + "export it before the run", spec.name(), context.product().id(), name, field);
        }
        return Optional.of(value);
    }

    /** The highest watermark in the source now, as the database writes it; empty when no row has one. */
    private static Optional<String> highest(Connection connection, InputContext context, JdbcInputSpec spec,
            String source, String column) {
        String sql = "SELECT MAX(" + column + ") FROM " + source;
        try (Statement statement = connection.jdbc().createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return Optional.ofNullable(result.getString(1));
        } catch (SQLException e) {
            throw refused(context, spec, "finding the highest " + column, e);
        }
    }

    /** The rows of this read: above the published mark up to the highest one now. */
    private static String predicate(Watermark mark) {
        String column = mark.column();
        if (mark.upTo().isEmpty()) {
            return mark.after().isPresent() ? "1 = 0" : "1 = 1";
        }
        String upTo = column + " <= " + literal(mark.upTo().get());
        return mark.after().map(after -> column + " > " + literal(after) + " AND " + upTo)
                .orElse("(" + upTo + " OR " + column + " IS NULL)");
    }

    /**
     * What the read covers, in one query over the rows it reads: how many (a read by watermark is keyed by the count
     * with its range) and the range of the partition column (which splits a partitioned read); no query when neither is
     * needed.
     */
    private static Extent extent(Connection connection, InputContext context, JdbcInputSpec spec, String source,
            String predicate, boolean counts) {
        Optional<String> partition = spec.partitionColumn().filter(column -> spec.numPartitions() > 1);
        if (!counts && partition.isEmpty()) {
            return new Extent(-1, Optional.empty());
        }
        List<String> selected = new ArrayList<>();
        if (counts) {
            selected.add("COUNT(*)");
        }
        partition.ifPresent(column -> selected.addAll(List.of("MIN(" + column + ")", "MAX(" + column + ")")));
        String sql = "SELECT " + String.join(", ", selected) + " FROM " + source + " WHERE " + predicate;
        int min = counts ? 2 : 1;
        try (Statement statement = connection.jdbc().createStatement(); ResultSet result = statement.executeQuery(sql)) {
            if (partition.isPresent() && !INTEGER_TYPES.contains(result.getMetaData().getColumnType(min))) {
                throw MeshException.invalidInput("input '%s' of %s: jdbc.partitionColumn '%s' is a %s column; "
                                + "partitioned reads split an integer column's range: name an integer column, or "
                                + "drop partitionColumn and numPartitions", spec.name(), context.product().id(),
                        partition.get(), result.getMetaData().getColumnTypeName(min));
            }
            result.next();
            long count = counts ? result.getLong(1) : -1;
            if (partition.isEmpty()) {
                return new Extent(count, Optional.empty());
            }
            long low = result.getLong(min);
            boolean empty = result.wasNull();
            long high = result.getLong(min + 1);
            return new Extent(count, empty ? Optional.empty() : Optional.of(new long[] {low, high}));
        } catch (SQLException e) {
            throw refused(context, spec, counts ? "counting the rows to read"
                    : "finding the range of " + partition.orElseThrow(), e);
        }
    }

    /** How many rows a read covers (-1: not counted) and its range of the partition column, if it splits. */
    private record Extent(long count, Optional<long[]> bounds) {}

    /** A value as a quoted SQL literal, which the database turns into the column's type. */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static MeshException refused(InputContext context, JdbcInputSpec spec, String doing, Exception e) {
        String reason = Optional.ofNullable(e.getMessage()).map(message -> message.lines().findFirst().orElse(""))
                .orElse(e.getClass().getSimpleName());
        return MeshException.infrastructure(Secrets.redact(String.format("input '%s' of %s: the database named by "
                        + "%s failed while %s: %s", spec.name(), context.product().id(), spec.urlEnv(), doing,
                reason)), null);
    }

    /** An open connection and the details Spark's reader needs as well. */
    private record Connection(java.sql.Connection jdbc, String url, Optional<String> user, Optional<String> password)
            implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            jdbc.close();
        }
    }
}
