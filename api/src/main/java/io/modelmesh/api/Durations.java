package io.modelmesh.api;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform's duration grammar for values written in documents and headers (manifests, {@code X-Request-Timeout}):
 * {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or a plain number of seconds (like HTTP's {@code Retry-After}).
 * Pure. The command line keeps its own converter (a unit is required there).
 */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})(ms|s|m|h)?");

    private Durations() {
    }

    /** The duration in milliseconds, or empty when the text is not a duration. */
    public static Optional<Long> millis(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return Optional.of(switch (unit) {
            case "ms" -> n;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 1000;
        });
    }

    /** How a number of seconds is written back in a manifest ({@code 90s}, {@code 5m}, {@code 1h}). */
    public static String format(long seconds) {
        if (seconds > 0 && seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds > 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    /** A number of milliseconds written back: whole seconds as {@link #format(long)}, else {@code 1500ms}. */
    public static String formatMillis(long millis) {
        return millis % 1000 == 0 ? format(millis / 1000) : millis + "ms";
    }
}
