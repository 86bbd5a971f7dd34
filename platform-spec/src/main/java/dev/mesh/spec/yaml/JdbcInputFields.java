package dev.mesh.spec.yaml;

import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.JdbcInputSpec;
import java.util.Optional;
import java.util.Set;

/** Binds an input's {@code jdbc} block to a {@link JdbcInputSpec}, reporting every problem in it. */
final class JdbcInputFields {
    static final Set<String> FIELDS = YamlNode.fields("urlEnv", "userEnv", "passwordEnv", "table", "query",
            "watermark", "partitionColumn", "numPartitions", "fetchSize");
    private static final Set<String> SECRETS = Set.of("url", "user", "username", "password");
    private static final int MAX_PARTITIONS = 1024;

    private JdbcInputFields() {}

    static Optional<InputSpec> read(YamlNode node, String name) {
        for (String field : SECRETS) {
            if (node.has(field)) {
                node.get(field).problem("connection details are never written in specs; put the value in an "
                        + "environment variable and name it with " + field.replace("username", "user") + "Env");
            }
        }
        if (!node.expectMap(FIELDS, SECRETS)) {
            return Optional.empty();
        }
        String urlEnv = node.requiredString("urlEnv");
        SpecRules.checkEnvName(node, "urlEnv", urlEnv);
        Optional<String> userEnv = node.optionalString("userEnv");
        userEnv.ifPresent(value -> SpecRules.checkEnvName(node, "userEnv", value));
        Optional<String> passwordEnv = node.optionalString("passwordEnv");
        passwordEnv.ifPresent(value -> SpecRules.checkEnvName(node, "passwordEnv", value));
        Optional<String> table = node.optionalString("table");
        Optional<String> query = node.optionalString("query");
        if (table.isPresent() == query.isPresent()) {
            node.problem("needs exactly one of 'table' (e.g. public.customers) or 'query' (a SELECT)");
        }
        table.filter(t -> !t.matches("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*){0,2}"))
                .ifPresent(t -> node.problem("table", "'" + t + "' is not a table name; use NAME, SCHEMA.NAME or "
                        + "CATALOG.SCHEMA.NAME (letters, digits, _), or write a query"));
        query.filter(q -> !q.stripLeading().regionMatches(true, 0, "select", 0, 6)
                        && !q.stripLeading().regionMatches(true, 0, "with", 0, 4))
                .ifPresent(q -> node.problem("query", "must be a SELECT (or WITH ... SELECT) query"));
        query.filter(q -> q.strip().endsWith(";"))
                .ifPresent(q -> node.problem("query", "must be one query without a trailing ';'"));
        Optional<String> watermark = node.optionalString("watermark");
        watermark.ifPresent(column -> SpecRules.checkColumnName(node, "watermark", column));
        Optional<String> partitionColumn = node.optionalString("partitionColumn");
        partitionColumn.ifPresent(column -> SpecRules.checkColumnName(node, "partitionColumn", column));
        long numPartitions = node.optionalLong("numPartitions").orElse(1L);
        if (numPartitions < 1 || numPartitions > MAX_PARTITIONS) {
            node.problem("numPartitions", "must be between 1 and " + MAX_PARTITIONS);
        } else if (numPartitions > 1 && partitionColumn.isEmpty()) {
            node.problem("numPartitions", "needs a partitionColumn (an integer column) to split the read by");
        }
        long fetchSize = node.optionalLong("fetchSize").orElse((long) JdbcInputSpec.DEFAULT_FETCH_SIZE);
        if (fetchSize < 1 || fetchSize > 1_000_000) {
            node.problem("fetchSize", "must be between 1 and 1000000 rows per round trip");
        }
        if (urlEnv == null || name == null || table.isPresent() == query.isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new JdbcInputSpec(name, urlEnv, userEnv, passwordEnv, table, query, watermark,
                partitionColumn, (int) Math.max(1, Math.min(numPartitions, MAX_PARTITIONS)),
                (int) Math.max(1, Math.min(fetchSize, 1_000_000))));
    }
}
