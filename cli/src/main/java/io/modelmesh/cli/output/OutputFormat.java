package io.modelmesh.cli.output;

import picocli.CommandLine;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/** How a command renders its result: an aligned table for people or JSON for scripts. */
public enum OutputFormat {
    TABLE, JSON;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** picocli converter: {@code table} or {@code json}, any case. */
    public static final class Converter implements CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            for (OutputFormat f : values()) {
                if (f.wireName().equalsIgnoreCase(value.trim())) {
                    return f;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not an output format: expected table or json");
        }
    }

    /** Completion candidates and the {@code ${COMPLETION-CANDIDATES}} of the help text. */
    public static final class Candidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("table", "json").iterator();
        }
    }
}
