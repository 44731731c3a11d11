package io.modelmesh.dataplane.http;

import io.modelmesh.dataplane.inference.InputBinding;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OipCodecTest {
    private static final InputBinding THREE = new InputBinding("input", 3, List.of("a", "b", "c"),
            Map.of("a", 0, "b", 1, "c", 2));

    private static FloatBatch parse(InputBinding binding, String body) {
        return OipCodec.parse(OipCodec.tree(body.getBytes(StandardCharsets.UTF_8)), binding, 100).batch();
    }

    private static String error(InputBinding binding, String body) {
        return assertThrows(InvalidInputException.class, () -> parse(binding, body)).getMessage();
    }

    @Test
    void oneTensorPerFeatureIsBoundByNameInAnyOrder() {
        FloatBatch b = parse(THREE, """
                {"inputs": [{"name": "c", "shape": [2], "datatype": "FP64", "data": [3, 6]},
                            {"name": "a", "shape": [2, 1], "datatype": "FP32", "data": [[1], [4]]},
                            {"name": "b", "shape": [2], "datatype": "INT64", "data": [2, 5]}]}""");
        assertEquals(2, b.rows());
        assertEquals(3, b.cols());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, b.values());
    }

    @Test
    void aMatrixStillWorksAndAOneFeatureModelTakesItsColumnByName() {
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, parse(THREE, """
                {"inputs": [{"name": "input", "shape": [2, 3], "datatype": "FP32", "data": [1, 2, 3, 4, 5, 6]}]}""")
                .values());
        InputBinding one = new InputBinding("input", 1, List.of("x"), Map.of("x", 0));
        FloatBatch b = parse(one, """
                {"inputs": [{"name": "x", "shape": [3], "datatype": "FP32", "data": [7, 8, 9]}]}""");
        assertEquals(3, b.rows(), "three rows of one feature, not one row of three");
        assertArrayEquals(new float[] {7, 8, 9}, b.values());
    }

    @Test
    void columnErrorsNameTheFeature() {
        String missing = error(THREE, """
                {"inputs": [{"name": "a", "shape": [1], "data": [1]}, {"name": "b", "shape": [1], "data": [2]}]}""");
        assertTrue(missing.contains("missing input(s) [c]"), missing);
        String rows = error(THREE, """
                {"inputs": [{"name": "a", "shape": [1], "data": [1]}, {"name": "b", "shape": [2], "data": [2, 3]},
                            {"name": "c", "shape": [1], "data": [4]}]}""");
        assertTrue(rows.contains("input 'b' has 2 rows but another input has 1"), rows);
        String twice = error(THREE, """
                {"inputs": [{"name": "a", "shape": [1], "data": [1]}, {"name": "a", "shape": [1], "data": [1]}]}""");
        assertTrue(twice.contains("'a' is given twice"), twice);
        String wide = error(THREE, """
                {"inputs": [{"name": "a", "shape": [1, 2], "data": [1, 2]}, {"name": "b", "shape": [1], "data": [2]}]}""");
        assertTrue(wide.contains("a feature takes one value per row"), wide);
        String unknown = error(THREE, """
                {"inputs": [{"name": "a", "shape": [1], "data": [1]}, {"name": "z", "shape": [1], "data": [2]}]}""");
        assertTrue(unknown.contains("unknown input 'z'; the model's features are [a, b, c]"), unknown);
    }
}
