package dev.mesh.spec.model;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Suggests the closest known name for a misspelt one ("did you mean 'amount'?"). */
public final class NearestNames {
    private NearestNames() {}

    /** The candidate closest to {@code name}, if it is close enough to be a plausible typo. */
    public static Optional<String> nearest(String name, Collection<String> candidates) {
        String wanted = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(wanted, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int tolerance = Math.max(2, wanted.length() / 3);
        return best != null && bestDistance <= tolerance ? Optional.of(best) : Optional.empty();
    }

    /** "; did you mean 'x'?" or the empty string. */
    public static String suggestion(String name, Collection<String> candidates) {
        return nearest(name, candidates).map(n -> "; did you mean '" + n + "'?").orElse("");
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
