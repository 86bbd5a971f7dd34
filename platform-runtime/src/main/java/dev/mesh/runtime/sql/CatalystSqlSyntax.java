package dev.mesh.runtime.sql;

import dev.mesh.spec.SqlSyntax;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.execution.SparkSqlParser;

/** Checks a spec's SQL with Spark's own parser, without a session: what {@code mesh validate} uses. */
public final class CatalystSqlSyntax implements SqlSyntax {
    private ParserInterface parser;

    @Override
    public List<String> queryProblems(String sql, Set<String> inputs) {
        return SqlGuard.queryProblems(parser(), sql, inputs);
    }

    @Override
    public List<String> expressionProblems(String sql) {
        return SqlGuard.expressionProblems(parser(), sql);
    }

    /** Created on first use: loading the grammar costs most of a second, which specs without SQL never pay. */
    private synchronized ParserInterface parser() {
        if (parser == null) {
            parser = new SparkSqlParser();
        }
        return parser;
    }
}
