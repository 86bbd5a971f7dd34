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

    private GuardedSessions() {}

    public static SparkSession of(SparkSession spark) {
        SparkSession session = spark.newSession();
        session.conf().set(SQL_ON_FILES, "false");
        session.conf().set(VARIABLE_SUBSTITUTION, "false");
        return session;
    }
}
