package io.modelmesh.controlplane.manifest;

import io.modelmesh.api.Durations;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmesh.api.ErrorDetail;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Typed reads of one YAML document's fields that collect every problem with its line instead of stopping at the first
 * (pure). Each read returns null when the field is absent or wrong; {@link #reported} tells the two apart.
 */
final class Fields {
    private final YamlDocument doc;
    private final List<ErrorDetail> problems = new ArrayList<>();

    Fields(YamlDocument doc) {
        this.doc = doc;
    }

    List<ErrorDetail> problems() {
        return List.copyOf(problems);
    }

    /** Records a problem at {@code path}'s line (or its closest written parent's, for an absent field). */
    void problem(String path, String message) {
        problems.add(doc.detail(path, message));
    }

    /** Whether a problem was recorded at {@code path} or inside it. */
    boolean reported(String path) {
        return problems.stream().map(ErrorDetail::field).anyMatch(f -> f != null && (f.equals(path)
                || f.startsWith(path + ".") || f.startsWith(path + "[")));
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The mapping {@code node} (at {@code path}) after reporting keys other than {@code allowed}; null if absent. */
    ObjectNode mapping(JsonNode node, String path, List<String> allowed) {
        if (node == null) {
            return null;
        }
        if (node.isNull()) {
            nothing(path);
            return null;
        }
        if (!node.isObject()) {
            problem(path, "expected a mapping (with " + String.join(", ", allowed) + "), got " + describe(node));
            return null;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                Optional<String> near = Suggestions.closest(name, allowed);
                problem(child(path, name), "unknown field" + near.map(n -> "; did you mean " + n + "?").orElse("")
                        + " (allowed here: " + String.join(", ", allowed) + ")");
            }
        }
        return (ObjectNode) node;
    }

    /** A string field. */
    String text(ObjectNode parent, String path, String key) {
        JsonNode v = value(parent, path, key);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            problem(child(path, key), "expected a string, got " + describe(v));
            return null;
        }
        return v.textValue();
    }

    /** A version string such as 1.2.0 (a number like 1.0 is reported with the advice to write three parts). */
    String version(ObjectNode parent, String path, String key) {
        JsonNode v = value(parent, path, key);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            problem(child(path, key), "expected a version such as 1.0.0, got " + describe(v)
                    + (v.isNumber() ? " (a number: write all three parts, e.g. 1.0.0)" : ""));
            return null;
        }
        return v.textValue().strip();
    }

    /** A boolean field (true or false). */
    Boolean bool(ObjectNode parent, String path, String key) {
        JsonNode v = value(parent, path, key);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            problem(child(path, key), "expected true or false, got " + describe(v));
            return null;
        }
        return v.booleanValue();
    }

    /** A whole number that fits an int. */
    Integer whole(ObjectNode parent, String path, String key) {
        return whole(value(parent, path, key), child(path, key));
    }

    Integer whole(JsonNode v, String path) {
        if (v == null) {
            return null;
        }
        if (v.isNull()) {
            nothing(path);
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            problem(path, "expected a whole number, got " + describe(v));
            return null;
        }
        return v.intValue();
    }

    /** A whole number within {@code min..max}. */
    Integer whole(ObjectNode parent, String path, String key, int min, int max, String meaning) {
        Integer n = whole(parent, path, key);
        if (n != null && (n < min || n > max)) {
            problem(child(path, key), "must be " + min + ".." + max + " (" + meaning + "), got " + n);
            return null;
        }
        return n;
    }

    /** Any number. */
    Double number(ObjectNode parent, String path, String key) {
        JsonNode v = value(parent, path, key);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            problem(child(path, key), "expected a number, got " + describe(v));
            return null;
        }
        return v.doubleValue();
    }

    /**
     * A duration field in milliseconds: a plain number is seconds (clamped so the product cannot overflow;
     * negatives become -1 s for the range checks to refuse), text goes through the one duration grammar; empty for
     * anything else.
     */
    private static Optional<Long> durationMillis(JsonNode v) {
        if (v.isIntegralNumber()) {
            long seconds = v.canConvertToLong() ? Math.min(Math.max(v.longValue(), -1), Long.MAX_VALUE / 1000)
                    : Long.MAX_VALUE / 1000;
            return Optional.of(seconds * 1000);
        }
        return v.isTextual() ? Durations.millis(v.textValue()) : Optional.empty();
    }

    /** A duration of whole seconds within {@code 1..maxSeconds}: {@code 30s}, {@code 5m}, {@code 1h} or plain seconds. */
    Integer seconds(ObjectNode parent, String path, String key, long maxSeconds) {
        JsonNode v = value(parent, path, key);
        String at = child(path, key);
        if (v == null) {
            return null;
        }
        Optional<Long> ms = durationMillis(v);
        if (ms.isEmpty()) {
            problem(at, "expected a duration such as 30s, 5m, 1h or a number of seconds, got " + describe(v));
            return null;
        }
        long millis = ms.get();
        if (millis % 1000 != 0 || millis < 1000) {
            problem(at, "must be whole seconds, at least 1 (e.g. 30s or 1m), got " + describe(v));
            return null;
        }
        if (millis / 1000 > maxSeconds) {
            problem(at, "must be at most " + Durations.format(maxSeconds) + ", got " + describe(v));
            return null;
        }
        return (int) (millis / 1000);
    }

    /**
     * A duration of at least 1 ms and at most {@code maxMillis}: {@code 500ms}, {@code 2s}, {@code 1m} or plain
     * seconds, in milliseconds.
     */
    Integer millis(ObjectNode parent, String path, String key, long maxMillis) {
        JsonNode v = value(parent, path, key);
        String at = child(path, key);
        if (v == null) {
            return null;
        }
        Optional<Long> ms = durationMillis(v);
        if (ms.isEmpty()) {
            problem(at, "expected a duration such as 500ms, 2s, 1m or a number of seconds, got " + describe(v));
            return null;
        }
        long millis = ms.get();
        if (millis < 1 || millis > maxMillis) {
            problem(at, "must be 1ms.." + Durations.formatMillis(maxMillis) + ", got " + describe(v));
            return null;
        }
        return (int) millis;
    }

    /** A list field; null (reported) when the value is not a list. */
    List<JsonNode> list(ObjectNode parent, String path, String key, String example) {
        JsonNode v = value(parent, path, key);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            problem(child(path, key), "expected a list such as " + example + ", got " + describe(v));
            return null;
        }
        List<JsonNode> items = new ArrayList<>();
        v.forEach(items::add);
        return items;
    }

    /** The field's value; an explicit null ({@code percent:} with nothing after it) is reported and read as absent. */
    private JsonNode value(ObjectNode parent, String path, String key) {
        if (parent == null) {
            return null;
        }
        JsonNode v = parent.get(key);
        if (v != null && v.isNull()) {
            nothing(child(path, key));
            return null;
        }
        return v;
    }

    /** Reports a field written without a value. */
    void nothing(String path) {
        problem(path, "has no value: write one, or leave the field out");
    }

    /** How a value is named in a message: strings quoted, numbers as written, collections by kind. */
    static String describe(JsonNode v) {
        if (v == null || v.isNull()) {
            return "nothing";
        }
        if (v.isTextual()) {
            return "\"" + v.textValue() + "\"";
        }
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        return v.asText();
    }
}
