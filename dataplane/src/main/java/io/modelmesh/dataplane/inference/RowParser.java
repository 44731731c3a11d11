package io.modelmesh.dataplane.inference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InvalidInputException;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Reads predict bodies straight into a flat float array with Jackson's streaming parser (no tree, no boxing):
 * <ul>
 *   <li>{@code {"inputs": [5.1, 3.5, 1.4, 0.2]}} — one row;</li>
 *   <li>{@code {"inputs": {"sepal_length": 5.1, ...}}} — one row bound by feature name;</li>
 *   <li>{@code {"instances": [[...], {...}, ...]}} or {@code {"inputs": [[...], ...]}} — several rows.</li>
 * </ul>
 * Every rejection says where the problem is and what the model expects.
 */
public final class RowParser {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxNumberLength(64).build())
            .build();

    private RowParser() {
    }

    public static ParsedInput parse(byte[] body, InputBinding binding, int maxRows) {
        if (body.length == 0) {
            throw new InvalidInputException("empty body: send {\"inputs\": [" + binding.describe() + "]}");
        }
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException("the body must be a JSON object like {\"inputs\": [...]}");
            }
            ParsedInput result = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if ("inputs".equals(field) || "instances".equals(field)) {
                    if (result != null) {
                        throw new InvalidInputException("send either \"inputs\" or \"instances\", not both");
                    }
                    result = new Reader(p, binding, maxRows).read("instances".equals(field));
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new InvalidInputException("unexpected content after the JSON object");
            }
            if (result == null) {
                throw new InvalidInputException("the body needs \"inputs\" (one row: [" + binding.describe()
                        + "]) or \"instances\" (a list of rows)");
            }
            return result;
        } catch (JsonParseException e) {
            throw new InvalidInputException("malformed JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"
                    + (e.getOriginalMessage().contains("NaN") || e.getOriginalMessage().contains("Infinity")
                    ? "; NaN and Infinity are not valid inputs: send finite numbers" : ""));
        } catch (IOException e) {
            throw new InvalidInputException("unreadable body: " + e.getMessage());
        }
    }

    /** State of one parse: the growing value array and the row count. */
    private static final class Reader {
        private final JsonParser p;
        private final InputBinding binding;
        private final int maxRows;
        private int width;
        private float[] values;
        private int rows;

        Reader(JsonParser p, InputBinding binding, int maxRows) {
            this.p = p;
            this.binding = binding;
            this.maxRows = maxRows;
            this.width = binding.rowWidth();
            this.values = new float[Math.max(width, 4)];
        }

        ParsedInput read(boolean instances) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_OBJECT && !instances) {
                readNamedRow();
                return done(true);
            }
            if (t != JsonToken.START_ARRAY) {
                throw new InvalidInputException(instances
                        ? "\"instances\" must be a list of rows, e.g. [[" + binding.describe() + "], ...]"
                        : "\"inputs\" must be a row [" + binding.describe() + "], an object of feature values, or a list of rows");
            }
            JsonToken first = p.nextToken();
            boolean flatRow = first != JsonToken.START_ARRAY && first != JsonToken.START_OBJECT
                    && first != JsonToken.END_ARRAY;
            if (!instances && flatRow) {
                readArrayRowFrom(first);
                return done(true);
            }
            for (JsonToken row = first; row != JsonToken.END_ARRAY; row = p.nextToken()) {
                if (row == JsonToken.START_ARRAY) {
                    readArrayRowFrom(p.nextToken());
                } else if (row == JsonToken.START_OBJECT) {
                    readNamedRow();
                } else {
                    throw new InvalidInputException("row " + rows + " must be a list of numbers or an object of "
                            + "feature values, got " + describe(row));
                }
            }
            if (rows == 0) {
                throw new InvalidInputException("no rows: send at least one row of " + binding.describe());
            }
            return done(false);
        }

        private ParsedInput done(boolean single) {
            return new ParsedInput(new FloatBatch(values, rows, width), single);
        }

        /** Reads numbers until END_ARRAY; {@code t} is the first token after START_ARRAY. */
        private void readArrayRowFrom(JsonToken t) throws IOException {
            int start = beginRow();
            int n = 0;
            for (; t != JsonToken.END_ARRAY; t = p.nextToken()) {
                ensure(start + n + 1);
                values[start + n] = number(t, n, null);
                n++;
            }
            endRow(n);
        }

        private void readNamedRow() throws IOException {
            if (binding.features().isEmpty()) {
                throw new InvalidInputException("this version has no feature names, so rows must be lists of "
                        + (width > 0 ? width + " " : "") + "numbers (or register it with --features a,b,...)");
            }
            int start = beginRow();
            ensure(start + width);
            boolean[] seen = new boolean[width];
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                Integer col = binding.columns().get(name);
                if (col == null) {
                    throw new InvalidInputException("row " + rows + ": unknown feature '" + name + "'; expected "
                            + binding.features());
                }
                if (seen[col]) {
                    throw new InvalidInputException("row " + rows + ": feature '" + name + "' appears twice");
                }
                seen[col] = true;
                values[start + col] = number(p.nextToken(), col, name);
            }
            for (int i = 0; i < width; i++) {
                if (!seen[i]) {
                    List<String> missing = new java.util.ArrayList<>();
                    for (int j = 0; j < width; j++) {
                        if (!seen[j]) {
                            missing.add(binding.features().get(j));
                        }
                    }
                    throw new InvalidInputException("row " + rows + ": missing feature(s) " + missing);
                }
            }
            endRow(width);
        }

        private int beginRow() {
            if (rows >= maxRows) {
                throw new InvalidInputException("too many rows: at most " + maxRows + " per request");
            }
            return width > 0 ? rows * width : 0;
        }

        private void endRow(int n) {
            if (width <= 0) {
                if (n == 0) {
                    throw new InvalidInputException("row 0 is empty");
                }
                width = n; // the model does not fix the width: the first row does
            } else if (n != width) {
                throw new InvalidInputException("row " + rows + " has " + n + " values; the model takes "
                        + binding.describe());
            }
            rows++;
        }

        private float number(JsonToken t, int col, String feature) throws IOException {
            String where = "row " + rows + (feature != null ? ", feature '" + feature + "'" : ", column " + col);
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new InvalidInputException(where + ": expected a number, got " + describe(t));
            }
            double d = p.getDoubleValue();
            if (!Double.isFinite(d) || Math.abs(d) > Float.MAX_VALUE) {
                throw new InvalidInputException(where + ": " + p.getText() + " is outside the float32 range the "
                        + "model takes (about +/-3.4e38)");
            }
            return (float) d;
        }

        private void ensure(int n) {
            if (n > values.length) {
                values = Arrays.copyOf(values, Math.max(n, values.length * 2));
            }
        }

        private String describe(JsonToken t) throws IOException {
            return switch (t) {
                case VALUE_STRING -> "the string \"" + abbreviate(p.getText()) + "\"";
                case VALUE_NULL -> "null";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case START_ARRAY -> "a nested list";
                case START_OBJECT -> "an object";
                default -> t.asString() == null ? t.name() : t.asString();
            };
        }

        private static String abbreviate(String s) {
            return s.length() > 40 ? s.substring(0, 40) + "..." : s;
        }
    }
}
