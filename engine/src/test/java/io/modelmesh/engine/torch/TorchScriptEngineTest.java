package io.modelmesh.engine.torch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.EngineConfig;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InferenceException;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.engine.InvalidModelException;
import io.modelmesh.engine.LoadedModel;
import io.modelmesh.engine.OutputTensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TorchScript adapter on the committed iris.pt (same weights and reference as iris.onnx) and variants of it. */
class TorchScriptEngineTest {
    private static final Path MODELS = Path.of("..", "fixtures", "models");
    private static final Path IRIS = MODELS.resolve("iris.pt");
    private static final List<String> FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

    private static JsonNode ref;
    private static int refRows;
    private final TorchScriptEngine engine = new TorchScriptEngine(EngineConfig.defaults());

    @TempDir
    Path tmp;

    @BeforeAll
    static void readReference() throws IOException {
        ref = new ObjectMapper().readTree(MODELS.resolve("iris.reference.json").toFile());
        refRows = ref.get("inputs").size();
    }

    @Test
    void schemaComesFromTheProbeCall() throws InvalidModelException {
        ModelSchema s = engine.inspect(IRIS, FEATURES);
        assertEquals(List.of(new TensorSpec("input", "FP32", List.of(-1L, 4L))), s.inputs());
        assertEquals(List.of(new TensorSpec("logits", "FP32", List.of(-1L, 3L)),
                new TensorSpec("probabilities", "FP32", List.of(-1L, 3L))), s.outputs());
        assertEquals(FEATURES, s.features());
    }

    @Test
    void withoutFeaturesTheWidthIsTheFirstLinearLayersInputSize() throws InvalidModelException {
        try (LoadedModel m = engine.load(IRIS, List.of())) {
            assertEquals(4, m.rowWidth());
            assertEquals(List.of(-1L, 4L), m.schema().inputs().getFirst().shape());
            assertEquals(List.of(), m.schema().features());
        }
    }

    @Test
    void batchOfEightAndRowByRowGiveTheReferenceOutputs() throws InvalidModelException {
        try (LoadedModel m = engine.load(IRIS, FEATURES)) {
            BatchResult batch = m.predict(rows(0, refRows));
            assertEquals(List.of("logits", "probabilities"), batch.outputs().stream().map(OutputTensor::name).toList());
            assertReference(batch, 0, refRows, "logits", "probabilities");
            for (int r = 0; r < refRows; r++) {
                assertReference(m.predict(rows(r, 1)), r, 1, "logits", "probabilities");
            }
        }
    }

