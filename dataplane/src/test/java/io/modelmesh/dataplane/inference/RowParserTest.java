package io.modelmesh.dataplane.inference;

import io.modelmesh.engine.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowParserTest {
    private static final InputBinding IRIS = new InputBinding("input", 4,
            List.of("sepal_length", "sepal_width", "petal_length", "petal_width"),
            Map.of("sepal_length", 0, "sepal_width", 1, "petal_length", 2, "petal_width", 3));
    private static final InputBinding UNNAMED = new InputBinding("input", 3, List.of(), Map.of());

    private static ParsedInput parse(String json, InputBinding b) {
        return RowParser.parse(json.getBytes(StandardCharsets.UTF_8), b, 100);
    }

    private static String rejected(String json, InputBinding b) {
        return assertThrows(InvalidInputException.class, () -> parse(json, b)).getMessage();
    }

    private static float[] values(ParsedInput p) {
        return java.util.Arrays.copyOf(p.batch().values(), p.batch().rows() * p.batch().cols());
    }

    @Test
    void flatRowIsOneRow() {
        ParsedInput p = parse("{\"inputs\": [5.1, 3.5, 1, 0.2]}", IRIS);
        assertTrue(p.single());
        assertEquals(1, p.batch().rows());
        assertArrayEquals(new float[]{5.1f, 3.5f, 1f, 0.2f}, values(p));
    }

    @Test
    void namedRowBindsByFeatureNameWhateverTheOrder() {
        ParsedInput p = parse("{\"inputs\": {\"petal_width\": 0.2, \"sepal_length\": 5.1, \"petal_length\": 1.4, "
                + "\"sepal_width\": 3.5}}", IRIS);
        assertTrue(p.single());
        assertArrayEquals(new float[]{5.1f, 3.5f, 1.4f, 0.2f}, values(p));
    }

    @Test
    void instancesMixArraysAndObjects() {
        ParsedInput p = parse("{\"instances\": [[1,2,3,4], {\"sepal_length\":5,\"sepal_width\":6,\"petal_length\":7,"
                + "\"petal_width\":8}], \"parameters\": {\"ignored\": [1, 2]}}", IRIS);
        assertFalse(p.single());
        assertEquals(2, p.batch().rows());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6, 7, 8}, values(p));
    }

    @Test
    void nestedInputsAreRows() {
        ParsedInput p = parse("{\"inputs\": [[1,2,3],[4,5,6]]}", UNNAMED);
        assertFalse(p.single());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, values(p));
    }

    @Test
    void unknownWidthIsSetByTheFirstRowAndEnforcedAfter() {
        InputBinding free = new InputBinding("input", -1, List.of(), Map.of());
        assertEquals(2, parse("{\"instances\": [[1,2],[3,4]]}", free).batch().cols());
        assertTrue(rejected("{\"instances\": [[1,2],[3,4,5]]}", free).contains("row 1 has 3 values"));
    }

    @Test
    void wrongRowLengthSaysWhatTheModelTakes() {
        String m = rejected("{\"inputs\": [1, 2, 3]}", IRIS);
        assertTrue(m.contains("row 0 has 3 values"), m);
        assertTrue(m.contains("sepal_length"), m);
    }

    @Test
    void nonNumericValuesNameTheirPlace() {
        assertTrue(rejected("{\"inputs\": [1, \"x\", 3]}", UNNAMED).contains("column 1: expected a number, got the string \"x\""));
        assertTrue(rejected("{\"inputs\": [1, null, 3]}", UNNAMED).contains("got null"));
        assertTrue(rejected("{\"inputs\": [1, true, 3]}", UNNAMED).contains("got a boolean"));
        assertTrue(rejected("{\"inputs\": {\"sepal_length\": \"big\"}}", IRIS).contains("feature 'sepal_length'"));
    }

    @Test
    void nanAndInfinityAreRejected() {
        assertTrue(rejected("{\"inputs\": [1, NaN, 3]}", UNNAMED).contains("NaN and Infinity are not valid"));
        assertTrue(rejected("{\"inputs\": [1, Infinity, 3]}", UNNAMED).contains("NaN and Infinity are not valid"));
        assertTrue(rejected("{\"inputs\": [1, -Infinity, 3]}", UNNAMED).contains("not valid"));
        assertTrue(rejected("{\"inputs\": [1, 1e39, 3]}", UNNAMED).contains("outside the float32 range"));
        assertTrue(rejected("{\"inputs\": [1, 1e400, 3]}", UNNAMED).contains("outside the float32 range"));
    }

    @Test
    void malformedJsonSaysWhere() {
        String m = rejected("{\"inputs\": [1, 2,", UNNAMED);
        assertTrue(m.startsWith("malformed JSON"), m);
        assertTrue(rejected("[1,2,3]", UNNAMED).contains("must be a JSON object"));
        assertTrue(rejected("", UNNAMED).contains("empty body"));
        assertTrue(rejected("{\"inputs\": [1,2,3]} trailing", UNNAMED).length() > 0);
    }

    @Test
    void namedFeatureErrors() {
        assertTrue(rejected("{\"inputs\": {\"sepal_length\": 1, \"colour\": 2}}", IRIS).contains("unknown feature 'colour'"));
        assertTrue(rejected("{\"inputs\": {\"sepal_length\": 1, \"sepal_width\": 2}}", IRIS)
                .contains("missing feature(s) [petal_length, petal_width]"));
        assertTrue(rejected("{\"inputs\": {\"sepal_length\": 1, \"sepal_length\": 2}}", IRIS).contains("appears twice"));
        assertTrue(rejected("{\"inputs\": {\"a\": 1}}", UNNAMED).contains("no feature names"));
    }

    @Test
    void structuralErrors() {
        assertTrue(rejected("{\"rows\": [1,2,3]}", UNNAMED).contains("needs \"inputs\""));
        assertTrue(rejected("{\"inputs\": [1,2,3], \"instances\": [[1,2,3]]}", UNNAMED).contains("not both"));
        assertTrue(rejected("{\"instances\": [1,2,3]}", UNNAMED).contains("row 0 must be a list"));
        assertTrue(rejected("{\"instances\": []}", UNNAMED).contains("no rows"));
        assertTrue(rejected("{\"inputs\": 3}", UNNAMED).contains("\"inputs\" must be"));
    }

    @Test
    void rowLimitIsEnforced() {
        String m = assertThrows(InvalidInputException.class, () -> RowParser.parse(
                "{\"instances\": [[1,2,3],[1,2,3],[1,2,3]]}".getBytes(StandardCharsets.UTF_8), UNNAMED, 2)).getMessage();
        assertTrue(m.contains("at most 2"), m);
    }
}
