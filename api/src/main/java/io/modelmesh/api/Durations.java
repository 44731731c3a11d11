package io.modelmesh.api;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform's one duration grammar, for manifests, headers ({@code X-Request-Timeout}), command-line options and
 * server flags alike: a whole number and a unit, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 30d}
 * (lower case, no space; at most 12 digits). Where a value may be a plain number of seconds (manifests and
 * headers, like HTTP's {@code Retry-After}), {@link #parse(String, boolean)} is told so; the command line and server
 * flags require the unit. Pure.
 */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)?");
    /** The grammar in words, for messages. */
    public static final String FORMS = "a whole number and a unit, like 500ms, 30s, 5m, 1h or 30d";

    private Durations() {
    }

    /**
     * The duration {@code text} names, or empty when it is not one (or too long to count in milliseconds).
     *
     * @param bareSeconds whether a number without a unit is accepted, as seconds
     */
    public static Optional<Duration> parse(String text, boolean bareSeconds) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches() || (m.group(2) == null && !bareSeconds)) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> 1;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            case "d" -> 86_400_000;
            default -> 1000;
        };
        if (n > Long.MAX_VALUE / unit) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(n * unit));
    }

    /** The duration in milliseconds (a plain number is seconds), or empty when the text is not a duration. */
    public static Optional<Long> millis(String text) {
        return parse(text, true).map(Duration::toMillis);
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

    /** The short form of a duration: whole days as {@code 30d}, else as {@link #formatMillis(long)}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        return formatMillis(ms);
    }
}
