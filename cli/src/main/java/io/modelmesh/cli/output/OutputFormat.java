package io.modelmesh.cli.output;

import picocli.CommandLine;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/** How a command renders its result: an aligned table for people, JSON or YAML (the same data) for scripts. */
public enum OutputFormat {
    TABLE, JSON, YAML;

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
            throw new CommandLine.TypeConversionException("'" + value + "' is not an output format: expected table, json or yaml");
        }
    }

    /** Completion candidates and the {@code ${COMPLETION-CANDIDATES}} of the help text. */
    public static final class Candidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("table", "json", "yaml").iterator();
        }
    }
}