    @Test
    void concurrentCallsEachGetTheirOwnAnswer() throws Exception {
        int threads = 8;
        int calls = 1500;
        try (LoadedModel m = engine.load(IRIS, List.of());
             ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < calls; i++) {
                        int first = (thread + i) % refRows; // neighbours ask for different rows at the same moment
                        int n = 1 + (thread + i) % Math.min(3, refRows - first);
                        assertReference(m.predict(rows(first, n)), first, n, "logits", "probabilities");
                    }
                    return calls;
                }));
            }
            for (Future<Integer> f : done) {
                assertEquals(calls, f.get(120, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void wrongRowWidthIsAnInputError() throws InvalidModelException {
        try (LoadedModel m = engine.load(IRIS, List.of())) {
            String msg = assertThrows(InvalidInputException.class, () -> m.predict(new FloatBatch(new float[6], 2, 3)))
                    .getMessage();
            assertEquals("rows have 3 values; the model takes 4", msg);
        }
    }

    @Test
    void featureNamesTheModuleCannotTakeAreRefusedWithTorchsReason() {
        String msg = assertThrows(InvalidModelException.class,
                () -> engine.load(IRIS, List.of("only", "three", "names"))).getMessage();
        assertTrue(msg.startsWith("the TorchScript module fails on rows of 3 values"), msg);
        assertTrue(msg.contains("RuntimeError: mat1 and mat2 shapes cannot be multiplied"), msg);
        assertFalse(msg.contains("\n"), msg);
    }

    @Test
    void filesThatAreNotTorchScriptAreRefusedWithTheReason() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.pt"));
        for (Path p : List.of(MODELS.resolve("corrupt.pt"), MODELS.resolve("iris.onnx"), empty,
                tmp.resolve("no-such-file.pt"))) {
            String msg = assertThrows(InvalidModelException.class, () -> engine.load(p, List.of())).getMessage();
            assertTrue(msg.startsWith("not a TorchScript module (torch.jit.save output): "), msg);
            assertFalse(msg.contains("\n"), msg);
        }
    }

    @Test
    void aClosedModelRefusesCallsCleanly() throws InvalidModelException {
        LoadedModel m = engine.load(IRIS, List.of());
        m.warmUp();
        m.close();
        assertThrows(IllegalStateException.class, () -> m.predict(rows(0, 1)));
        m.close();
    }

    @Test
    void closingWhileCallsRunWaitsForThemAndRefusesTheRest() throws Exception {
        LoadedModel m = engine.load(IRIS, List.of());
        int threads = 4;
        CountDownLatch running = new CountDownLatch(threads);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    int calls = 0;
                    try {
                        while (true) {
                            int r = (thread + calls) % refRows;
                            assertReference(m.predict(rows(r, 1)), r, 1, "logits", "probabilities");
                            if (++calls == 50) {
                                running.countDown();
                            }
                        }
                    } catch (IllegalStateException closed) {
                        return calls;
                    }
                }));
            }
            assertTrue(running.await(60, TimeUnit.SECONDS));
            m.close();
            for (Future<Integer> f : done) {
                assertTrue(f.get(60, TimeUnit.SECONDS) >= 50);
            }
        }
    }

    @Test
    void dictOutputsKeepTheModulesKeyOrder() throws Exception {
        Path reversed = TorchScriptVariants.write(IRIS, tmp, "reversed.pt", "Dict[str, Tensor]",
                "logits = (self.net).forward(x, )",
                "return {\"probabilities\": torch.softmax(logits, 1), \"logits\": logits}");
        try (LoadedModel m = engine.load(reversed, List.of())) {
            assertEquals(List.of("probabilities", "logits"), m.schema().outputs().stream().map(TensorSpec::name).toList());
            BatchResult r = m.predict(rows(0, refRows));
            assertEquals(List.of("probabilities", "logits"), r.outputs().stream().map(OutputTensor::name).toList());
            assertReference(r, 0, refRows, "probabilities", "logits");
        }
    }

    @Test
    void tuplesListsAndSingleTensorsAreNamedByPosition() throws Exception {
        Path tuple = TorchScriptVariants.write(IRIS, tmp, "tuple.pt", "Tuple[Tensor, Tensor]",
                "logits = (self.net).forward(x, )", "return (logits, torch.argmax(logits, 1))");
        try (LoadedModel m = engine.load(tuple, List.of())) {
            assertEquals(List.of(new TensorSpec("output_0", "FP32", List.of(-1L, 3L)),
                    new TensorSpec("output_1", "INT64", List.of(-1L))), m.schema().outputs());
            OutputTensor classes = m.predict(rows(0, refRows)).outputs().get(1);
            assertArrayEquals(new long[]{refRows}, classes.shape());
            long[] argmax = (long[]) classes.data();
            for (int r = 0; r < refRows; r++) {
                assertEquals(argmax(ref.get("outputs").get("logits").get(r)), argmax[r], "row " + r);
            }
        }
        Path list = TorchScriptVariants.write(IRIS, tmp, "list.pt", "List[Tensor]",
                "logits = (self.net).forward(x, )", "return [logits, torch.softmax(logits, 1)]");
        try (LoadedModel m = engine.load(list, List.of())) {
            assertReference(m.predict(rows(2, 3)), 2, 3, "output_0", "output_1");
        }
        Path single = TorchScriptVariants.write(IRIS, tmp, "single.pt", "Tensor", "return (self.net).forward(x, )");
        try (LoadedModel m = engine.load(single, List.of())) {
            assertEquals(List.of(new TensorSpec("output", "FP32", List.of(-1L, 3L))), m.schema().outputs());
            assertReference(m.predict(rows(0, refRows)), 0, refRows, "output");
        }
    }

    @Test
    void outputsThatDoNotFollowTheBatchOrHaveUnservedTypesAreRefused() throws Exception {
        Path total = TorchScriptVariants.write(IRIS, tmp, "total.pt", "Tensor",
                "return torch.sum((self.net).forward(x, ), 0)");
        String msg = assertThrows(InvalidModelException.class, () -> engine.load(total, List.of())).getMessage();
        assertTrue(msg.contains("output 'output' has shape [3] for a batch of 2 rows"), msg);
        Path half = TorchScriptVariants.write(IRIS, tmp, "half.pt", "Tensor", "return (self.net).forward(x, ).half()");
        msg = assertThrows(InvalidModelException.class, () -> engine.load(half, List.of())).getMessage();
        assertTrue(msg.startsWith("output 'output' is a float16 tensor"), msg);
        Path nested = TorchScriptVariants.write(IRIS, tmp, "nested.pt", "Tuple[Tensor, List[Tensor]]",
                "logits = (self.net).forward(x, )", "return (logits, [logits])");
        msg = assertThrows(InvalidModelException.class, () -> engine.load(nested, List.of())).getMessage();
        assertTrue(msg.startsWith("the module's forward returns (Tensor, Tensor[])"), msg);
    }

    @Test
    void aWidthTheParametersDoNotRevealNeedsFeatures() throws Exception {
        Path extra = TorchScriptVariants.write(IRIS, tmp, "extra-column.pt", "Tensor",
                "return (self.net).forward(torch.narrow(x, 1, 1, 4), )");
        String msg = assertThrows(InvalidModelException.class, () -> engine.load(extra, List.of())).getMessage();
        assertTrue(msg.startsWith("cannot tell the input width of this TorchScript module; register it with --features "
                + "naming its input columns (rows of 4 values, the input size of parameter 'net.0.weight', fail: "), msg);
        try (LoadedModel m = engine.load(extra, List.of("id", "a", "b", "c", "d"))) {
            assertEquals(5, m.rowWidth());
            float[] row = new float[5];
            for (int c = 0; c < 4; c++) {
                row[c + 1] = (float) ref.get("inputs").get(1).get(c).asDouble();
            }
            assertReference(m.predict(new FloatBatch(row, 1, 5)), 1, 1, "output");
        }
    }

    @Test
    void errorsRaisedInForwardAreInferenceErrorsAndTheModelKeepsServing() throws Exception {
        Path guarded = TorchScriptVariants.write(IRIS, tmp, "guarded.pt", "Tensor",
                "if bool(torch.gt(torch.sum(x), 1000.)):",
                "  ops.prim.RaiseException(\"input too large\", \"builtins.ValueError\")",
                "else:",
                "  pass",
                "return (self.net).forward(x, )");
        try (LoadedModel m = engine.load(guarded, List.of())) {
            String msg = assertThrows(InferenceException.class,
                    () -> m.predict(new FloatBatch(new float[]{1e6f, 0, 0, 0}, 1, 4))).getMessage();
            assertEquals("PyTorch failed: builtins.ValueError: input too large", msg);
            assertReference(m.predict(rows(3, 2)), 3, 2, "output");
        }
    }

    /** Reference rows [first, first + n) as one batch. */
    private static FloatBatch rows(int first, int n) {
        float[] values = new float[n * 4];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < 4; c++) {
                values[r * 4 + c] = (float) ref.get("inputs").get(first + r).get(c).asDouble();
            }
        }
        return new FloatBatch(values, n, 4);
    }

    /** Checks outputs named after the reference's logits and probabilities for reference rows [first, first + n). */
    private static void assertReference(BatchResult result, int first, int n, String... names) {
        assertEquals(names.length, result.outputs().size());
        for (int i = 0; i < names.length; i++) {
            OutputTensor t = result.outputs().get(i);
            assertEquals(names[i], t.name());
            assertArrayEquals(new long[]{n, 3}, t.shape());
            String refName = t.name().equals("probabilities") || t.name().equals("output_1") ? "probabilities" : "logits";
            float[] data = (float[]) t.data();
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(ref.get("outputs").get(refName).get(first + r).get(c).asDouble(), data[r * 3 + c], 1e-5,
                            t.name() + " row " + (first + r));
                }
            }
        }
    }

    private static long argmax(JsonNode row) {
        int best = 0;
        for (int c = 1; c < row.size(); c++) {
            if (row.get(c).asDouble() > row.get(best).asDouble()) {
                best = c;
            }
        }
        return best;
    }
}
