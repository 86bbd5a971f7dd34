package dev.mesh.runtime.sql;

import dev.mesh.error.MeshException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.expressions.CallMethodViaReflection;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.logical.CTERelationRef;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoDir;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.OneRowRelation;
import org.apache.spark.sql.catalyst.plans.logical.Range;
import org.apache.spark.sql.catalyst.plans.logical.ScriptTransformation;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.catalyst.plans.logical.View;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;

/**
 * Keeps SQL written in specs to what the platform promises: a product's query is exactly one query that reads only
 * the product's declared inputs; an ad-hoc query only reads. Checked twice: on the parsed text when a spec is
 * validated (no session needed), and on the analysed plan before anything runs, whatever built the plan.
 */
public final class SqlGuard {
    /** Data sources Spark lets SQL address by path ({@code delta.`/path`}). */
    static final Set<String> FILE_SOURCES = Set.of("delta", "parquet", "csv", "json", "text", "orc", "avro",
            "binaryfile", "xml", "jdbc", "libsvm", "image");
    /** Table-valued functions that make rows from their arguments and read nothing. */
    static final List<String> GENERATORS = List.of("range", "explode", "explode_outer", "inline",
            "inline_outer", "json_tuple", "posexplode", "posexplode_outer", "stack");
    /** Functions that call Java methods by name. */
    private static final Set<String> JAVA_CALLS = Set.of("reflect", "java_method", "try_reflect");
    static final String INPUTS_ONLY = "a product's query reads only its declared inputs";
    /** What Spark's variable substitution replaces ({@code ${env:NAME}}, {@code ${spark.x}}, {@code ${system:x}}). */
    private static final String VARIABLE = "${";

    private SqlGuard() {}

    /**
     * The problems of {@code sql} as a product's query over {@code inputs}, found on its text alone: not exactly one
     * query, a relation that is neither an input nor defined by the query's WITH, a file read by path, a program or
     * Java method called. Empty when there are none.
     */
    public static List<String> queryProblems(ParserInterface parser, String sql, Set<String> inputs) {
        Parsed parsed = parse(parser, sql, INPUTS_ONLY);
        if (parsed.problem().isPresent()) {
            return List.of(parsed.problem().get());
        }
        Set<String> known = new HashSet<>();
        inputs.forEach(input -> known.add(input.toLowerCase(Locale.ROOT)));
        Set<String> problems = new LinkedHashSet<>();
        new ParsedQueryCheck(parser, inputs, problems).plan(parsed.plan(), known);
        return List.copyOf(problems);
    }

    /** The problems of {@code sql} as a rule's boolean expression over one row. */
    public static List<String> expressionProblems(ParserInterface parser, String sql) {
        if (sql.contains(VARIABLE)) {
            return List.of(substitutes());
        }
        Expression expression;
        try {
            expression = parser.parseExpression(sql);
        } catch (ParseException e) {
            return List.of("is not a valid Spark SQL expression: " + describe(e));
        }
        Set<String> problems = new LinkedHashSet<>();
        ParsedQueryCheck check = new ParsedQueryCheck(parser, Set.of(), problems);
        for (Expression node : check.expressionTree(expression)) {
            if (node instanceof SubqueryExpression) {
                problems.add("holds a subquery; a rule sees only the columns of its own row");
            }
            javaCall(node).ifPresent(problems::add);
        }
        return List.copyOf(problems);
    }

    /**
     * The parsed plan of {@code sql} if it has none of the {@link #queryProblems} over {@code inputs}, else an
     * invalid-input error that starts with {@code what}. Nothing is analysed or run.
     */
    public static LogicalPlan requireQuery(ParserInterface parser, String sql, Set<String> inputs, String what) {
        List<String> problems = queryProblems(parser, sql, inputs);
        if (!problems.isEmpty()) {
            throw refusal(problems.get(0), "%s %s", what, problems.get(0));
        }
        return parse(parser, sql, INPUTS_ONLY).plan();
    }

    /**
     * The rows of {@code sql}, a product's query over {@code inputs} (temporary views by those names), checked by
     * {@link #requireQuery} before Spark analyses it.
     */
    public static Dataset<Row> query(SparkSession spark, String sql, Set<String> inputs, String what) {
        return Dataset.ofRows(spark, requireQuery(spark.sessionState().sqlParser(), sql, inputs, what));
    }

    /**
     * The rows of an ad-hoc query ({@code mesh sql}) in {@code session}: exactly one query, checked before Spark sees
     * it, whose analysed plan only reads ({@link #requireReadOnly}); {@code what} names the text in messages.
     */
    public static Dataset<Row> readOnlyQuery(SparkSession session, String sql, String what, String why) {
        Dataset<Row> rows = Dataset.ofRows(session, requireOneQuery(session.sessionState().sqlParser(), sql, what,
                why));
        requireReadOnly(rows.queryExecution().analyzed());
        return rows;
    }

