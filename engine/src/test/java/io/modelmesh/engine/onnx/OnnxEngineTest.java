package io.modelmesh.engine.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.EngineConfig;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.engine.InvalidModelException;
import io.modelmesh.engine.LoadedModel;
import io.modelmesh.engine.OutputTensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ONNX adapter on the committed fixture and its torch reference outputs. */
class OnnxEngineTest {
    private static final Path MODELS = Path.of("..", "fixtures", "models");
    private final OnnxEngine engine = new OnnxEngine(EngineConfig.defaults());

    @Test
    void schemaComesFromTheModel() throws InvalidModelException {
        ModelSchema s = engine.inspect(MODELS.resolve("iris.onnx"), List.of("a", "b", "c", "d"));
        assertEquals(List.of(new TensorSpec("input", "FP32", List.of(-1L, 4L))), s.inputs());
        assertEquals(List.of("logits", "probabilities"), s.outputs().stream().map(TensorSpec::name).toList());
        assertEquals(List.of(-1L, 3L), s.outputs().getFirst().shape());
        assertEquals(List.of("a", "b", "c", "d"), s.features());
    }

    @Test
    void batchOfOneAndBatchOfEightGiveTheReferenceOutputs() throws Exception {
        JsonNode ref = new ObjectMapper().readTree(MODELS.resolve("iris.reference.json").toFile());
        JsonNode inputs = ref.get("inputs");
        try (LoadedModel m = engine.load(MODELS.resolve("iris.onnx"), List.of())) {
            assertEquals(4, m.rowWidth());
            float[] all = new float[inputs.size() * 4];
            for (int r = 0; r < inputs.size(); r++) {
                float[] row = new float[4];
                for (int c = 0; c < 4; c++) {
                    row[c] = (float) inputs.get(r).get(c).asDouble();
                    all[r * 4 + c] = row[c];
                }
                BatchResult one = m.predict(new FloatBatch(row, 1, 4));
                assertOutputs(ref, one, r, 1);
            }
            BatchResult batch = m.predict(new FloatBatch(all, inputs.size(), 4));
            for (int r = 0; r < inputs.size(); r++) {
                assertOutputs(ref, batch, r, inputs.size());
            }
        }
    }

    @Test
    void concurrentSingleRowCallsEachGetTheirOwnAnswer() throws Exception {
        JsonNode ref = new ObjectMapper().readTree(MODELS.resolve("iris.reference.json").toFile());
        int rows = ref.get("inputs").size();
        try (LoadedModel m = engine.load(MODELS.resolve("iris.onnx"), List.of());
             var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    int checked = 0;
                    for (int i = 0; i < 2000; i++) {
                        int r = (thread + i) % rows; // neighbours ask for different rows at the same moment
                        float[] row = new float[4];
                        for (int c = 0; c < 4; c++) {
                            row[c] = (float) ref.get("inputs").get(r).get(c).asDouble();
                        }
                        assertOutputs(ref, m.predict(new FloatBatch(row, 1, 4)), r, 1);
                        checked++;
                    }
                    return checked;
                }));
            }
            for (var f : done) {
                assertEquals(2000, f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        }
    }

    private static void assertOutputs(JsonNode ref, BatchResult result, int refRow, int rows) {
        int row = rows == 1 ? 0 : refRow;
        for (OutputTensor t : result.outputs()) {
            assertArrayEquals(new long[]{rows, 3}, t.shape());
            float[] data = (float[]) t.data();
            for (int c = 0; c < 3; c++) {
                assertEquals(ref.get("outputs").get(t.name()).get(refRow).get(c).asDouble(), data[row * 3 + c], 1e-5,
                        t.name() + " row " + refRow);
            }
        }
    }

    @Test
    void wrongRowWidthIsAnInputError() throws InvalidModelException {
        try (LoadedModel m = engine.load(MODELS.resolve("iris.onnx"), List.of())) {
            String msg = assertThrows(InvalidInputException.class, () -> m.predict(new FloatBatch(new float[3], 1, 3)))
                    .getMessage();
            assertTrue(msg.contains("needs 4 values"), msg);
        }
    }

    @Test
    void corruptFilesAndMismatchedFeaturesAreRefusedWithTheReason() throws IOException {
        String corrupt = assertThrows(InvalidModelException.class,
                () -> engine.load(MODELS.resolve("corrupt.onnx"), List.of())).getMessage();
        assertTrue(corrupt.startsWith("not a valid ONNX model"), corrupt);
        String features = assertThrows(InvalidModelException.class,
                () -> engine.load(MODELS.resolve("iris.onnx"), List.of("only", "three", "names"))).getMessage();
        assertTrue(features.contains("3 feature names were given but") && features.contains("takes 4"), features);
        String missing = assertThrows(InvalidModelException.class,
                () -> engine.load(MODELS.resolve("no-such-file.onnx"), List.of())).getMessage();
        assertTrue(missing.startsWith("not a valid ONNX model"), missing);
    }
}
