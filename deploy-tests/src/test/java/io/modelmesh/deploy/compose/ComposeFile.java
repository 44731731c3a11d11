package io.modelmesh.deploy.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Compose file as the engines read it: YAML, then interpolation of {@code ${NAME}}, {@code ${NAME:-default}},
 * {@code ${NAME-default}} and {@code ${NAME:?message}} in every string from a given environment ({@code $$} is a
 * literal {@code $}), as the Compose Specification's "Interpolation" section describes.
 */
final class ComposeFile {
    static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern VARIABLE = Pattern.compile(
            "\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*)|(:?\\?)([^}]*))?}");

    private ComposeFile() {
    }

    /** The repository's top: the first parent of the working directory that holds compose.yaml. */
    static Path repository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("compose.yaml")) && Files.isDirectory(p.resolve("k8s"))) {
                return p;
            }
        }
        throw new IllegalStateException("no compose.yaml above " + Path.of("").toAbsolutePath());
    }

    static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code file} read and interpolated from {@code env} (variables not in it take their defaults). */
    static JsonNode interpolated(Path file, Map<String, String> env) {
        return interpolate(read(file), env, file.getFileName().toString());
    }

    static JsonNode interpolate(JsonNode node, Map<String, String> env, String where) {
        if (node.isTextual()) {
            return TextNode.valueOf(interpolate(node.asText(), env, where));
        }
        if (node.isArray()) {
            ArrayNode out = YAML.createArrayNode();
            node.forEach(x -> out.add(interpolate(x, env, where)));
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = YAML.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), interpolate(e.getValue(), env, where + "." + e.getKey()));
            }
            return out;
        }
        return node;
    }

    static String interpolate(String text, Map<String, String> env, String where) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else {
                String value = env.get(m.group(1));
                boolean unsetOrEmpty = value == null || value.isEmpty();
                if (m.group(2) != null) {
                    boolean useDefault = m.group(2).equals(":-") ? unsetOrEmpty : value == null;
                    replacement = useDefault ? m.group(3) : value;
                } else if (m.group(4) != null) {
                    if (m.group(4).equals(":?") ? unsetOrEmpty : value == null) {
                        throw new IllegalArgumentException(where + ": " + m.group(1) + " is required: " + m.group(5));
                    }
                    replacement = value;
                } else {
                    replacement = value == null ? "" : value;
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The strings of a node that is a list of strings (or one string), e.g. {@code command} or {@code tmpfs}. */
    static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(x -> out.add(x.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }
}
