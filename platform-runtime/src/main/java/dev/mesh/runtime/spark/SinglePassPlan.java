package dev.mesh.runtime.spark;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.InputFileBlockLength;
import org.apache.spark.sql.catalyst.expressions.InputFileBlockStart;
import org.apache.spark.sql.catalyst.expressions.InputFileName;
import org.apache.spark.sql.catalyst.expressions.Nondeterministic;
import org.apache.spark.sql.catalyst.expressions.ScalaUDF;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression$;
import org.apache.spark.sql.catalyst.plans.logical.CollectMetrics;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.catalyst.plans.logical.Union;
import org.apache.spark.sql.catalyst.plans.logical.View;
import scala.collection.JavaConverters;

/**
 * Whether a run's candidate reads each of its inputs once and whole: projections, filters and unions of deterministic
 * expressions without subqueries over scans, with each of the inputs' observations exactly once. Such a plan can be
 * written in one pass, computing it again gives the same rows, and its observations see every record the inputs
 * hold (a filter above an observation never reaches below it). A join, an aggregation, a window, a limit or a sample
 * is not such a plan.
 */
public final class SinglePassPlan {
    private SinglePassPlan() {}

    public static boolean readsEachInputOnce(Dataset<Row> candidate, Set<String> observations) {
        Map<String, Integer> seen = new HashMap<>();
        if (!simple(candidate.queryExecution().analyzed(), seen)) {
            return false;
        }
        return observations.stream().allMatch(name -> seen.getOrDefault(name, 0) == 1);
    }

    private static boolean simple(LogicalPlan plan, Map<String, Integer> seen) {
        List<LogicalPlan> children = JavaConverters.seqAsJavaList(plan.children());
        if (plan instanceof CollectMetrics metrics) {
            seen.merge(metrics.name(), 1, Integer::sum);
        } else if (children.isEmpty()) {
            // a scan
            return true;
        } else if (!rowByRow(plan)) {
            return false;
        }
        for (Expression expression : JavaConverters.seqAsJavaList(plan.expressions())) {
            if (!sameEachTime(expression) || SubqueryExpression$.MODULE$.hasSubquery(expression)) {
                return false;
            }
        }
        return children.stream().allMatch(child -> simple(child, seen));
    }

    /**
     * Whether the node only passes rows through, each on its own: a projection, a filter, a union, a name for its child
     * (alias, view), or an observation (which counts them on the way).
     */
    static boolean rowByRow(LogicalPlan plan) {
        return plan instanceof Project || plan instanceof Filter || plan instanceof SubqueryAlias
                || plan instanceof Union || plan instanceof View || plan instanceof CollectMetrics;
    }

    /**
     * Whether the expression gives a row the same value each time the plan runs: deterministic, or only as
     * nondeterministic as the name of the file a row is read from (which Spark calls nondeterministic, as it
     * depends on the scan, but which a scan of the same files gives each row again).
     */
    private static boolean sameEachTime(Expression expression) {
        if (expression instanceof InputFileName || expression instanceof InputFileBlockStart
                || expression instanceof InputFileBlockLength) {
            return true;
        }
        if (expression instanceof Nondeterministic
                || expression instanceof ScalaUDF udf && !udf.udfDeterministic()) {
            return false;
        }
        return JavaConverters.seqAsJavaList(expression.children()).stream().allMatch(SinglePassPlan::sameEachTime);
    }
}
