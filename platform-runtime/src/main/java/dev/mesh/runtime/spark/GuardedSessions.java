package dev.mesh.runtime.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The sessions SQL written by users runs in (a product's run, {@code mesh sql}): a session of its own, so that
 * temporary views and settings never leak between runs, that cannot address files by path and never substitutes
 * variables, whatever session it was made from. The second line behind {@code SqlGuard}, which refuses both in text.
 */
public final class GuardedSessions {
    /** On by default in Spark: {@code ${env:NAME}} in SQL text becomes the environment variable's value. */
    public static final String VARIABLE_SUBSTITUTION = "spark.sql.variable.substitute";
    /** On by default in Spark: {@code csv.`/any/path`} reads files by path. */
    public static final String SQL_ON_FILES = "spark.sql.runSQLOnFiles";

    private static final String HUGE_METHOD_LIMIT = "spark.sql.codegen.hugeMethodLimit";

    private GuardedSessions() {}

    /**
     * The session of a product's run: guarded, and with code generation that stays compiled. A stage whose generated
     * code is too big for the JIT (HotSpot compiles no method over 8000 bytes) runs interpreted, several times slower
     * than Spark's per-operator code: a strict parse of a dozen columns is one.
     */
    public static SparkSession forRun(SparkSession spark) {
        SparkSession session = of(spark);
        if (!session.conf().contains(HUGE_METHOD_LIMIT)) {
            session.conf().set(HUGE_METHOD_LIMIT, "8000");
        }
        return session;
    }

    public static SparkSession of(SparkSession spark) {
        SparkSession session = spark.newSession();
        session.conf().set(SQL_ON_FILES, "false");
        session.conf().set(VARIABLE_SUBSTITUTION, "false");
        return session;
    }
}