    /** As {@link #requireOnlyInputs(LogicalPlan, Set, String)}, for the analysed plan of {@code rows}. */
    public static void requireOnlyInputs(Dataset<?> rows, Set<String> views, String what) {
        requireOnlyInputs(rows.queryExecution().analyzed(), views, what);
    }

    /** As {@link #catalogTables(LogicalPlan)}, for the analysed plan of {@code rows}. */
    public static Set<String> catalogTables(Dataset<?> rows) {
        return catalogTables(rows.queryExecution().analyzed());
    }

    /** Analyses {@code rows} now: a name or type that does not resolve fails here, before anything runs. */
    public static void requireAnalyzed(Dataset<?> rows) {
        rows.queryExecution().assertAnalyzed();
    }

    /** Why {@code sql} is not exactly one query (ending with {@code why} where it is a statement), if it is not. */
    public static Optional<String> oneQueryProblem(ParserInterface parser, String sql, String why) {
        return parse(parser, sql, why).problem();
    }

    /**
     * The parsed plan of {@code sql} if it is exactly one query, else an invalid-input error that starts with
     * {@code what} and ends with {@code why} only queries are allowed.
     */
    public static LogicalPlan requireOneQuery(ParserInterface parser, String sql, String what, String why) {
        Parsed parsed = parse(parser, sql, why);
        if (parsed.problem().isPresent()) {
            throw MeshException.invalidInput("%s %s", what, parsed.problem().get());
        }
        return parsed.plan();
    }

    /**
     * Refuses an analysed plan that reads anything but the temporary views named {@code views} (a product's
     * inputs), writes, runs a program or calls Java methods. {@code what} names the plan in the message.
     */
    public static void requireOnlyInputs(LogicalPlan analyzed, Set<String> views, String what) {
        Set<String> names = views.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        checkAnalyzed(analyzed, names, "", true, problems);
        if (!problems.isEmpty()) {
            throw refusal(problems.get(0), "%s %s; %s (each is a view named after the input): declare what it "
                    + "needs under inputs and read it by its input name", what, problems.get(0), INPUTS_ONLY);
        }
    }

    /** Refuses an analysed ad-hoc query that writes, reads files by path, runs a program or calls Java methods. */
    public static void requireReadOnly(LogicalPlan analyzed) {
        List<String> problems = new ArrayList<>();
        checkAnalyzed(analyzed, Set.of(), "", false, problems);
        if (!problems.isEmpty()) {
            throw MeshException.invalidInput("QUERY %s; mesh sql only reads DOMAIN.PRODUCT and platform.* tables",
                    problems.get(0));
        }
    }

    /**
     * The catalog tables an analysed query reads, anywhere in it (subqueries too), as {@code database.table}: what
     * the plan resolved, whatever names the text used.
     */
    public static Set<String> catalogTables(LogicalPlan analyzed) {
        Set<String> tables = new java.util.TreeSet<>();
        collectTables(analyzed, tables);
        return tables;
    }

    private static void collectTables(LogicalPlan plan, Set<String> tables) {
        if (plan instanceof SubqueryAlias alias && alias.identifier().qualifier().size() == 2) {
            tables.add((alias.identifier().qualifier().apply(1) + "." + alias.identifier().name())
                    .toLowerCase(Locale.ROOT));
        }
        for (Expression expression : CatalystTrees.expressions(plan)) {
            if (expression instanceof SubqueryExpression subquery) {
                collectTables(subquery.plan(), tables);
            }
        }
        for (LogicalPlan child : CatalystTrees.children(plan)) {
            collectTables(child, tables);
        }
    }

    /** A read of what the job was not granted is an access refusal; anything else is bad input. */
    private static MeshException refusal(String problem, String format, Object... args) {
        return problem.startsWith("reads ") ? MeshException.accessDenied(format, args)
                : MeshException.invalidInput(format, args);
    }

    private record Parsed(LogicalPlan plan, Optional<String> problem) {}

    private static Parsed parse(ParserInterface parser, String sql, String why) {
        // refused before any parser sees it: a parser of a session that substitutes would put the value in the plan
        if (sql.contains(VARIABLE)) {
            return new Parsed(null, Optional.of(substitutes()));
        }
        LogicalPlan statement;
        try {
            statement = parser.parsePlan(sql);
        } catch (ParseException e) {
            try {
                parser.parseQuery(sql);
                return new Parsed(null, Optional.of("must be exactly one query, with nothing after it: "
                        + describe(e)));
            } catch (ParseException notAQuery) {
                return new Parsed(null, Optional.of("is not valid Spark SQL: " + describe(e)));
            }
        }
        try {
            parser.parseQuery(sql);
        } catch (ParseException e) {
            return new Parsed(null, Optional.of("must be a query (SELECT, WITH ... SELECT, VALUES or TABLE); "
                    + firstKeyword(sql) + " statements are not allowed: " + why));
        }
        return new Parsed(statement, Optional.empty());
    }

