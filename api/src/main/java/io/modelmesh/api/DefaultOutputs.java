package io.modelmesh.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of a serving policy's {@code default_output} (pure): output name to one row's value, written the way
 * {@code /predict} answers one row — a number, a string, a boolean, a list (nested lists for more dimensions, every
 * level of equal length) of numbers, or an object of numbers keyed by label (a classifier's probabilities by class).
 * Bounded, because every node keeps it and every routing table carries it.
 */
public final class DefaultOutputs {
    /** Most outputs a default may name. */
    public static final int MAX_OUTPUTS = 64;
    /** Most numbers (over all outputs) a default may hold. */
    public static final int MAX_VALUES = 4096;
    /** Longest output name, label or string value. */
    public static final int MAX_TEXT = 256;
    /** Deepest list nesting. */
    public static final int MAX_DEPTH = 4;

    private DefaultOutputs() {
    }

    /**
     * @throws IllegalArgumentException naming the output and what is wrong with it
     */
    public static void check(Map<String, Object> output) {
        if (output.size() > MAX_OUTPUTS) {
            throw new IllegalArgumentException("default_output names " + output.size() + " outputs; at most "
                    + MAX_OUTPUTS);
        }
        int[] values = {0};
        for (Map.Entry<String, Object> e : output.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isBlank() || name.length() > MAX_TEXT) {
                throw new IllegalArgumentException("default_output: output names must be 1.." + MAX_TEXT
                        + " characters, got '" + name + "'");
            }
            value(name, e.getValue(), values);
        }
    }

    private static void value(String name, Object v, int[] values) {
        String at = "default_output." + name;
        switch (v) {
            case null -> throw new IllegalArgumentException(at + " has no value: give a number, string, boolean, "
                    + "list of numbers or object of numbers by label");
            case String s -> {
                if (s.length() > MAX_TEXT) {
                    throw new IllegalArgumentException(at + " is longer than " + MAX_TEXT + " characters");
                }
                count(at, values);
            }
            case Boolean b -> count(at, values);
            case Number n -> number(at, n, values);
            case List<?> list -> dimensions(at, list, 1, values);
            case Map<?, ?> map -> {
                if (map.isEmpty()) {
                    throw new IllegalArgumentException(at + " is an empty object; give numbers by label, e.g. "
                            + "{\"setosa\": 0.34, \"versicolor\": 0.33}");
                }
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String label) || label.isBlank() || label.length() > MAX_TEXT) {
                        throw new IllegalArgumentException(at + ": labels must be 1.." + MAX_TEXT + " characters");
                    }
                    if (!(e.getValue() instanceof Number n)) {
                        throw new IllegalArgumentException(at + "." + e.getKey() + " must be a number");
                    }
                    number(at + "." + label, n, values);
                }
            }
            default -> throw new IllegalArgumentException(at + " must be a number, string, boolean, list of numbers "
                    + "or object of numbers by label, got " + v.getClass().getSimpleName());
        }
    }

    /** A list of numbers, or of equally long lists, at most {@link #MAX_DEPTH} deep. */
    private static void dimensions(String at, List<?> list, int depth, int[] values) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(at + " nests lists deeper than " + MAX_DEPTH);
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException(at + " is an empty list");
        }
        if (list.getFirst() instanceof List<?> first) {
            for (Object item : list) {
                if (!(item instanceof List<?> inner) || inner.size() != first.size()) {
                    throw new IllegalArgumentException(at + " must be a list of equally long lists of numbers");
                }
                dimensions(at, inner, depth + 1, values);
            }
            return;
        }
        for (Object item : list) {
            if (!(item instanceof Number n)) {
                throw new IllegalArgumentException(at + " must hold numbers only, got "
                        + (item == null ? "null" : item.getClass().getSimpleName()));
            }
            number(at, n, values);
        }
    }

    private static void number(String at, Number n, int[] values) {
        if (!Double.isFinite(n.doubleValue())) {
            throw new IllegalArgumentException(at + " must be a finite number, got " + n);
        }
        count(at, values);
    }

    private static void count(String at, int[] values) {
        values[0]++;
        if (values[0] > MAX_VALUES) {
            throw new IllegalArgumentException("default_output holds more than " + MAX_VALUES + " values (at " + at
                    + ")");
        }
    }

    /** An unmodifiable deep copy, in the given order. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> copy(Map<String, Object> output) {
        Map<String, Object> out = new LinkedHashMap<>();
        output.forEach((k, v) -> out.put(k, copyValue(v)));
        return Collections.unmodifiableMap(out);
    }

    private static Object copyValue(Object v) {
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(item -> out.add(copyValue(item)));
            return Collections.unmodifiableList(out);
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, x) -> out.put((String) k, copyValue(x)));
            return Collections.unmodifiableMap(out);
        }
        return v;
    }
}
