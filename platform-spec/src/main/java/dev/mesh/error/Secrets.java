package dev.mesh.error;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret values this process holds (S3 keys, database connections, the PII salt...), so that any text leaving it
 * (an error, a log line, a ledger row, a JSON line, a lineage event, a report) can be scrubbed of them. Values are
 * registered when a mesh meets its environment: every variable the mesh names as holding a secret.
 */
public final class Secrets {
    private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();
    static final String MASK = "****";

    private Secrets() {}

    public static void register(String value) {
        // very short values would mask ordinary words; real keys are long
        if (value != null && value.length() >= 6) {
            VALUES.add(value);
        }
    }

    /** Registers the values of the named environment variables that are set. */
    public static void registerAll(Map<String, String> environment, Collection<String> names) {
        names.forEach(name -> register(environment.get(name)));
    }

    /** The text with every registered secret replaced by {@code ****}. */
    public static String redact(String text) {
        if (text == null || VALUES.isEmpty()) {
            return text;
        }
        String result = text;
        for (String value : VALUES) {
            result = result.replace(value, MASK);
        }
        return result;
    }
}
