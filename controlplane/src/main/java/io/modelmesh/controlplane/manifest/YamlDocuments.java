package io.modelmesh.controlplane.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.modelmesh.api.ErrorDetail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a YAML file into its documents ({@code ---}) with the streaming parser, keeping the line and column of every
 * field so validation can point at them (pure: text in, documents or the syntax error out).
 */
public final class YamlDocuments {
    private static final YAMLFactory YAML = YAMLFactory.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private YamlDocuments() {
    }

    /** The documents of a file, or the syntax error that stopped the parser. */
    public sealed interface Parsed permits Documents, SyntaxError {
    }

    /** Every non-empty document, in file order. */
    public record Documents(List<YamlDocument> documents) implements Parsed {
        public Documents {
            documents = List.copyOf(documents);
        }
    }

    /** The file is not valid YAML: where the parser stopped and why. */
    public record SyntaxError(ErrorDetail detail) implements Parsed {
    }

    public static Parsed parse(String file, String content) {
        List<YamlDocument> documents = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(content)) {
            while (parser.nextToken() != null) {
                Builder b = new Builder(parser);
                Position start = b.position(parser.currentTokenLocation());
                JsonNode tree = b.value("");
                if (!isEmpty(tree)) {
                    documents.add(new YamlDocument(file, tree, start, b.positions, b.duplicates));
                }
            }
        } catch (JsonProcessingException e) {
            java.util.Optional<YamlIndentation.Mistake> mistake = YamlIndentation.firstMistake(content);
            if (mistake.isPresent()) { // the parser's own words point past the mistake and do not say what it is
                YamlIndentation.Mistake m = mistake.get();
                return new SyntaxError(new ErrorDetail(file, m.line(), m.column(), null,
                        "not valid YAML: " + m.message()));
            }
            JsonLocation at = e.getLocation();
            Integer line = at == null || at.getLineNr() < 1 ? null : at.getLineNr();
            Integer column = at == null || at.getColumnNr() < 1 ? null : at.getColumnNr();
            return new SyntaxError(new ErrorDetail(file, line, column, null,
                    "not valid YAML: " + firstLine(e.getOriginalMessage())));
        } catch (IOException e) {
            return new SyntaxError(new ErrorDetail(file, null, null, null, "cannot read the file: " + e.getMessage()));
        }
        return new Documents(documents);
    }

    /** An empty document (a trailing {@code ---}, only comments) reads as null or an empty scalar: skipped. */
    private static boolean isEmpty(JsonNode tree) {
        return tree.isNull() || tree.isTextual() && tree.textValue().isEmpty();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        String m = message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    /** Builds one document's tree from the parser's tokens, recording positions on the way. */
    private static final class Builder {
        private final JsonParser parser;
        private final Map<String, Position> positions = new HashMap<>();
        private final List<String> duplicates = new ArrayList<>();

        Builder(JsonParser parser) {
            this.parser = parser;
        }

        Position position(JsonLocation at) {
            return new Position(Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()));
        }

        /** The value at the current token (which starts it). */
        JsonNode value(String path) throws IOException {
            JsonToken t = parser.currentToken();
            return switch (t) {
                case START_OBJECT -> object(path);
                case START_ARRAY -> array(path);
                case VALUE_STRING -> NODES.textNode(parser.getText());
                case VALUE_NUMBER_INT -> integer();
                case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
                case VALUE_TRUE -> NODES.booleanNode(true);
                case VALUE_FALSE -> NODES.booleanNode(false);
                case VALUE_EMBEDDED_OBJECT -> NODES.textNode(parser.getText());
                default -> NODES.nullNode();
            };
        }

        private JsonNode integer() throws IOException {
            return switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
        }

        private ObjectNode object(String path) throws IOException {
            ObjectNode o = NODES.objectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                String child = path.isEmpty() ? name : path + "." + name;
                Position at = position(parser.currentTokenLocation());
                if (o.has(name)) {
                    duplicates.add(child);
                }
                positions.put(child, at);
                parser.nextToken();
                o.set(name, value(child));
            }
            return o;
        }

        private ArrayNode array(String path) throws IOException {
            ArrayNode a = NODES.arrayNode();
            int i = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                String child = path + "[" + i++ + "]";
                positions.put(child, position(parser.currentTokenLocation()));
                a.add(value(child));
            }
            return a;
        }
    }
}
