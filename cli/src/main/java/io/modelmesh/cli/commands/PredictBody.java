package io.modelmesh.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmesh.api.Json;
import io.modelmesh.cli.CliException;

/**
 * Turns what a person types after {@code --input} into a data-plane request body. Pure: no I/O.
 * <ul>
 * <li>{@code {"inputs": ...}} or {@code {"instances": ...}}: sent exactly as given.</li>
 * <li>a bare row {@code [5.1,3.5,1.4,0.2]}: {@code {"inputs": [5.1,3.5,1.4,0.2]}}.</li>
 * <li>a bare feature map {@code {"sepal_length": 5.1, ...}}: {@code {"inputs": {...}}}.</li>
 * <li>with --batch, rows {@code [[...],[...]]}: {@code {"instances": [[...],[...]]}}; a single bare row becomes one
 * instance.</li>
 * </ul>
 */
public final class PredictBody {
    private static final ObjectMapper JSON = Json.mapper();

    private PredictBody() {
    }

    /** @throws CliException (exit 2) when the text is not JSON or not a shape the data plane takes */
    public static String of(String text, boolean batch) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage().replaceAll("(?s)\\s*\\(start marker at .*$", "")
                    .replaceAll("(?s)\\s*at \\[Source.*$", "");
            String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            throw CliException.invalidInput("input is not valid JSON" + where + ": " + why
                    + " (expected e.g. [5.1,3.5,1.4,0.2] or {\"inputs\": {\"feature\": 1.0}})");
        }
        if (node == null || node.isMissingNode()) {
            throw CliException.invalidInput("input is empty (expected e.g. [5.1,3.5,1.4,0.2])");
        }
        if (node.isObject()) {
            if (node.has("inputs") || node.has("instances")) {
                return text.strip();
            }
            if (batch) {
                throw CliException.invalidInput("with --batch give rows: [[...], [...]] or {\"instances\": [[...], ...]}");
            }
            return wrap("inputs", node);
        }
        if (node.isArray()) {
            return batch ? wrap("instances", rows((ArrayNode) node)) : wrap("inputs", node);
        }
        throw CliException.invalidInput("input must be a JSON array or object, not " + node.getNodeType().name()
                .toLowerCase(java.util.Locale.ROOT) + " (expected e.g. [5.1,3.5,1.4,0.2])");
    }

    private static ArrayNode rows(ArrayNode array) {
        int nested = 0;
        for (JsonNode e : array) {
            if (e.isArray() || e.isObject()) {
                nested++;
            }
        }
        if (nested == array.size() && nested > 0) {
            return array;
        }
        if (nested == 0) {
            return JSON.createArrayNode().add(array);
        }
        throw CliException.invalidInput("with --batch every element must be a row (array), e.g. [[5.1,3.5,1.4,0.2], "
                + "[6.2,2.9,4.3,1.3]]");
    }

    private static String wrap(String field, JsonNode value) {
        ObjectNode body = JSON.createObjectNode();
        body.set(field, value);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
