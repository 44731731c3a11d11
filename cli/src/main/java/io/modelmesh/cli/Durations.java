package io.modelmesh.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations on the command line: a whole number and a unit, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h},
 * {@code 30d}. Parsed
 * once into a {@link Duration} (the picocli {@link Converter} does it for options); pure.
 */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException saying the expected form when {@code text} is not one
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        Matcher m = FORM.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: expected a whole number and a unit, "
                    + "like 500ms, 30s, 5m, 1h or 30d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** Whole seconds for the wire, refusing durations that are not a positive whole number of seconds. */
    public static int wholeSeconds(String option, Duration d) {
        if (d.isZero() || d.isNegative() || d.toMillis() % 1000 != 0 || d.toSeconds() > Integer.MAX_VALUE) {
            throw CliException.invalidInput(option + " must be a positive whole number of seconds (like 30s or 5m), "
                    + "got " + format(d));
        }
        return (int) d.toSeconds();
    }

    /** The short form back: {@code 30s}, {@code 5m}, {@code 1h}, {@code 1500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms != 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0 && ms != 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms != 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /** picocli converter for {@code Duration} options. */
    public static final class Converter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
