package dev.mesh.runtime.sql;

import dev.mesh.runtime.spark.GuardedSessions;
import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.spi.SqlSyntax;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.execution.SparkSqlParser;
import org.apache.spark.sql.internal.SQLConf;
import scala.Function0;

/**
 * Checks a spec's SQL with Spark's own parser, without a session: what {@code mesh validate} uses. The parser reads
 * its settings from a configuration of its own, in which variables are never substituted ({@code SqlGuard} refuses
 * {@code ${} in the text before it gets here; this is the second line).
 */
public final class CatalystSqlSyntax implements SqlSyntax {
    private static final SQLConf CONF = guardedConf();
    private ParserInterface parser;
    private DeclaredLineage lineage;

    @Override
    public List<String> queryProblems(String sql, Set<String> inputs) {
        return guarded(() -> SqlGuard.queryProblems(parser(), sql, inputs));
    }

    /**
     * Why {@code sql} is not exactly one query, found with the parser alone, so that a command refuses a mistyped
     * query before it starts Spark ({@code mesh sql}); the session checks it again, with the catalog, as it runs.
     */
    public Optional<String> oneQueryProblem(String sql, String why) {
        return guarded(() -> SqlGuard.oneQueryProblem(parser(), sql, why));
    }

    @Override
    public List<String> expressionProblems(String sql) {
        return guarded(() -> SqlGuard.expressionProblems(parser(), sql));
    }

    @Override
    public Optional<ColumnLineage> queryLineage(String sql, Map<String, List<ColumnSpec>> inputs) {
        return guarded(() -> lineage().of(sql, inputs));
    }

    private synchronized DeclaredLineage lineage() {
        if (lineage == null) {
            lineage = new DeclaredLineage(parser());
        }
        return lineage;
    }

    private static <T> T guarded(Function0<T> parse) {
        return SQLConf.withExistingConf(CONF, parse);
    }

    private static SQLConf guardedConf() {
        SQLConf conf = new SQLConf();
        conf.setConfString(GuardedSessions.VARIABLE_SUBSTITUTION, "false");
        return conf;
    }

    /** Created on first use: loading the grammar costs most of a second, which specs without SQL never pay. */
    private synchronized ParserInterface parser() {
        if (parser == null) {
            parser = new SparkSqlParser();
        }
        return parser;
    }
}
