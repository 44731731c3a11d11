package io.modelmesh.controlplane.drift;

import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.server.errors.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CSV with a header or JSON rows, in the version's column order; every problem a 400 that says what to fix. */
class ReferenceParserTest {
    static final List<String> IRIS = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

    static String csv(String header, int rows) {
        StringBuilder sb = new StringBuilder(header).append("\r\n");
        for (int i = 0; i < rows; i++) {
            sb.append("setosa,").append(i).append(".5,").append(i).append(",\"").append(i * 2).append("\",0.25\n");
        }
        return sb.toString();
    }

    static List<float[]> parse(String text, String filename) {
        return ReferenceParser.parse(text.getBytes(StandardCharsets.UTF_8), filename, IRIS);
    }

    static String message(String text, String filename) {
        return assertThrows(InvalidInputException.class, () -> parse(text, filename)).getMessage();
    }

    @Test
    void csvColumnsAreTakenByNameInTheVersionsOrderAndOthersIgnored() {
        List<float[]> rows = parse(csv("species,sepal_width,petal_width,petal_length,sepal_length", 520), "d.csv");
        assertEquals(520, rows.size());
        // header order: sepal_width=i.5, petal_width=i, petal_length=2i, sepal_length=0.25
        assertArrayEquals(new float[]{0.25f, 7.5f, 14f, 7f}, rows.get(7));
    }

    @Test
    void jsonArraysObjectsAndInputsAreRows() {
        StringBuilder arrays = new StringBuilder("[");
        StringBuilder objects = new StringBuilder("{\"features\": [\"ignored\"], \"inputs\": [");
        for (int i = 0; i < 500; i++) {
            arrays.append(i == 0 ? "" : ",").append("[").append(i).append(", 2, 3.5, -4e-1]");
            objects.append(i == 0 ? "" : ",").append("{\"petal_width\": ").append(i)
                    .append(", \"sepal_length\": 1, \"sepal_width\": 2, \"petal_length\": 3, \"id\": [1, {}]}");
        }
        List<float[]> a = parse(arrays.append("]").toString(), null);
        assertArrayEquals(new float[]{499f, 2f, 3.5f, -0.4f}, a.get(499));
        List<float[]> o = parse(objects.append("]}").toString(), "ref.json");
        assertArrayEquals(new float[]{1f, 2f, 3f, 42f}, o.get(42));
    }

    @Test
    void problemsNameTheLineOrRowAndTheFix() {
        assertTrue(message(csv("species,sepal_width,petal_width,petal_length", 520), "d.csv")
                .contains("lacks the feature(s) [sepal_length]"));
        assertTrue(message(csv("species,sepal_width,petal_width,petal_length,sepal_length", 520)
                .replace("3.5,3,\"6\"", "3.5,x,\"6\""), "d.csv")
                .contains("line 5, column petal_width: 'x' is not a number"));
        assertTrue(message(csv("species,sepal_width,petal_width,petal_length,sepal_length", 520)
                .replace("3.5,3,\"6\"", "3.5,NaN,\"6\""), "d.csv").contains("not a finite number"));
        assertTrue(message(csv("species,sepal_width,petal_width,petal_length,sepal_length", 520) + "1,2\n", "d.csv")
                .contains("has 2 fields, the header 5"));
        assertTrue(message(csv("species,sepal_width,petal_width,petal_length,sepal_length", 499), "d.csv")
                .contains("499 rows; a reference needs at least 500"));
        assertTrue(message("", "d.csv").contains("the CSV is empty"));
        assertTrue(message("[[1, 2, 3]]", null).contains("row 1 has 3 values, the version 4"));
        assertTrue(message("[[1, 2, 3, \"4\"]]", null).contains("row 1, value 4 is '4', not a number"));
        assertTrue(message("[{\"sepal_length\": 1}]", null).contains("row 1 lacks the feature 'sepal_width'"));
        assertTrue(message("[[1, 2, 3, 4], ", null).contains("malformed JSON"));
        assertTrue(message("{\"rows\": []}", "r.json").contains("no 'inputs'"));
        assertTrue(message("\"x\"", "r.json").contains("expected a JSON array of rows"));
        assertTrue(message("a,b\n1,1\n1,1", "d.csv").startsWith("reference: "));
    }

    @Test
    void sizesAreBoundedWhileReading() {
        String big = csv("species,sepal_width,petal_width,petal_length,sepal_length", ReferenceParser.MAX_ROWS + 1);
        assertTrue(message(big, "d.csv").contains("more than 50000 rows"));
    }

    @Test
    void driftColumnsAreTheFeaturesOrTheInputsColumnNumbers() {
        TensorSpec in = new TensorSpec("input", "FP32", List.of(-1L, 4L));
        assertEquals(IRIS, DriftColumns.of(new ModelSchema(List.of(in), List.of(), IRIS)));
        assertEquals(List.of("0", "1", "2", "3"), DriftColumns.of(new ModelSchema(List.of(in), List.of(), null)));
        assertEquals(List.of(), DriftColumns.of(new ModelSchema(List.of(new TensorSpec("img", "FP32",
                List.of(-1L, 3L, 224L, 224L))), List.of(), null)), "too wide to follow per value");
        assertEquals(List.of(), DriftColumns.of(new ModelSchema(List.of(new TensorSpec("x", "FP32",
                List.of(-1L, -1L))), List.of(), null)), "width unknown");
        assertEquals(List.of(), DriftColumns.of(null));
    }
}
