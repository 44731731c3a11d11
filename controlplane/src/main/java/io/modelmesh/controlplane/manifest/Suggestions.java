package io.modelmesh.controlplane.manifest;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** The closest allowed name to a misspelt one (pure; edit distance, case-insensitive). */
final class Suggestions {
    private Suggestions() {
    }

    /** The allowed name nearest to {@code name}, when it is near enough to be a likely typo. */
    static Optional<String> closest(String name, Collection<String> allowed) {
        String n = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String a : allowed) {
            int d = distance(n, a.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = a;
                bestDistance = d;
            }
        }
        int tolerated = Math.max(2, n.length() / 3);
        return best != null && bestDistance <= tolerated ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
