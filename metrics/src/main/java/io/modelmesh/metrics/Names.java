package io.modelmesh.metrics;

import java.util.List;
import java.util.regex.Pattern;

/** Metric and label names and label values: validated once, when a family is made or a label set first seen. */
final class Names {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private Names() {
    }

    static String check(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a valid Prometheus name: '" + name + "'");
        }
        return name;
    }

    static List<String> values(List<String> names, String... values) {
        if (values.length != names.size()) {
            throw new IllegalArgumentException("expected " + names.size() + " label values " + names + ", got "
                    + values.length);
        }
        for (String v : values) {
            if (v == null) {
                throw new IllegalArgumentException("label values must not be null");
            }
        }
        return List.of(values);
    }
}
