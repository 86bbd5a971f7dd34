package dev.mesh.runtime.sql;

import static dev.mesh.runtime.sql.CatalystTrees.list;

import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.ColumnSource;
import dev.mesh.spec.model.ColumnSource.How;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.expressions.WindowSpecDefinition;
import org.apache.spark.sql.catalyst.expressions.aggregate.AggregateExpression;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.CTERelationDef;
import org.apache.spark.sql.catalyst.plans.logical.CTERelationRef;
import org.apache.spark.sql.catalyst.plans.logical.Expand;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.Generate;
import org.apache.spark.sql.catalyst.plans.logical.Join;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.Sort;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.catalyst.plans.logical.Union;
import org.apache.spark.sql.catalyst.plans.logical.View;
import org.apache.spark.sql.catalyst.plans.logical.Window;
import org.apache.spark.sql.catalyst.plans.logical.WithCTE;

/**
 * Column lineage read off an analysed plan: each output attribute is traced down the plan to the attributes of the
 * product's inputs, which are the plan's temporary views named after the inputs (a run) or relations whose attributes
 * carry {@link #INPUT_METADATA} (validation, over the declared schemas). Every attribute an output's expression
 * names is a source of it, so the lineage can be wider than the data flow (a CASE condition counts), never narrower:
 * a node the walk does not know derives each of its outputs from everything below it.
 */
public final class PlanColumnLineage {
    /** The metadata key that marks an attribute as a column of the named input. */
    public static final String INPUT_METADATA = "mesh.input";

    private final Set<String> inputs = new HashSet<>();
    /** Whether catalog tables ({@code domain.product}) are the inputs, rather than temporary views. */
    private boolean catalogTables;
    private final Map<ExprId, Set<ColumnSource>> sources = new HashMap<>();
    private final Map<Long, LogicalPlan> ctes = new HashMap<>();
    private final Set<ColumnSource> rows = new LinkedHashSet<>();

    private PlanColumnLineage(Set<String> inputs) {
        inputs.forEach(input -> this.inputs.add(input.toLowerCase(Locale.ROOT)));
    }

    /** As {@link #of(LogicalPlan, Set)}, for the analysed plan of {@code rows}. */
    public static ColumnLineage of(Dataset<?> rows, Set<String> inputs) {
        return of(rows.queryExecution().analyzed(), inputs);
    }

    /** As {@link #ofTables(LogicalPlan)}, for the analysed plan of {@code rows}. */
    public static ColumnLineage ofTables(Dataset<?> rows) {
        return ofTables(rows.queryExecution().analyzed());
    }

    /** The lineage of {@code analysed}'s output columns over the inputs named {@code inputs}. */
    public static ColumnLineage of(LogicalPlan analysed, Set<String> inputs) {
        return walk(analysed, new PlanColumnLineage(inputs));
    }

    /**
     * The lineage of an ad-hoc query's output columns over the catalog's tables, each input named {@code
     * database.table} ({@code shop.customers}).
     */
    public static ColumnLineage ofTables(LogicalPlan analysed) {
        PlanColumnLineage walk = new PlanColumnLineage(Set.of());
        walk.catalogTables = true;
        return walk(analysed, walk);
    }

    private static ColumnLineage walk(LogicalPlan analysed, PlanColumnLineage walk) {
        walk.visit(analysed);
        Map<String, List<ColumnSource>> columns = new LinkedHashMap<>();
        for (Attribute attribute : list(analysed.output())) {
            columns.put(attribute.name(), sorted(walk.sources.getOrDefault(attribute.exprId(), Set.of())));
        }
        return new ColumnLineage(columns, sorted(walk.rows));
    }

    private static List<ColumnSource> sorted(Set<ColumnSource> sources) {
        List<ColumnSource> list = new ArrayList<>(sources);
        list.sort((a, b) -> (a.input() + "\0" + a.column() + "\0" + a.how())
                .compareTo(b.input() + "\0" + b.column() + "\0" + b.how()));
        return list;
    }

