package io.modelmesh.engine.pmml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.Framework;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.engine.InvalidModelException;
import io.modelmesh.engine.LoadedModel;
import io.modelmesh.engine.OutputTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PMML adapter on the diabetes regression fixture and its sklearn reference, and on hand-written documents. */
class PmmlEngineTest {
    private static final Path MODELS = Path.of("..", "fixtures", "models");
    private static final Path DIABETES = MODELS.resolve("diabetes_linear.pmml");
    private final PmmlEngine engine = new PmmlEngine();

    private static JsonNode reference() throws IOException {
        return new ObjectMapper().readTree(MODELS.resolve("diabetes_linear.reference.json").toFile());
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The reference inputs as one batch, columns in the given order. */
    private static FloatBatch batch(JsonNode ref, List<String> columns) {
        List<String> features = names(ref.get("features"));
        JsonNode inputs = ref.get("inputs");
        float[] values = new float[inputs.size() * columns.size()];
        for (int r = 0; r < inputs.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                values[r * columns.size() + c] = (float) inputs.get(r).get(features.indexOf(columns.get(c))).asDouble();
            }
        }
        return new FloatBatch(values, inputs.size(), columns.size());
    }

    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(expected - actual) <= 1e-5 * Math.max(1.0, Math.abs(expected)),
                what + ": expected " + expected + ", got " + actual);
    }

    @Test
    void schemaListsTheFieldsInDocumentOrderAndTheTarget() throws InvalidModelException {
        assertEquals(Framework.PMML, engine.framework());
        ModelSchema s = engine.inspect(DIABETES, List.of());
        List<String> expected = List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6");
        assertEquals(expected, s.features());
        assertEquals(expected.stream().map(n -> new TensorSpec(n, "FP64", List.of(-1L))).toList(), s.inputs());
        assertEquals(List.of(new TensorSpec("progression", "FP64", List.of(-1L))), s.outputs());
    }

    @Test
    void batchOfEightAndBatchOfOneGiveTheReferenceOutputs() throws Exception {
        JsonNode ref = reference();
        List<String> features = names(ref.get("features"));
        JsonNode expected = ref.get("outputs").get("progression");
        try (LoadedModel m = engine.load(DIABETES, List.of())) {
            assertEquals(10, m.rowWidth());
            FloatBatch all = batch(ref, features);
            OutputTensor out = m.predict(all).outputs().getFirst();
            assertEquals("progression", out.name());
            assertArrayEquals(new long[]{8}, out.shape());
            double[] values = (double[]) out.data();
            for (int r = 0; r < 8; r++) {
                assertClose(expected.get(r).asDouble(), values[r], "row " + r);
                float[] row = new float[10];
                System.arraycopy(all.values(), r * 10, row, 0, 10);
                double one = ((double[]) m.predict(new FloatBatch(row, 1, 10)).outputs().getFirst().data())[0];
                assertClose(expected.get(r).asDouble(), one, "single row " + r);
            }
        }
    }

    @Test
    void columnsAreBoundByNameSoReversingThemChangesTheAnswer() throws Exception {
        JsonNode ref = reference();
        List<String> reversed = new ArrayList<>(names(ref.get("features"))).reversed();
        try (LoadedModel m = engine.load(DIABETES, List.of())) {
            double[] wrong = (double[]) m.predict(batch(ref, reversed)).outputs().getFirst().data();
            double differing = 0;
            for (int r = 0; r < 8; r++) {
                differing += Math.abs(wrong[r] - ref.get("outputs").get("progression").get(r).asDouble());
            }
            assertTrue(differing > 1.0, "feeding the columns reversed should give other outputs");
        }
    }

    @Test
    void featureNamesReorderTheColumns() throws Exception {
        JsonNode ref = reference();
        List<String> reversed = new ArrayList<>(names(ref.get("features"))).reversed();
        try (LoadedModel m = engine.load(DIABETES, reversed)) {
            assertEquals(reversed, m.schema().features());
            assertEquals(reversed, m.schema().inputs().stream().map(TensorSpec::name).toList());
            double[] values = (double[]) m.predict(batch(ref, reversed)).outputs().getFirst().data();
            for (int r = 0; r < 8; r++) {
                assertClose(ref.get("outputs").get("progression").get(r).asDouble(), values[r], "row " + r);
            }
        }
    }

    @Test
    void featureNamesThatAreNotTheModelsFieldsAreRefused() {
        List<String> withUnknown = List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "height");
        String msg = assertThrows(InvalidModelException.class, () -> engine.load(DIABETES, withUnknown)).getMessage();
        assertTrue(msg.contains("not in the model [height]") && msg.contains("missing [s6]"), msg);
        String repeated = assertThrows(InvalidModelException.class,
                () -> engine.load(DIABETES, List.of("age", "age"))).getMessage();
        assertTrue(repeated.contains("repeat"), repeated);
    }

    @Test
    void wrongRowWidthIsAnInputError() throws InvalidModelException {
        try (LoadedModel m = engine.load(DIABETES, List.of())) {
            String msg = assertThrows(InvalidInputException.class, () -> m.predict(new FloatBatch(new float[9], 1, 9)))
                    .getMessage();
            assertTrue(msg.startsWith("rows have 9 values; the model takes 10: [age, sex"), msg);
        }
    }

    @Test
    void corruptAndForeignFilesAreRefusedWithTheReason() {
        for (String file : List.of("corrupt.pmml", "iris.onnx", "no-such-file.pmml")) {
            String msg = assertThrows(InvalidModelException.class, () -> engine.load(MODELS.resolve(file), List.of()),
                    file).getMessage();
            assertTrue(msg.startsWith("not a valid PMML document: "), msg);
            assertFalse(msg.contains("\tat "), msg);
        }
    }

    @Test
    void concurrentCallsShareTheEvaluator() throws Exception {
        JsonNode ref = reference();
        FloatBatch all = batch(ref, names(ref.get("features")));
        try (LoadedModel m = engine.load(DIABETES, List.of());
             ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        int r = (thread + i) % 8;
                        float[] row = new float[10];
                        System.arraycopy(all.values(), r * 10, row, 0, 10);
                        double got = ((double[]) m.predict(new FloatBatch(row, 1, 10)).outputs().getFirst().data())[0];
                        assertClose(ref.get("outputs").get("progression").get(r).asDouble(), got, "row " + r);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static Path write(Path dir, String body) throws IOException {
        Path file = dir.resolve("model.pmml");
        Files.writeString(file, "<?xml version=\"1.0\"?>\n"
                + "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">\n<Header/>\n" + body + "</PMML>\n");
        return file;
    }

    private static final String LOGISTIC = """
            <DataDictionary>
              <DataField name="count" optype="continuous" dataType="integer">
                <Interval closure="closedClosed" leftMargin="1" rightMargin="10"/>
              </DataField>
              <DataField name="flag" optype="categorical" dataType="boolean"/>
              <DataField name="y" optype="categorical" dataType="string">
                <Value value="no"/><Value value="yes"/>
              </DataField>
            </DataDictionary>
            <RegressionModel functionName="classification" normalizationMethod="logit">
              <MiningSchema>
                <MiningField name="y" usageType="target"/><MiningField name="flag"/><MiningField name="count"/>
              </MiningSchema>
              <RegressionTable intercept="-3" targetCategory="yes">
                <NumericPredictor name="count" coefficient="0.5"/>
                <CategoricalPredictor name="flag" value="true" coefficient="2"/>
              </RegressionTable>
              <RegressionTable intercept="0" targetCategory="no"/>
            </RegressionModel>
            """;

    @Test
    void classifiersReturnLabelsAndProbabilitiesInDeclaredClassOrder(@TempDir Path dir) throws Exception {
        try (LoadedModel m = engine.load(write(dir, LOGISTIC), List.of())) {
            ModelSchema s = m.schema();
            assertEquals(List.of("count", "flag"), s.features());
            assertEquals(List.of(new TensorSpec("count", "INT64", List.of(-1L)),
                    new TensorSpec("flag", "BOOL", List.of(-1L))), s.inputs());
            assertEquals(List.of(new TensorSpec("label", "BYTES", List.of(-1L)),
                    new TensorSpec("probabilities", "FP64", List.of(-1L, 2L), List.of("no", "yes"))), s.outputs());
            m.warmUp(); // 0 is outside count's interval; warm-up picks a valid row
            BatchResult r = m.predict(new FloatBatch(new float[]{2, 0, 10, 1}, 2, 2));
            assertArrayEquals(new String[]{"no", "yes"}, (String[]) r.outputs().get(0).data());
            double yes0 = 1 / (1 + Math.exp(-(-3 + 0.5 * 2)));
            double yes1 = 1 / (1 + Math.exp(-(-3 + 0.5 * 10 + 2)));
            assertArrayEquals(new double[]{1 - yes0, yes0, 1 - yes1, yes1}, (double[]) r.outputs().get(1).data(),
                    1e-12);
            assertArrayEquals(new long[]{2, 2}, r.outputs().get(1).shape());
        }
    }

    @Test
    void valuesOutsideAFieldsTypeOrDomainAreInputErrorsNamingTheFieldAndRow(@TempDir Path dir) throws Exception {
        try (LoadedModel m = engine.load(write(dir, LOGISTIC), List.of())) {
            String fraction = assertThrows(InvalidInputException.class,
                    () -> m.predict(new FloatBatch(new float[]{2, 0, 2.5f, 0}, 2, 2))).getMessage();
            assertTrue(fraction.startsWith("row 1: field 'count' (integer in [[1.0..10.0]]) cannot take 2.5"),
                    fraction);
            String range = assertThrows(InvalidInputException.class,
                    () -> m.predict(new FloatBatch(new float[]{11, 0}, 1, 2))).getMessage();
            assertTrue(range.startsWith("row 0: field 'count'") && range.contains("11.0"), range);
            String bool = assertThrows(InvalidInputException.class,
                    () -> m.predict(new FloatBatch(new float[]{2, 3}, 1, 2))).getMessage();
            assertTrue(bool.startsWith("row 0: field 'flag' (boolean) cannot take 3.0: not 0 or 1"), bool);
        }
    }

    @Test
    void stringFieldsOtherMiningFunctionsAndMissingTargetsAreRefused(@TempDir Path dir) throws IOException {
        String strings = assertThrows(InvalidModelException.class, () -> engine.load(write(dir, """
                <DataDictionary>
                  <DataField name="colour" optype="categorical" dataType="string"><Value value="red"/></DataField>
                  <DataField name="y" optype="continuous" dataType="double"/>
                </DataDictionary>
                <RegressionModel functionName="regression">
                  <MiningSchema><MiningField name="y" usageType="target"/><MiningField name="colour"/></MiningSchema>
                  <RegressionTable intercept="1">
                    <CategoricalPredictor name="colour" value="red" coefficient="1"/>
                  </RegressionTable>
                </RegressionModel>
                """), List.of())).getMessage();
        assertEquals("field 'colour' takes strings; ModelMesh feeds PMML models numeric features only "
                + "(double, float, integer, boolean)", strings);

        String clustering = assertThrows(InvalidModelException.class, () -> engine.load(write(dir, """
                <DataDictionary><DataField name="x" optype="continuous" dataType="double"/></DataDictionary>
                <ClusteringModel functionName="clustering" modelClass="centerBased" numberOfClusters="1">
                  <MiningSchema><MiningField name="x"/></MiningSchema>
                  <ComparisonMeasure kind="distance"><squaredEuclidean/></ComparisonMeasure>
                  <ClusteringField field="x"/>
                  <Cluster id="1"><Array n="1" type="real">0</Array></Cluster>
                </ClusteringModel>
                """), List.of())).getMessage();
        assertTrue(clustering.startsWith("the PMML model's mining function is clustering; ModelMesh serves PMML "
                + "classification and regression models"), clustering);

        String noTarget = assertThrows(InvalidModelException.class, () -> engine.load(write(dir, """
                <DataDictionary><DataField name="x" optype="continuous" dataType="double"/></DataDictionary>
                <RegressionModel functionName="regression">
                  <MiningSchema><MiningField name="x"/></MiningSchema>
                  <RegressionTable intercept="1"><NumericPredictor name="x" coefficient="2"/></RegressionTable>
                </RegressionModel>
                """), List.of())).getMessage();
        assertTrue(noTarget.startsWith("the PMML model declares no target field"), noTarget);
    }

    @Test
    void doctypesAreRefusedSoExternalEntitiesAreNeverFetched(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("xxe.pmml");
        Files.writeString(file, "<?xml version=\"1.0\"?>\n<!DOCTYPE PMML [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                + "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header description=\"&x;\"/></PMML>\n");
        String msg = assertThrows(InvalidModelException.class, () -> engine.load(file, List.of())).getMessage();
        assertTrue(msg.startsWith("not a valid PMML document: ") && msg.contains("DOCTYPE"), msg);
    }
}