    /**
     * Walks an analysed plan: a view of {@code views} is trusted without looking inside; anything else that reads
     * data (a catalog table, files by path) is a problem when {@code inputsOnly}, and a path read always is.
     */
    private static void checkAnalyzed(LogicalPlan plan, Set<String> views, String alias, boolean inputsOnly,
            List<String> problems) {
        if (plan instanceof View view && view.isTempView() && view.desc().identifier().database().isEmpty()
                && views.contains(view.desc().identifier().table().toLowerCase(Locale.ROOT))) {
            return;
        }
        if (plan instanceof Command || plan instanceof InsertIntoStatement || plan instanceof InsertIntoDir) {
            problems.add("writes (" + plan.nodeName() + ")");
            return;
        }
        if (plan instanceof ScriptTransformation) {
            problems.add(runsAProgram());
            return;
        }
        for (Expression expression : CatalystTrees.expressions(plan)) {
            javaCall(expression).ifPresent(problems::add);
            if (expression instanceof SubqueryExpression subquery) {
                checkAnalyzed(CatalystTrees.subqueryPlan(subquery), views, "", inputsOnly, problems);
            }
        }
        List<LogicalPlan> children = CatalystTrees.children(plan);
        if (children.isEmpty() && !generatesRows(plan)) {
            readProblem(plan, alias, inputsOnly).ifPresent(problems::add);
        }
        String childAlias = plan instanceof SubqueryAlias subqueryAlias ? subqueryAlias.identifier().toString() : "";
        children.forEach(child -> checkAnalyzed(child, views, childAlias, inputsOnly, problems));
    }

    private static boolean generatesRows(LogicalPlan leaf) {
        return leaf instanceof OneRowRelation || leaf instanceof Range || leaf instanceof LocalRelation
                || leaf instanceof CTERelationRef;
    }

    private static Optional<String> readProblem(LogicalPlan leaf, String alias, boolean inputsOnly) {
        if (leaf instanceof LogicalRelation relation) {
            if (relation.catalogTable().isDefined()) {
                return inputsOnly ? Optional.of("reads the table " + relation.catalogTable().get().identifier()
                        .unquotedString() + ", which is not one of its inputs") : Optional.empty();
            }
            return Optional.of("reads files by path (" + describePath(relation, alias) + ")");
        }
        if (!inputsOnly && leaf.getClass().getSimpleName().equals("HiveTableRelation")) {
            return Optional.empty();
        }
        String name = alias.isEmpty() ? leaf.nodeName() : alias;
        return Optional.of("reads " + name + ", which is not one of its inputs");
    }

    private static String describePath(LogicalRelation relation, String alias) {
        if (relation.relation() instanceof HadoopFsRelation files) {
            return CatalystTrees.list(files.location().rootPaths()).stream().map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        return alias.isEmpty() ? relation.relation().toString() : alias;
    }

    static Optional<String> javaCall(Expression expression) {
        if (expression instanceof CallMethodViaReflection) {
            return Optional.of(callsJava(expression.prettyName()));
        }
        if (expression instanceof UnresolvedFunction function) {
            List<String> parts = CatalystTrees.list(function.nameParts());
            String name = parts.get(parts.size() - 1).toLowerCase(Locale.ROOT);
            if (JAVA_CALLS.contains(name)) {
                return Optional.of(callsJava(name));
            }
        }
        return Optional.empty();
    }

    private static String callsJava(String function) {
        return "calls " + function + "(), which runs Java methods by name; it is not allowed in SQL of a spec";
    }

    private static String substitutes() {
        return "holds '${', which Spark would replace with the value of a variable (an environment variable, a "
                + "system property, a setting); the platform never substitutes variables in SQL: write the value, or "
                + "read it from an input";
    }

    static String runsAProgram() {
        return "runs a program (TRANSFORM ... USING); it is not allowed in SQL of a spec";
    }

    /** Spark's parse error without its error class tag: "Syntax error at or near 'DROP'. (line 1, pos 10)". */
    static String describe(ParseException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().strip();
        String first = message.lines().findFirst().orElse("").strip();
        if (first.startsWith("[")) {
            int end = first.indexOf(']');
            first = end < 0 ? first : first.substring(end + 1).strip();
        }
        return first.replace(".(line", ". (line");
    }

    private static String firstKeyword(String sql) {
        String text = sql.strip();
        while (text.startsWith("--") || text.startsWith("/*")) {
            int end = text.startsWith("--") ? text.indexOf('\n') : text.indexOf("*/");
            text = end < 0 ? "" : text.substring(end + (text.startsWith("--") ? 1 : 2)).strip();
        }
        String word = text.split("[\\s(]+", 2)[0].toUpperCase(Locale.ROOT);
        return word.isEmpty() ? "empty" : word;
    }
}
