package dev.mesh.runtime.spark;

import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/**
 * Makes a session the thread's active one while some work runs: code that asks Spark for the active session rather
 * than being handed one (the SQL settings read while planning and generating code, Delta's and Deequ's internals)
 * then sees that session's settings.
 */
public final class ActiveSession {
    private ActiveSession() {}

    public static <T> T during(SparkSession session, Supplier<T> work) {
        Option<SparkSession> previous = SparkSession.getActiveSession();
        SparkSession.setActiveSession(session);
        try {
            return work.get();
        } finally {
            if (previous.isDefined()) {
                SparkSession.setActiveSession(previous.get());
            } else {
                SparkSession.clearActiveSession();
            }
        }
    }
}
