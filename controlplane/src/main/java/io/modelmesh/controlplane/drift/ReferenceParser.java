package io.modelmesh.controlplane.drift;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.modelmesh.api.DriftPolicy;
import io.modelmesh.server.errors.InvalidInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a drift reference given at registration (the {@code reference} part of {@code POST /models}) into rows in the
 * version's column order (pure; the bytes are already bounded by the form reader). Two formats:
 * <ul>
 *   <li>CSV with a header naming every feature (other columns, a label for instance, are ignored), one row per line,
 *       numbers only; fields may be double-quoted;</li>
 *   <li>JSON: an array of rows, each an array of the version's width or an object keyed by feature (other keys
 *       ignored), or an object holding such an array under {@code inputs} or {@code instances}.</li>
 * </ul>
 * A file named {@code *.json} is JSON, {@code *.csv} CSV; otherwise a body starting with {@code [} or {@code {} is
 * JSON. Every problem is a 400 saying what to fix: a missing feature, a row of another width, a value that is not a
 * finite number (with its line), too few or too many rows.
 */
public final class ReferenceParser {
    /** Fewest rows a reference may have: as few as the smallest drift window (see {@link DriftPolicy#MIN_WINDOW}). */
    public static final int MIN_ROWS = DriftPolicy.MIN_WINDOW;
    public static final int MAX_ROWS = 50_000;
    /** Values (rows × columns) a reference may hold: 4 MB of floats in memory. */
    public static final int MAX_VALUES = 1_000_000;
    private static final JsonFactory JSON = new JsonFactory();

    private ReferenceParser() {
    }

    /**
     * @param bytes    the file's content
     * @param filename its name (for the format), or null
     * @param columns  the version's drift columns ({@link DriftColumns}); not empty
     * @return rows, each {@code columns.size()} wide
     */
    public static List<float[]> parse(byte[] bytes, String filename, List<String> columns) {
        String name = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
        boolean json = name.endsWith(".json") || !name.endsWith(".csv") && startsLikeJson(bytes);
        List<float[]> rows = json ? json(bytes, columns) : csv(bytes, columns);
        if (rows.size() < MIN_ROWS) {
            throw invalid("it has " + rows.size() + " rows; a reference needs at least " + MIN_ROWS
                    + " (the drift window's rows from training or validation data)");
        }
        return rows;
    }

    private static boolean startsLikeJson(byte[] bytes) {
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return b == '[' || b == '{';
            }
        }
        return false;
    }

    static InvalidInputException invalid(String why) {
        return new InvalidInputException("reference: " + why);
    }

    // ---- CSV ----------------------------------------------------------------------------------------------------

    private static List<float[]> csv(byte[] bytes, List<String> columns) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n", -1);
        int lineNo = 0;
        String[] header = null;
        while (lineNo < lines.length && header == null) {
            String line = lines[lineNo++];
            if (!line.isBlank()) {
                header = fields(line);
            }
        }
        if (header == null) {
            throw invalid("the CSV is empty; send a header naming the features, then one row per line");
        }
        int[] at = positions(header, columns, lineNo);
        List<float[]> rows = new ArrayList<>();
        for (; lineNo < lines.length; lineNo++) {
            String line = lines[lineNo];
            if (line.isBlank()) {
                continue;
            }
            String[] fields = fields(line);
            if (fields.length != header.length) {
                throw invalid("line " + (lineNo + 1) + " has " + fields.length + " fields, the header "
                        + header.length);
            }
            float[] row = new float[columns.size()];
            for (int c = 0; c < at.length; c++) {
                row[c] = number(fields[at[c]], "line " + (lineNo + 1) + ", column " + columns.get(c));
            }
            add(rows, row);
        }
        return rows;
    }

    /** Where each feature is in the header. */
    private static int[] positions(String[] header, List<String> columns, int lineNo) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            if (index.put(header[i], i) != null) {
                throw invalid("the header (line " + lineNo + ") names '" + header[i] + "' twice");
            }
        }
        List<String> missing = new ArrayList<>();
        int[] at = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            Integer i = index.get(columns.get(c));
            if (i == null) {
                missing.add(columns.get(c));
            } else {
                at[c] = i;
            }
        }
        if (!missing.isEmpty()) {
            throw invalid("the CSV header " + List.of(header) + " lacks the feature(s) " + missing
                    + "; it must name every feature of the version " + columns);
        }
        return at;
    }

    private static String[] fields(String line) {
        String[] raw = line.split(",", -1);
        String[] out = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            String f = raw[i].trim();
            if (f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")) {
                f = f.substring(1, f.length() - 1).trim();
            }
            out[i] = f;
        }
        return out;
    }

    private static float number(String text, String where) {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw invalid(where + ": '" + cut(text) + "' is not a number");
        }
        float f = (float) v;
        if (!Float.isFinite(f)) {
            throw invalid(where + ": " + cut(text) + " is not a finite number");
        }
        return f;
    }

    private static void add(List<float[]> rows, float[] row) {
        if (rows.size() >= MAX_ROWS || (long) (rows.size() + 1) * row.length > MAX_VALUES) {
            throw invalid("more than " + Math.min(MAX_ROWS, MAX_VALUES / row.length) + " rows of " + row.length
                    + " values; send a sample (at most " + MAX_ROWS + " rows and " + MAX_VALUES + " values)");
        }
        rows.add(row);
    }

    private static String cut(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    // ---- JSON ---------------------------------------------------------------------------------------------------

    private static List<float[]> json(byte[] bytes, List<String> columns) {
        try (JsonParser p = JSON.createParser(bytes)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                t = null;
                for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    if ((field.equals("inputs") || field.equals("instances")) && v == JsonToken.START_ARRAY) {
                        return rows(p, columns);
                    }
                    p.skipChildren();
                }
                throw invalid("the JSON object has no 'inputs' (or 'instances') array of rows");
            }
            if (t != JsonToken.START_ARRAY) {
                throw invalid("expected a JSON array of rows, e.g. [[5.1, 3.5, 1.4, 0.2], ...] or "
                        + "[{\"" + columns.getFirst() + "\": 5.1, ...}, ...]");
            }
            return rows(p, columns);
        } catch (JsonParseException e) {
            throw invalid("malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("cannot read the JSON: " + e.getMessage());
        }
    }

    /** The rows of an array whose START_ARRAY was just read. */
    private static List<float[]> rows(JsonParser p, List<String> columns) throws IOException {
        List<float[]> rows = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < columns.size(); c++) {
            index.put(columns.get(c), c);
        }
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            String where = "row " + (rows.size() + 1);
            float[] row = switch (t) {
                case START_ARRAY -> array(p, columns.size(), where);
                case START_OBJECT -> object(p, index, columns, where);
                default -> throw invalid(where + " is " + p.getText() + ", not an array or an object");
            };
            add(rows, row);
        }
        return rows;
    }

    private static float[] array(JsonParser p, int width, String where) throws IOException {
        float[] row = new float[width];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (n >= width) {
                throw invalid(where + " has more than the version's " + width + " values");
            }
            row[n++] = value(p, t, where + ", value " + n);
        }
        if (n != width) {
            throw invalid(where + " has " + n + " values, the version " + width);
        }
        return row;
    }

    private static float[] object(JsonParser p, Map<String, Integer> index, List<String> columns, String where)
            throws IOException {
        float[] row = new float[columns.size()];
        boolean[] seen = new boolean[columns.size()];
        for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
            Integer c = index.get(p.currentName());
            JsonToken v = p.nextToken();
            if (c == null) {
                p.skipChildren();
                continue;
            }
            row[c] = value(p, v, where + ", " + columns.get(c));
            seen[c] = true;
        }
        for (int c = 0; c < seen.length; c++) {
            if (!seen[c]) {
                throw invalid(where + " lacks the feature '" + columns.get(c) + "'");
            }
        }
        return row;
    }

    private static float value(JsonParser p, JsonToken t, String where) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
                p.skipChildren();
            }
            throw invalid(where + " is " + (t == JsonToken.VALUE_STRING ? "'" + cut(p.getText()) + "'"
                    : t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT ? "nested" : p.getText())
                    + ", not a number");
        }
        float f = (float) p.getDoubleValue();
        if (!Float.isFinite(f)) {
            throw invalid(where + " is not a finite number");
        }
        return f;
    }
}
