package io.modelmesh.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Reads the Prometheus text exposition back into samples: what a scrape test compares, and what a client that wants
 * one number from {@code /metrics} needs, without depending on label order or number formatting.
 */
public final class PrometheusText {
    private PrometheusText() {
    }

    /** One sample line: series name, labels, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            out.add(sample(line));
        }
        return out;
    }

    /** The value of the sample with exactly these labels, if present. */
    public static OptionalDouble value(String text, String name, Map<String, String> labels) {
        for (Sample s : parse(text)) {
            if (s.name().equals(name) && s.labels().equals(labels)) {
                return OptionalDouble.of(s.value());
            }
        }
        return OptionalDouble.empty();
    }

    /** The value of the sample with exactly these labels, or 0 when the series does not exist (yet). */
    public static double valueOrZero(String text, String name, Map<String, String> labels) {
        return value(text, name, labels).orElse(0);
    }

    /** The families ({@code # TYPE} lines) of an exposition: name to type. */
    public static Map<String, String> families(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).trim().split(" ");
                out.put(p[0], p[1]);
            }
        }
        return out;
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space;
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        if (brace < 0) {
            space = line.indexOf(' ');
            name = line.substring(0, space);
        } else {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq).trim();
                StringBuilder v = new StringBuilder();
                int j = eq + 2; // past ="
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        v.append(n == 'n' ? '\n' : n);
                    } else {
                        v.append(c);
                    }
                }
                labels.put(label, v.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            space = line.indexOf(' ', i);
        }
        String rest = line.substring(space + 1).trim();
        int end = rest.indexOf(' ');
        String value = end < 0 ? rest : rest.substring(0, end);
        return new Sample(name, Map.copyOf(labels), switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        });
    }
}
