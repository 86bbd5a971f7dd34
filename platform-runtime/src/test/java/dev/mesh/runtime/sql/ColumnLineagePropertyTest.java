package dev.mesh.runtime.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.ColumnSource;
import dev.mesh.spec.model.ColumnSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For random SELECT lists over a schema, every output column's lineage names each input column its expression
 * names: an expression is generated together with the columns it reads, and the lineage validation finds must
 * include them, whatever functions, CASE, structs, arrays and aggregates wrap them.
 */
class ColumnLineagePropertyTest {
    static final List<String> STRINGS = List.of("s1", "s2", "s3");
    static final List<String> NUMBERS = List.of("n1", "n2");
    static final Map<String, List<ColumnSpec>> INPUTS = Map.of("t", List.of(
            column("s1", "string"), column("s2", "string"), column("s3", "string"),
            column("n1", "bigint"), column("n2", "bigint")));
    static final CatalystSqlSyntax SYNTAX = new CatalystSqlSyntax();

    /** An expression and the columns it names. */
    record Expr(String sql, Set<String> columns) {
        static Expr of(String sql, Expr... parts) {
            Set<String> columns = new TreeSet<>();
            for (Expr part : parts) {
                columns.addAll(part.columns());
            }
            return new Expr(sql, columns);
        }
    }

    @Property
    void everyNamedColumnIsASource(@ForAll("selectLists") List<Expr> select, @ForAll boolean aggregate) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < select.size(); i++) {
            String value = aggregate ? "max(" + select.get(i).sql() + ")" : select.get(i).sql();
            sql.append(i == 0 ? "" : ", ").append(value).append(" AS c").append(i);
        }
        sql.append(" FROM t");
        ColumnLineage lineage = SYNTAX.queryLineage(sql.toString(), INPUTS).orElseThrow(
                () -> new AssertionError("no lineage for " + sql));
        for (int i = 0; i < select.size(); i++) {
            Set<String> found = lineage.sourcesOf("c" + i).stream().filter(ColumnSource::direct)
                    .map(ColumnSource::column).collect(Collectors.toSet());
            assertThat(found).as(sql + ": c" + i).containsAll(select.get(i).columns());
        }
    }

    @Provide
    Arbitrary<List<Expr>> selectLists() {
        return string(3).list().ofMinSize(1).ofMaxSize(4);
    }

    Arbitrary<Expr> string(int depth) {
        Arbitrary<Expr> column = Arbitraries.of(STRINGS).map(name -> new Expr(name, Set.of(name)));
        if (depth == 0) {
            return Arbitraries.oneOf(column, Arbitraries.just(new Expr("'x'", Set.of())));
        }
        Arbitrary<Expr> inner = Arbitraries.lazy(() -> string(depth - 1));
        return Arbitraries.oneOf(
                column,
                inner.map(e -> Expr.of("upper(" + e.sql() + ")", e)),
                inner.map(e -> Expr.of("trim(" + e.sql() + ")", e)),
                Combinators.combine(inner, inner).as((a, b) -> Expr.of("concat(" + a.sql() + ", " + b.sql() + ")", a, b)),
                Combinators.combine(inner, inner).as((a, b) -> Expr.of("coalesce(" + a.sql() + ", " + b.sql() + ")", a, b)),
                Combinators.combine(number(), inner, inner).as((n, a, b) -> Expr.of("CASE WHEN " + n.sql()
                        + " > 0 THEN " + a.sql() + " ELSE " + b.sql() + " END", n, a, b)),
                Combinators.combine(inner, inner).as((a, b) -> Expr.of("named_struct('a', " + a.sql() + ", 'b', "
                        + b.sql() + ").b", a, b)),
                Combinators.combine(inner, inner).as((a, b) -> Expr.of("array(" + a.sql() + ", " + b.sql() + ")[0]",
                        a, b)),
                Combinators.combine(inner, number()).as((a, n) -> Expr.of("concat(" + a.sql() + ", cast(" + n.sql()
                        + " AS string))", a, n)),
                inner.map(e -> Expr.of("sha2(" + e.sql() + ", 256)", e)));
    }

    Arbitrary<Expr> number() {
        Arbitrary<Expr> column = Arbitraries.of(NUMBERS).map(name -> new Expr(name, Set.of(name)));
        return Arbitraries.oneOf(column,
                Combinators.combine(column, column).as((a, b) -> Expr.of(a.sql() + " + " + b.sql(), a, b)),
                column.map(e -> Expr.of("abs(" + e.sql() + ")", e)));
    }

    static ColumnSpec column(String name, String type) {
        return new ColumnSpec(name, type, false, "", "");
    }
}
