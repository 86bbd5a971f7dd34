package dev.mesh.runtime.spark;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.columnar.InMemoryRelation;
import org.apache.spark.storage.StorageLevel;
import scala.collection.JavaConverters;

/**
 * Whether a run's candidate rows are materialized. The phases after planning (counts, quarantine, gate, write) each
 * read the candidate; when it is only projections and filters of deterministic expressions over inputs that are
 * already materialized (the file reader keeps its parsed values), reading it again costs next to nothing, and a
 * second copy of every row would cost as much as the run's whole parse. Anything else (a join, an aggregation, a
 * window, a read of a Delta table or a database, a nondeterministic expression) is materialized once, so that every
 * phase sees the same rows.
 */
public final class CandidateCache {
    private CandidateCache() {}

    public static Dataset<Row> materializeIfCostly(Dataset<Row> candidate) {
        return cheapOverCachedInputs(candidate) ? candidate : candidate.persist(StorageLevel.MEMORY_AND_DISK());
    }

    public static boolean cheapOverCachedInputs(Dataset<Row> candidate) {
        return cheap(candidate.queryExecution().withCachedData());
    }

    private static boolean cheap(LogicalPlan plan) {
        if (plan instanceof InMemoryRelation) {
            return true;
        }
        if (plan instanceof LocalRelation) {
            return true;
        }
        if (!SinglePassPlan.rowByRow(plan)) {
            return false;
        }
        for (Expression expression : JavaConverters.seqAsJavaList(plan.expressions())) {
            if (!expression.deterministic()) {
                return false;
            }
        }
        List<LogicalPlan> children = JavaConverters.seqAsJavaList(plan.children());
        return children.stream().allMatch(CandidateCache::cheap);
    }
}
