package dev.mesh.runtime.sql;

import dev.mesh.spec.model.NearestNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.catalyst.analysis.ExpressionWithUnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.PlanWithUnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ScriptTransformation;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith;
import org.apache.spark.sql.types.StringType;

/**
 * The checks of a parsed query: every relation is an input or a name a WITH defines in its scope (a definition
 * sees the ones before it, the query all of them; a name used outside its WITH is not an input), and an {@code
 * IDENTIFIER('...')} clause is checked as the name it stands for, which must be a constant.
 */
final class ParsedQueryCheck {
    private final ParserInterface parser;
    private final Set<String> inputs;
    private final Set<String> problems;

    ParsedQueryCheck(ParserInterface parser, Set<String> inputs, Set<String> problems) {
        this.parser = parser;
        this.inputs = inputs;
        this.problems = problems;
    }

    void plan(LogicalPlan plan, Set<String> known) {
        if (plan instanceof UnresolvedWith with) {
            Set<String> scope = new HashSet<>(known);
            for (Map.Entry<String, LogicalPlan> definition : CatalystTrees.cteDefinitions(with)) {
                plan(definition.getValue(), scope);
                scope.add(definition.getKey().toLowerCase(Locale.ROOT));
            }
            plan(with.child(), scope);
            return;
        }
        if (plan instanceof PlanWithUnresolvedIdentifier identifier) {
            name(identifier.identifierExpr()).ifPresent(name -> plan(CatalystTrees.identified(identifier, name),
                    known));
            CatalystTrees.children(plan).forEach(child -> plan(child, known));
            return;
        }
        if (plan instanceof ScriptTransformation) {
            problems.add(SqlGuard.runsAProgram());
        } else if (plan instanceof UnresolvedRelation relation) {
            List<String> parts = CatalystTrees.list(relation.multipartIdentifier());
            if (parts.size() == 2 && SqlGuard.FILE_SOURCES.contains(parts.get(0).toLowerCase(Locale.ROOT))) {
                problems.add("reads files at '" + parts.get(1) + "' by path (" + parts.get(0) + ".`...`); "
                        + SqlGuard.INPUTS_ONLY + ": read them through an input");
            } else if (parts.size() != 1 || !known.contains(parts.get(0).toLowerCase(Locale.ROOT))) {
                String name = String.join(".", parts);
                problems.add("reads '" + name + "', which is not an input of this product"
                        + NearestNames.suggestion(parts.get(parts.size() - 1), List.copyOf(inputs)) + "; "
                        + SqlGuard.INPUTS_ONLY + ": declare it under inputs (another product: - { name: NAME, product: "
                        + "DOMAIN.PRODUCT }) and read it by its input name");
            }
        } else if (plan instanceof UnresolvedTableValuedFunction function) {
            String name = String.join(".", CatalystTrees.list(function.name())).toLowerCase(Locale.ROOT);
            if (!SqlGuard.GENERATORS.contains(name)) {
                problems.add("calls the table function " + name + "(), which is not allowed in a product's "
                        + "query; allowed: " + String.join(", ", SqlGuard.GENERATORS));
            }
        }
        for (Expression expression : CatalystTrees.list(plan.expressions())) {
            for (Expression node : expressionTree(expression)) {
                SqlGuard.javaCall(node).ifPresent(problems::add);
                if (node instanceof SubqueryExpression subquery) {
                    plan(CatalystTrees.subqueryPlan(subquery), known);
                }
            }
        }
        CatalystTrees.children(plan).forEach(child -> plan(child, known));
    }

    /** An expression and its sub-expressions, each {@code IDENTIFIER('f')(...)} call as the call it builds. */
    List<Expression> expressionTree(Expression expression) {
        List<Expression> all = new ArrayList<>();
        for (Expression node : CatalystTrees.expressionTree(expression)) {
            all.add(node);
            if (node instanceof ExpressionWithUnresolvedIdentifier identifier) {
                name(identifier.identifierExpr()).ifPresent(name -> all.addAll(expressionTree(
                        CatalystTrees.identified(identifier, name))));
            }
        }
        return all;
    }

    /** The name an IDENTIFIER clause gives, when it is a constant; otherwise a problem. */
    private Optional<List<String>> name(Expression identifier) {
        if (identifier instanceof Literal literal && literal.value() != null
                && literal.dataType() instanceof StringType) {
            try {
                return Optional.of(CatalystTrees.nameParts(parser, literal.value().toString()));
            } catch (ParseException e) {
                problems.add("IDENTIFIER('" + literal.value() + "') is not a name: " + SqlGuard.describe(e));
                return Optional.empty();
            }
        }
        problems.add("IDENTIFIER(" + identifier.sql() + ") does not name a constant; write the name itself");
        return Optional.empty();
    }
}
