package dev.mesh.runtime.sql;

import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.ColumnSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.catalyst.QueryPlanningTracker;
import org.apache.spark.sql.catalyst.analysis.Analyzer;
import org.apache.spark.sql.catalyst.analysis.CTESubstitution$;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry$;
import org.apache.spark.sql.catalyst.analysis.TableFunctionRegistry$;
import org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.catalog.InMemoryCatalog;
import org.apache.spark.sql.catalyst.catalog.SessionCatalog;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression$;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias$;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import scala.collection.JavaConverters;
import scala.collection.immutable.Seq$;
import scala.runtime.AbstractPartialFunction;

/**
 * Column lineage of a product's query at validation, without a session or data: the query is parsed, each input
 * becomes an empty relation with the input's declared columns (marked with {@link PlanColumnLineage#INPUT_METADATA}),
 * and Spark's own analyser resolves it with its built-in functions, the same rules a run applies. So validation sees
 * the lineage a run will see, through every form Spark resolves (star expansion, USING joins, lateral column
 * aliases, GROUP BY ALL, windows, generators), with nothing of it re-implemented here.
 */
final class DeclaredLineage {
    private final ParserInterface parser;
    private final Analyzer analyzer;

    DeclaredLineage(ParserInterface parser) {
        this.parser = parser;
        this.analyzer = new Analyzer(new SessionCatalog(new InMemoryCatalog(new SparkConf(false), new Configuration(false)), FunctionRegistry$.MODULE$.builtin(),
                TableFunctionRegistry$.MODULE$.builtin()));
    }

    /**
     * The lineage of {@code sql} over inputs with the declared {@code columns}; empty where the query does not
     * analyse over them (a column the declaration lacks, a type it cannot take): a run then finds the lineage on the
     * real plan.
     */
    Optional<ColumnLineage> of(String sql, Map<String, List<ColumnSpec>> columns) {
        try {
            LogicalPlan parsed = parser.parsePlan(sql);
            // common table expressions first, so that their definitions are plans the binding below reaches
            LogicalPlan substituted = CTESubstitution$.MODULE$.apply(parsed);
            Map<String, List<ColumnSpec>> known = withReferencedColumns(substituted, columns);
            LogicalPlan bound = substituted.transformUpWithSubqueries(new AbstractPartialFunction<LogicalPlan, LogicalPlan>() {
                @Override
                public boolean isDefinedAt(LogicalPlan node) {
                    return input(node, known).isPresent();
                }

                @Override
                public LogicalPlan apply(LogicalPlan node) {
                    return input(node, known).map(name -> relation(name, known.get(name))).orElse(node);
                }
            });
            LogicalPlan analysed = analyzer.executeAndCheck(bound, new QueryPlanningTracker(scala.Option.empty()));
            return Optional.of(PlanColumnLineage.of(analysed, known.keySet()));
        } catch (Exception | LinkageError e) {
            return Optional.empty();
        }
    }

    /**
     * The inputs with their columns, where an input declares none (landing files that describe themselves, a
     * database table) with every name the query uses, untyped: enough for the analyser to resolve the query and
     * for the lineage to name the columns, never a column the query does not read.
     */
    private static Map<String, List<ColumnSpec>> withReferencedColumns(LogicalPlan plan,
            Map<String, List<ColumnSpec>> columns) {
        if (columns.values().stream().noneMatch(List::isEmpty)) {
            return columns;
        }
        Set<String> names = new LinkedHashSet<>();
        collectNames(plan, names);
        Map<String, List<ColumnSpec>> known = new LinkedHashMap<>();
        columns.forEach((input, declared) -> known.put(input, !declared.isEmpty() ? declared : names.stream()
                .map(name -> new ColumnSpec(name, "void", false, "", "")).toList()));
        return known;
    }

    private static void collectNames(LogicalPlan plan, Set<String> names) {
        for (Expression expression : CatalystTrees.expressions(plan)) {
            if (expression instanceof UnresolvedAttribute attribute) {
                List<String> parts = CatalystTrees.list(attribute.nameParts());
                names.add(parts.get(parts.size() > 1 ? 1 : 0));
            } else if (expression instanceof SubqueryExpression subquery) {
                collectNames(subquery.plan(), names);
            }
        }
        for (LogicalPlan child : CatalystTrees.children(plan)) {
            collectNames(child, names);
        }
    }

    private static Optional<String> input(LogicalPlan node, Map<String, List<ColumnSpec>> columns) {
        if (!(node instanceof UnresolvedRelation relation) || relation.multipartIdentifier().size() != 1) {
            return Optional.empty();
        }
        String name = relation.multipartIdentifier().head();
        return columns.keySet().stream().filter(input -> input.equalsIgnoreCase(name)).findFirst();
    }

    private static LogicalPlan relation(String input, List<ColumnSpec> columns) {
        Metadata marked = new MetadataBuilder().putString(PlanColumnLineage.INPUT_METADATA, input).build();
        List<Attribute> attributes = new ArrayList<>();
        for (ColumnSpec column : columns) {
            DataType type = CatalystSqlParser$.MODULE$.parseDataType(column.type());
            attributes.add(new AttributeReference(column.name(), type, !column.required(), marked,
                    NamedExpression$.MODULE$.newExprId(), Seq$.MODULE$.<String>empty()));
        }
        LocalRelation relation = new LocalRelation(JavaConverters.asScalaBuffer(attributes).toList(),
                Seq$.MODULE$.empty(), false);
        return SubqueryAlias$.MODULE$.apply(input, relation);
    }
}