    private void visit(LogicalPlan plan) {
        if (inputView(plan)) {
            String input = ((View) plan).desc().identifier().table();
            list(plan.output()).forEach(a -> put(a, Set.of(new ColumnSource(input, a.name(), How.IDENTITY))));
            return;
        }
        if (catalogTables && plan instanceof SubqueryAlias alias && alias.identifier().qualifier().size() == 2) {
            String input = alias.identifier().qualifier().apply(1) + "." + alias.identifier().name();
            list(plan.output()).forEach(a -> put(a, Set.of(new ColumnSource(input, a.name(), How.IDENTITY))));
            return;
        }
        if (plan instanceof WithCTE with) {
            list(with.cteDefs()).forEach(def -> ctes.put(def.id(), def.child()));
        }
        for (LogicalPlan child : CatalystTrees.children(plan)) {
            visit(child);
        }
        for (Expression expression : CatalystTrees.expressions(plan)) {
            if (expression instanceof SubqueryExpression subquery) {
                visit(subquery.plan());
            }
        }
        derive(plan);
    }

    private boolean inputView(LogicalPlan plan) {
        return plan instanceof View view && view.isTempView()
                && inputs.contains(view.desc().identifier().table().toLowerCase(Locale.ROOT));
    }

    private void derive(LogicalPlan plan) {
        if (plan instanceof Project project) {
            list(project.projectList()).forEach(this::named);
        } else if (plan instanceof Aggregate aggregate) {
            list(aggregate.aggregateExpressions()).forEach(this::named);
            list(aggregate.groupingExpressions()).forEach(e -> indirect(e, How.GROUP_BY));
        } else if (plan instanceof Window window) {
            list(window.windowExpressions()).forEach(this::named);
            list(window.partitionSpec()).forEach(e -> indirect(e, How.WINDOW));
            list(window.orderSpec()).forEach(e -> indirect(e, How.WINDOW));
        } else if (plan instanceof Generate generate) {
            Set<ColumnSource> from = direct((Expression) generate.generator(), How.TRANSFORMATION);
            list(generate.generatorOutput()).forEach(a -> put(a, from));
        } else if (plan instanceof Union union) {
            List<Attribute> output = list(union.output());
            for (LogicalPlan child : list(union.children())) {
                List<Attribute> childOutput = list(child.output());
                for (int i = 0; i < output.size() && i < childOutput.size(); i++) {
                    add(output.get(i), sourcesOf(childOutput.get(i)));
                }
            }
        } else if (plan instanceof Expand expand) {
            List<Attribute> output = list(expand.output());
            for (scala.collection.Seq<Expression> projection : list(expand.projections())) {
                List<Expression> values = list(projection);
                for (int i = 0; i < output.size() && i < values.size(); i++) {
                    add(output.get(i), direct(values.get(i), How.IDENTITY));
                }
            }
        } else if (plan instanceof CTERelationRef ref) {
            LogicalPlan definition = ctes.get(ref.cteId());
            List<Attribute> output = list(ref.output());
            List<Attribute> defined = definition == null ? List.of() : list(definition.output());
            for (int i = 0; i < output.size(); i++) {
                put(output.get(i), i < defined.size() ? sourcesOf(defined.get(i)) : Set.of());
            }
        } else if (plan instanceof Filter filter) {
            indirect(filter.condition(), How.FILTER);
        } else if (plan instanceof Join join) {
            if (join.condition().isDefined()) {
                indirect(join.condition().get(), How.JOIN);
            }
        } else if (plan instanceof Sort sort) {
            list(sort.order()).forEach(e -> indirect(e, How.SORT));
        } else if (plan instanceof CTERelationDef || plan instanceof WithCTE) {
            return;
        }
        if (plan.children().isEmpty()) {
            list(plan.output()).forEach(this::leaf);
            return;
        }
        // anything else passes its children's attributes through; what it makes itself derives from all below it
        Set<ColumnSource> below = null;
        for (Attribute attribute : list(plan.output())) {
            if (!sources.containsKey(attribute.exprId())) {
                if (below == null) {
                    below = new LinkedHashSet<>();
                    for (LogicalPlan child : list(plan.children())) {
                        for (Attribute a : list(child.output())) {
                            below.addAll(weakened(sourcesOf(a), How.TRANSFORMATION));
                        }
                    }
                }
                put(attribute, below);
            }
        }
    }

