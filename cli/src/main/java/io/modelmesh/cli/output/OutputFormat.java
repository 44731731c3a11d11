package io.modelmesh.cli.output;

import picocli.CommandLine;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * How a command renders its result: an aligned table for people ({@code wide}: with every column the command has),
 * JSON or YAML (the same data) for scripts, or {@code name}: the names alone, one a line, for shell loops.
 */
public enum OutputFormat {
    TABLE, WIDE, JSON, YAML, NAME;

    /** Table or wide: for a person, with hints on stderr and colours where {@link Colors} allows. */
    public boolean forPeople() {
        return this == TABLE || this == WIDE;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** picocli converter: {@code table}, {@code json} or {@code yaml}, any case. */
    public static final class Converter implements CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            for (OutputFormat f : values()) {
                if (f.wireName().equalsIgnoreCase(value.trim())) {
                    return f;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not an output format: expected "
                    + "table, wide, json, yaml or name");
        }
    }

    /** Completion candidates and the {@code ${COMPLETION-CANDIDATES}} of the help text. */
    public static final class Candidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("table", "wide", "json", "yaml", "name").iterator();
        }
    }
}
