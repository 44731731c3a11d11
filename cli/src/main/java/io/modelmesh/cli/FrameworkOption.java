package io.modelmesh.cli;

import io.modelmesh.api.Framework;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.Iterator;

/** picocli support for {@link Framework} options: the wire names, any case, and completion candidates. */
public final class FrameworkOption {
    private FrameworkOption() {
    }

    public static final class Converter implements CommandLine.ITypeConverter<Framework> {
        @Override
        public Framework convert(String value) {
            try {
                return Framework.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    public static final class Candidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Framework.values()).map(Framework::wireName).iterator();
        }
    }
}