    /** A leaf's attribute: a column of an input where its metadata says so, otherwise a value of its own. */
    private void leaf(Attribute attribute) {
        if (attribute.metadata().contains(INPUT_METADATA)) {
            String input = attribute.metadata().getString(INPUT_METADATA);
            put(attribute, Set.of(new ColumnSource(input, attribute.name(), How.IDENTITY)));
        } else if (!sources.containsKey(attribute.exprId())) {
            put(attribute, Set.of());
        }
    }

    private void named(NamedExpression expression) {
        if (expression instanceof Attribute) {
            return;
        }
        Expression value = valueOf(expression instanceof Alias alias ? alias.child() : (Expression) expression);
        How how = value instanceof Attribute ? How.IDENTITY : aggregates(value) ? How.AGGREGATION : How.TRANSFORMATION;
        sources.put(expression.exprId(), direct(value, how));
    }

    /** A cast to the type a value already has (the platform conforms every output column so) changes nothing. */
    private static Expression valueOf(Expression expression) {
        Expression value = expression;
        while (value instanceof Cast cast && cast.child().dataType().sameType(cast.dataType())) {
            value = cast.child();
        }
        return value;
    }

    private static boolean aggregates(Expression expression) {
        return CatalystTrees.expressionTree(expression).stream().anyMatch(AggregateExpression.class::isInstance);
    }

    /** The input columns whose values {@code expression} uses, each at most as direct as {@code how}. */
    private Set<ColumnSource> direct(Expression expression, How how) {
        Set<ColumnSource> found = new LinkedHashSet<>();
        collect(expression, how, found);
        return found;
    }

    /** A window's partition and order decide which rows an aggregate sees, not its values: they are not walked. */
    private void collect(Expression node, How how, Set<ColumnSource> found) {
        if (node instanceof Attribute attribute) {
            found.addAll(weakened(sourcesOf(attribute), how));
        } else if (node instanceof SubqueryExpression subquery) {
            for (Attribute a : list(subquery.plan().output())) {
                found.addAll(weakened(sourcesOf(a), How.TRANSFORMATION));
            }
        }
        // a subquery's children are the outer columns it correlates on: they choose its rows, as a join key does
        if (!(node instanceof WindowSpecDefinition) && !(node instanceof SubqueryExpression)) {
            for (Expression child : list(node.children())) {
                collect(child, how, found);
            }
        }
    }

    private void indirect(Expression expression, How how) {
        for (ColumnSource source : direct(expression, How.IDENTITY)) {
            rows.add(new ColumnSource(source.input(), source.column(), how));
        }
    }

    private static Set<ColumnSource> weakened(Set<ColumnSource> sources, How how) {
        Set<ColumnSource> weakened = new LinkedHashSet<>();
        for (ColumnSource source : sources) {
            weakened.add(source.direct() ? new ColumnSource(source.input(), source.column(), source.how().then(how))
                    : source);
        }
        return weakened;
    }

    private Set<ColumnSource> sourcesOf(Attribute attribute) {
        return sources.getOrDefault(attribute.exprId(), Set.of());
    }

    private void put(Attribute attribute, Set<ColumnSource> from) {
        sources.put(attribute.exprId(), new LinkedHashSet<>(from));
    }

    private void add(Attribute attribute, Set<ColumnSource> from) {
        sources.computeIfAbsent(attribute.exprId(), id -> new LinkedHashSet<>()).addAll(from);
    }
}
