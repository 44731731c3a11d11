package io.modelmesh.cli;

import picocli.CommandLine;

import java.time.Duration;

/**
 * Durations on the command line, in the platform's one grammar ({@link io.modelmesh.api.Durations}, a unit required):
 * the picocli {@link Converter} for options and what commands need around it. Pure.
 */
public final class Durations {
    private Durations() {
    }

    /**
     * @throws IllegalArgumentException saying the expected form when {@code text} is not one
     */
    public static Duration parse(String text) {
        return io.modelmesh.api.Durations.parse(text, false).orElseThrow(() -> new IllegalArgumentException("'" + text
                + "' is not a duration: expected " + io.modelmesh.api.Durations.FORMS));
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
        return io.modelmesh.api.Durations.format(d);
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
