package dev.mesh.runtime.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.analysis.ExpressionWithUnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.PlanWithUnresolvedIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith;
import org.apache.spark.sql.catalyst.trees.TreeNode;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/** Catalyst's Scala trees as Java lists: the one place the SQL guard speaks Scala. */
final class CatalystTrees {
    private CatalystTrees() {}

    /** A node's child plans, plus the plans it holds beside them (the definitions of a WITH clause). */
    static List<LogicalPlan> children(LogicalPlan plan) {
        List<LogicalPlan> children = new ArrayList<>(list(plan.children()));
        for (TreeNode<?> inner : list(plan.innerChildren())) {
            if (inner instanceof LogicalPlan innerPlan && !children.contains(innerPlan)) {
                children.add(innerPlan);
            }
        }
        return children;
    }

    /** Every expression of a node, with their sub-expressions, depth first. */
    static List<Expression> expressions(LogicalPlan plan) {
        List<Expression> all = new ArrayList<>();
        for (Expression expression : list(plan.expressions())) {
            collect(expression, all);
        }
        return all;
    }

    /** An expression and its sub-expressions, depth first. */
    static List<Expression> expressionTree(Expression expression) {
        List<Expression> all = new ArrayList<>();
        collect(expression, all);
        return all;
    }

    /** The plan of a subquery expression ({@code IN (SELECT ...)}, {@code EXISTS}, a scalar subquery). */
    static LogicalPlan subqueryPlan(SubqueryExpression subquery) {
        return subquery.plan();
    }

    /** The names a WITH clause defines. */
    static List<String> cteNames(UnresolvedWith with) {
        List<String> names = new ArrayList<>();
        list(with.cteRelations()).forEach(relation -> names.add(relation._1()));
        return names;
    }

    /** The definitions of a WITH clause, in order: name and query. */
    static List<Map.Entry<String, LogicalPlan>> cteDefinitions(UnresolvedWith with) {
        List<Map.Entry<String, LogicalPlan>> definitions = new ArrayList<>();
        list(with.cteRelations()).forEach(relation -> definitions.add(Map.entry(relation._1(), relation._2())));
        return definitions;
    }

    /** The plan an {@code IDENTIFIER('name')} clause stands for, built for that name as Spark's analyser would. */
    static LogicalPlan identified(PlanWithUnresolvedIdentifier plan, List<String> name) {
        return plan.planBuilder().apply(JavaConverters.asScalaBuffer(name).toList(), plan.children());
    }

    /** The expression an {@code IDENTIFIER('name')(...)} call stands for. */
    static Expression identified(ExpressionWithUnresolvedIdentifier expression, List<String> name) {
        return expression.exprBuilder().apply(JavaConverters.asScalaBuffer(name).toList());
    }

    /** The parts of a (possibly qualified) name: {@code crm.customers} is two. */
    static List<String> nameParts(ParserInterface parser, String name) throws ParseException {
        return list(parser.parseMultipartIdentifier(name));
    }

    static <T> List<T> list(Seq<T> seq) {
        return JavaConverters.seqAsJavaList(seq);
    }

    private static void collect(Expression expression, List<Expression> into) {
        into.add(expression);
        for (Expression child : list(expression.children())) {
            collect(child, into);
        }
    }
}
