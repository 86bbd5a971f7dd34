package dev.mesh.spec.spi;

import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.ColumnSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Checks the SQL a spec holds (a sql transform's query, the expressions of rules) when the spec is validated, without
 * a Spark session. The spec model needs no SQL engine: the implementation (Spark's parser) is found through
 * {@link ServiceLoader}; where none is on the classpath, SQL is checked only when a run analyses it.
 */
public interface SqlSyntax {
    SqlSyntax UNCHECKED = new SqlSyntax() {
        @Override
        public List<String> queryProblems(String sql, Set<String> inputs) {
            return List.of();
        }

        @Override
        public List<String> expressionProblems(String sql) {
            return List.of();
        }
    };

    /**
     * What is wrong with {@code sql} as a product's query: anything but exactly one query, a relation that is not one
     * of {@code inputs} (or a name the query defines with WITH), a program or Java method it would call.
     */
    List<String> queryProblems(String sql, Set<String> inputs);

    /** What is wrong with {@code sql} as a rule's expression over one row: bad syntax, a subquery, a Java call. */
    List<String> expressionProblems(String sql);

    /**
     * Which input columns each output column of {@code sql} derives from, over inputs with the declared columns;
     * empty where it cannot be known without running the query.
     */
    default Optional<ColumnLineage> queryLineage(String sql, Map<String, List<ColumnSpec>> inputs) {
        return Optional.empty();
    }

    static SqlSyntax load() {
        return ServiceLoader.load(SqlSyntax.class, SqlSyntax.class.getClassLoader()).findFirst().orElse(UNCHECKED);
    }
}
