package io.modelmesh.server.config;

import io.modelmesh.api.Durations;
import io.modelmesh.api.Framework;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parsing of the setting values both servers share (sizes, durations, framework lists), each failure an
 * {@link IllegalArgumentException} that names the flag or variable and what it accepts. Pure.
 */
public final class Settings {
    private static final String[][] BYTE_SUFFIXES = {{"gib", "gb", "g"}, {"mib", "mb", "m"}, {"kib", "kb", "k"}, {"b"}};
    private static final long[] BYTE_UNITS = {1L << 30, 1L << 20, 1L << 10, 1};

    private Settings() {
    }

    /**
     * A byte count: digits, optionally followed by K/KB/KiB, M/MB/MiB, G/GB/GiB (all binary multiples).
     *
     * @param source the flag or variable it came from, for the message
     */
    public static long bytes(String text, String source) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        outer:
        for (int u = 0; u < BYTE_SUFFIXES.length; u++) {
            for (String suffix : BYTE_SUFFIXES[u]) {
                if (t.endsWith(suffix)) {
                    t = t.substring(0, t.length() - suffix.length()).trim();
                    unit = BYTE_UNITS[u];
                    break outer;
                }
            }
        }
        try {
            long n = Long.parseLong(t);
            if (n >= 1 && n <= Long.MAX_VALUE / unit) {
                return n * unit;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(source + " must be a positive byte count such as 2147483648, 512MiB or "
                + "2GiB, got '" + text + "'");
    }

    /** A positive duration with its unit, in the platform's grammar ({@link Durations}): {@code 500ms}, {@code 10s}. */
    public static Duration duration(String text, String source) {
        Duration d = Durations.parse(text, false).orElse(Duration.ZERO);
        if (d.isZero()) {
            throw new IllegalArgumentException(source + " must be a positive duration with its unit, such as 500ms, "
                    + "10s or 2m, got '" + text + "'");
        }
        return d;
    }

    /**
     * A comma-separated list of framework names ({@code onnx,sklearn}); {@code all} or a blank value is every one.
     *
     * @return an unmodifiable, non-empty set
     */
    public static Set<Framework> frameworks(String text, String source) {
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("all")) {
            return Collections.unmodifiableSet(EnumSet.allOf(Framework.class));
        }
        Set<Framework> out = EnumSet.noneOf(Framework.class);
        for (String part : text.split(",", -1)) {
            try {
                out.add(Framework.parse(part));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " lists '" + part.trim() + "'; name frameworks from onnx, "
                        + "torchscript, sklearn, pmml separated by commas (or 'all')");
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** {@code true}/{@code yes}/{@code 1} or {@code false}/{@code no}/{@code 0}. */
    public static boolean bool(String text, String source) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(source + " must be true or false, got '" + text + "'");
        };
    }

    /** Parses one setting's text; the source names the flag or variable for messages. */
    public interface Parser<T> {
        T parse(String text, String source);
    }

    /**
     * A setting from its flag when given, else from its environment variable when set, else the fallback.
     *
     * @param flags flags given on the command line, by name
     */
    public static <T> T flagOrEnv(Map<String, String> flags, Map<String, String> env, String flag, String variable,
                                  T fallback, Parser<T> parser) {
        String value = flags.get(flag);
        if (value != null) {
            return parser.parse(value, flag);
        }
        value = env.get(variable);
        return value == null || value.isBlank() ? fallback : parser.parse(value, variable);
    }

    /** {@code onnx, pmml} in the enum's order: how messages and docs list a framework set. */
    public static String list(Set<Framework> frameworks) {
        return String.join(", ", frameworks.stream().sorted().map(Framework::wireName).toList());
    }
}
