package io.modelmesh.sklearn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InvalidModelException;
import io.modelmesh.engine.LoadedModel;
import io.modelmesh.engine.pmml.PmmlEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The converter on the committed scikit-learn fixtures (served with the PMML engine against the sklearn references),
 * on real joblib output embedded below, and on hostile and malformed pickles.
 */
class SklearnConverterTest {
    private static final Path MODELS = Path.of("..", "fixtures", "models");
    private static final Path EVIL_MARKER = Path.of("/tmp/modelmesh-evil-pickle-ran");
    private static final List<String> IRIS = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");
    private static final List<String> CLASSES = List.of("setosa", "versicolor", "virginica");

    private final SklearnConverter converter = new SklearnConverter();
    private final PmmlEngine engine = new PmmlEngine();

    @TempDir
    Path dir;

    private static JsonNode reference(String model) throws IOException {
        return new ObjectMapper().readTree(MODELS.resolve(model + ".reference.json").toFile());
    }

    private static FloatBatch inputs(JsonNode ref) {
        JsonNode rows = ref.get("inputs");
        int width = rows.get(0).size();
        float[] values = new float[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < width; c++) {
                values[r * width + c] = (float) rows.get(r).get(c).asDouble();
            }
        }
        return new FloatBatch(values, rows.size(), width);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Labels equal the reference exactly and probabilities within 1e-5, in the reference's class order. */
    private static void assertReference(JsonNode ref, BatchResult result) {
        JsonNode expected = ref.get("outputs");
        assertEquals(List.of("label", "probabilities"), result.outputs().stream().map(o -> o.name()).toList());
        assertArrayEquals(texts(expected.get("label")).toArray(String[]::new),
                (String[]) result.outputs().get(0).data());
        double[] p = (double[]) result.outputs().get(1).data();
        int classes = ref.get("classes").size();
        for (int r = 0; r < expected.get("label").size(); r++) {
            for (int c = 0; c < classes; c++) {
                assertEquals(expected.get("probabilities").get(r).get(c).asDouble(), p[r * classes + c], 1e-5,
                        "row " + r + " class " + c);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"iris_rf.pkl", "iris_rf.joblib", "iris_logreg.pkl", "iris_logreg.joblib"})
    void convertedFixturesServeTheScikitLearnPredictions(String file) throws Exception {
        String model = file.substring(0, file.indexOf('.'));
        JsonNode ref = reference(model);
        Conversion conversion = converter.convert(MODELS.resolve(file), List.of(), dir.resolve(model + ".pmml"));
        assertEquals(dir.resolve(model + ".pmml"), conversion.pmml());
        assertEquals("jpmml-sklearn 1.9.0", conversion.converter());
        assertEquals(model.equals("iris_rf") ? "sklearn.ensemble._forest.RandomForestClassifier"
                : "sklearn.linear_model._logistic.LogisticRegression", conversion.estimator());
        try (LoadedModel m = engine.load(conversion.pmml(), List.of())) {
            ModelSchema schema = m.schema();
            assertEquals(texts(ref.get("features")), schema.features()); // iris_rf: feature_names_in_; logreg: x1..x4
            assertEquals(model.equals("iris_rf") ? IRIS : List.of("x1", "x2", "x3", "x4"), schema.features());
            assertEquals(List.of(new TensorSpec("label", "BYTES", List.of(-1L)),
                    new TensorSpec("probabilities", "FP64", List.of(-1L, 3L), CLASSES)), schema.outputs());
            assertEquals(texts(ref.get("classes")), schema.outputs().get(1).labels());
            assertReference(ref, m.predict(inputs(ref)));
        }
    }

    /**
     * Estimators whose pickles hold scikit-learn helper objects the guard lets through as inert data
     * ({@link InertSklearnTypes}): an adam MLP (AdamOptimizer) and multiclass histogram gradient boosting
     * (CyHalfMultinomialLoss, Interval).
     */
    @ParameterizedTest
    @CsvSource({"iris_mlp.joblib, sklearn.neural_network._multilayer_perceptron.MLPClassifier",
            "iris_hgb.pkl, sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier"})
    void classifiersHoldingInertHelperObjectsServeTheScikitLearnPredictions(String file, String estimator)
            throws Exception {
        String model = file.substring(0, file.indexOf('.'));
        JsonNode ref = reference(model);
        Conversion conversion = converter.convert(MODELS.resolve(file), List.of(), dir.resolve(model + ".pmml"));
        assertEquals(estimator, conversion.estimator());
        try (LoadedModel m = engine.load(conversion.pmml(), List.of())) {
            assertEquals(texts(ref.get("features")), m.schema().features());
            assertEquals(model.equals("iris_hgb") ? IRIS : List.of("x1", "x2", "x3", "x4"), m.schema().features());
            assertEquals(List.of(new TensorSpec("label", "BYTES", List.of(-1L)),
                    new TensorSpec("probabilities", "FP64", List.of(-1L, 3L), CLASSES)), m.schema().outputs());
            assertReference(ref, m.predict(inputs(ref)));
        }
    }

    /** KNeighborsClassifier keeps a KDTree and its EuclideanDistance; jpmml's nearest-neighbour model votes a label. */
    @Test
    void nearestNeighboursServeTheScikitLearnLabels() throws Exception {
        JsonNode ref = reference("iris_knn");
        Conversion conversion = converter.convert(MODELS.resolve("iris_knn.joblib"), List.of(),
                dir.resolve("knn.pmml"));
        assertEquals("sklearn.neighbors._classification.KNeighborsClassifier", conversion.estimator());
        try (LoadedModel m = engine.load(conversion.pmml(), List.of())) {
            assertEquals(texts(ref.get("features")), m.schema().features());
            // jpmml-sklearn encodes the vote without a probability distribution, so only the label is served
            assertEquals(List.of(new TensorSpec("label", "BYTES", List.of(-1L))), m.schema().outputs());
            BatchResult r = m.predict(inputs(ref));
            assertArrayEquals(texts(ref.get("outputs").get("label")).toArray(String[]::new),
                    (String[]) r.outputs().getFirst().data());
        }
    }

    /** HistGradientBoostingRegressor keeps HalfSquaredError (CyHalfSquaredError, IdentityLink, Interval). */
    @Test
    void histogramGradientBoostingRegressionServesTheScikitLearnPredictions() throws Exception {
        JsonNode ref = reference("diabetes_hgb");
        Conversion conversion = converter.convert(MODELS.resolve("diabetes_hgb.joblib"), List.of(),
                dir.resolve("hgb.pmml"));
        assertEquals("sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingRegressor",
                conversion.estimator());
        try (LoadedModel m = engine.load(conversion.pmml(), List.of())) {
            assertEquals(List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"),
                    m.schema().features());
            assertEquals(texts(ref.get("features")), m.schema().features());
            // the served output is named after jpmml's target field, y, as the reference's only output is
            assertEquals(List.of(new TensorSpec("y", "FP64", List.of(-1L))), m.schema().outputs());
            JsonNode expected = ref.get("outputs").get("y");
            assertEquals(1, ref.get("outputs").size());
            double[] y = (double[]) m.predict(inputs(ref)).outputs().getFirst().data();
            assertEquals(expected.size(), y.length);
            for (int r = 0; r < y.length; r++) {
                double v = expected.get(r).asDouble();
                assertEquals(v, y[r], 1e-5 * Math.max(1, Math.abs(v)), "row " + r);
            }
        }
    }

    @Test
    void inertHelperClassesAreReadAsDataNotAsEstimators() throws IOException {
        // an optimizer on its own passes the guard (it is data) but is no estimator
        byte[] pickle = PickleBuilder.protocol(4)
                .stackGlobal("sklearn.neural_network._stochastic_optimizers", "AdamOptimizer").emptyTuple().newObj()
                .emptyDict().str("learning_rate_init").integer(1).setItem().build()
                .stop();
        assertEquals("the pickle holds a sklearn.neural_network._stochastic_optimizers.AdamOptimizer, not a "
                + "scikit-learn estimator or pipeline ModelMesh can convert",
                assertThrows(InvalidModelException.class, () -> convert(pickle)).getMessage());
        // razorvine's fallback for them takes no arguments: a pickle that calls one is unreadable, and runs nothing
        byte[] called = PickleBuilder.protocol(4)
                .stackGlobal("sklearn._loss.link", "Interval").str("touch " + EVIL_MARKER).op(0x85).reduce()
                .stop();
        String msg = assertThrows(InvalidModelException.class, () -> convert(called)).getMessage();
        assertTrue(msg.startsWith("not a readable pickle/joblib file: expected zero arguments"), msg);
    }

    @Test
    void theInertHelperListMatchesExactNamesNotPrefixes() throws IOException {
        byte[] pickle = PickleBuilder.protocol(4).emptyList()
                .stackGlobal("sklearn.neighbors._kd_tree", "KDTree").append() // listed: passes
                .stackGlobal("sklearn.neighbors._kd_tree", "KDTree2").append()
                .stackGlobal("sklearn.neighbors._kd_tree", "kdtree").append()
                .stackGlobal("sklearn.neighbors._kd_tree.KDTree", "__reduce__").append()
                .stackGlobal("sklearn.neighbors", "_kd_tree").append()
                .global("sklearn.utils._testing", "something_not_allowed").append()
                .stackGlobal("sklearn.externals", "foo").append()
                // helpers whose state changes the prediction jpmml would encode stay refused
                .stackGlobal("sklearn._loss.link", "LogLink").append()
                .stackGlobal("sklearn._loss._loss", "CyHalfPoissonLoss").append()
                .stackGlobal("sklearn.metrics._dist_metrics", "MinkowskiDistance").append()
                .stop();
        String msg = assertThrows(InvalidModelException.class, () -> convert(pickle)).getMessage();
        assertEquals("the pickle references sklearn.neighbors._kd_tree.KDTree2, sklearn.neighbors._kd_tree.kdtree, "
                + "sklearn.neighbors._kd_tree.KDTree.__reduce__, sklearn.neighbors._kd_tree, "
                + "sklearn.utils._testing.something_not_allowed, sklearn.externals.foo, sklearn._loss.link.LogLink, "
                + "sklearn._loss._loss.CyHalfPoissonLoss and sklearn.metrics._dist_metrics.MinkowskiDistance, which "
                + "are not scikit-learn classes ModelMesh can convert; pickles are never executed — export the model "
                + "with a supported estimator", msg);
    }

    @Test
    void theInertHelperListNamesOnlyScikitLearnClasses() {
        assertFalse(InertSklearnTypes.names().isEmpty());
        for (String name : InertSklearnTypes.names()) {
            assertTrue(name.matches("sklearn(\\.[A-Za-z_][A-Za-z0-9_]*)+\\.[A-Z][A-Za-z0-9]*"), name);
        }
    }

    @Test
    void converterVersionNamesTheLibraryThatWroteThePmml() {
        assertEquals("jpmml-sklearn 1.9.0", SklearnConverter.converterVersion());
    }

    @Test
    void featureNamesNameTheFieldsInColumnOrder() throws Exception {
        JsonNode ref = reference("iris_logreg");
        List<String> names = List.of("sl", "sw", "pl", "pw");
        Path pmml = converter.convert(MODELS.resolve("iris_logreg.pkl"), names, dir.resolve("m.pmml")).pmml();
        try (LoadedModel m = engine.load(pmml, List.of())) {
            assertEquals(names, m.schema().features());
            assertReference(ref, m.predict(inputs(ref)));
        }
        try (LoadedModel m = engine.load(pmml, names)) {
            assertEquals(names, m.schema().features());
        }
    }

    @Test
    void aFeatureCountOtherThanTheEstimatorsIsRefusedNamingBoth() {
        String msg = assertThrows(InvalidModelException.class, () -> converter.convert(MODELS.resolve("iris_rf.joblib"),
                List.of("a", "b", "c"), dir.resolve("m.pmml"))).getMessage();
        assertEquals("3 feature names were given but the sklearn.ensemble._forest.RandomForestClassifier takes 4 "
                + "features (n_features_in_)", msg);
        String repeated = assertThrows(InvalidModelException.class, () -> converter.convert(
                MODELS.resolve("iris_rf.joblib"), List.of("a", "b", "a", "d"), dir.resolve("m.pmml"))).getMessage();
        assertTrue(repeated.startsWith("feature names must be distinct"), repeated);
        assertFalse(Files.exists(dir.resolve("m.pmml")));
    }

    @Test
    void theEvilPickleIsRefusedWithoutRunningIt() throws Exception {
        Files.deleteIfExists(EVIL_MARKER);
        Path out = dir.resolve("evil.pmml");
        String msg = assertThrows(InvalidModelException.class,
                () -> converter.convert(MODELS.resolve("evil.pkl"), List.of(), out)).getMessage();
        assertEquals("the pickle references posix.system, which is not a scikit-learn class ModelMesh can convert; "
                + "pickles are never executed — export the model with a supported estimator", msg);
        assertFalse(Files.exists(EVIL_MARKER), "the pickle's os.system call must never run");
        assertDirectoryEmpty();
    }

    @Test
    void aNearestNeighboursModelWhoseMetricParamsTheConverterWouldDropIsRefused() {
        Path out = dir.resolve("knn.pmml");
        String msg = assertThrows(InvalidModelException.class,
                () -> converter.convert(MODELS.resolve("iris_knn_weighted.pkl"), List.of(), out)).getMessage();
        assertTrue(msg.contains("metric_params [w] would be dropped"), msg);
        assertFalse(Files.exists(out));
    }

    @Test
    void aPickleOfAnUnknownClassIsRefused() {
        String msg = assertThrows(InvalidModelException.class,
                () -> converter.convert(MODELS.resolve("unknown_class.pkl"), List.of(), dir.resolve("m.pmml")))
                .getMessage();
        assertTrue(msg.startsWith("the pickle references __main__.Mystery, which is not a scikit-learn class"), msg);
        assertDirectoryEmpty();
    }

    @Test
    void everyUnknownGlobalIsListedOnceWhateverOpcodeNamesIt() throws IOException {
        byte[] pickle = PickleBuilder.protocol(4).emptyList()
                .global("os", "system").str("touch " + EVIL_MARKER).op(0x85).reduce().append()
                .stackGlobal("__main__", "Mystery").emptyTuple().newObj().append()
                .stackGlobal("os", "system").append()
                .mark().str("1+1").inst("builtins", "eval").append()
                .stop();
        String msg = assertThrows(InvalidModelException.class, () -> convert(pickle)).getMessage();
        assertTrue(msg.startsWith("the pickle references os.system, __main__.Mystery and builtins.eval, which are not "
                + "scikit-learn classes ModelMesh can convert; pickles are never executed"), msg);
    }

    @Test
    void unknownClassesInsideJoblibObjectArraysAreRefused() throws IOException {
        // joblib.dump(np.array(["setosa", Mystery()], dtype=object)): joblib stores an object array as a pickle
        // embedded after its NumpyArrayWrapper, which jpmml reads with an unguarded unpickler of its own
        byte[] joblib = Base64.getMimeDecoder().decode("""
                gASVywAAAAAAAACME2pvYmxpYi5udW1weV9waWNrbGWUjBFOdW1weUFycmF5V3JhcHBlcpSTlCmBlH2UKIwIc3ViY2xhc3OUjAVu
                dW1weZSMB25kYXJyYXmUk5SMBXNoYXBllEsChZSMBW9yZGVylIwBQ5SMBWR0eXBllGgGaA2TlIwCTziUiYiHlFKUKEsDjAF8lE5O
                Tkr/////Sv////9LP3SUYowKYWxsb3dfbW1hcJSJjBtudW1weV9hcnJheV9hbGlnbm1lbnRfYnl0ZXOUSxB1YoACY251bXB5LmNv
                cmUubXVsdGlhcnJheQpfcmVjb25zdHJ1Y3QKcQBjbnVtcHkKbmRhcnJheQpxAUsAhXECY19jb2RlY3MKZW5jb2RlCnEDWAEAAABi
                cQRYBgAAAGxhdGluMXEFhnEGUnEHh3EIUnEJKEsBSwKFcQpjbnVtcHkKZHR5cGUKcQtYAgAAAE84cQyJiIdxDVJxDihLA1gBAAAA
                fHEPTk5OSv////9K/////0s/dHEQYoldcREoWAYAAABzZXRvc2FxEmNfX21haW5fXwpNeXN0ZXJ5CnETKYFxFGV0cRViLi4=""");
        String msg = assertThrows(InvalidModelException.class, () -> convert(joblib)).getMessage();
        assertTrue(msg.startsWith("the pickle references __main__.Mystery, which is not"), msg);
    }

    @Test
    void objectArraysStoredAsRawBytesAreRefused() throws IOException {
        byte[] inner = PickleBuilder.protocol(2).global("__main__", "Mystery").emptyTuple().newObj().stop();
        byte[] pickle = PickleBuilder.protocol(2)
                .global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray").mark().integer(0)
                .tupleSinceMark().bytes(new byte[]{'b'}).op(0x87).reduce()
                .mark().integer(1).mark().integer(1).tupleSinceMark().objectDtype().bool(false).bytes(inner)
                .tupleSinceMark().build()
                .stop();
        String msg = assertThrows(InvalidModelException.class, () -> convert(pickle)).getMessage();
        assertEquals("not a readable pickle/joblib file: a numpy array of Python objects is stored as raw bytes, which "
                + "numpy never writes", msg);
    }

    @Test
    void aNineBytePickleDeclaringTwoGibibytesIsRefusedBeforeAnythingIsAllocated() throws IOException {
        Path bomb = MODELS.resolve("binbytes_2g.pkl");
        assertEquals(9, Files.size(bomb));
        long start = System.nanoTime();
        String msg = assertThrows(InvalidModelException.class,
                () -> converter.convert(bomb, List.of(), dir.resolve("m.pmml"))).getMessage();
        assertEquals("not a readable pickle/joblib file: a BINBYTES opcode declares 2147483632 bytes at "
                + "byte 7, but only 2 can follow within the file's 9 bytes", msg);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "refused fast");
        assertDirectoryEmpty();
    }

    @Test
    void everyLengthOpcodeIsCheckedAgainstWhatFollows() throws IOException {
        for (int opcode : new int[]{'B', 'X', 'T', 0x8b}) {
            byte[] pickle = PickleBuilder.protocol(4).op(opcode).raw(new byte[]{0, 0, 0, 0x40}).raw(new byte[3])
                    .stop();
            String msg = assertThrows(InvalidModelException.class, () -> convert(pickle)).getMessage();
            assertTrue(msg.contains("declares 1073741824 bytes at byte 7, but only 4 can follow"), msg);
        }
        for (int opcode : new int[]{0x8e, 0x8d, 0x96}) {
            byte[] pickle = PickleBuilder.protocol(5).op(opcode).raw(new byte[]{0, 0, 0, 0, 0, 0, 0, (byte) 0x80})
                    .stop();
            String msg = assertThrows(InvalidModelException.class, () -> convert(pickle)).getMessage();
            assertTrue(msg.contains("declares a negative size"), msg);
        }
    }

    @Test
    void aGzipThatInflatesPastTheLimitIsRefusedOnceTheLimitIsReached() throws IOException {
        Path bomb = MODELS.resolve("zeros.joblib"); // 70 KB of gzip: 1,024 chunks of 64 KiB zeros, 64 MiB in all
        long limit = 8L << 20;
        long start = System.nanoTime();
        String msg = assertThrows(InvalidModelException.class,
                () -> new SklearnConverter(limit).convert(bomb, List.of(), dir.resolve("m.pmml"))).getMessage();
        assertTrue(msg.startsWith("not a readable pickle/joblib file: a BINBYTES opcode declares 65536 "
                + "bytes at byte "), msg);
        assertTrue(msg.endsWith("can follow within the limit of 8388608 bytes on decompressed pickle data (the upload "
                + "limit)"), msg);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "refused fast");
        assertDirectoryEmpty();
    }

    @Test
    void aNumpyArrayWhoseShapeAsksForMoreThanItsDataIsRefused() throws IOException {
        byte[] pickle = PickleBuilder.protocol(2)
                .global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray").mark().integer(0)
                .tupleSinceMark().bytes(new byte[]{'b'}).op(0x87).reduce()
                .mark().integer(1).mark().integer(1 << 28).tupleSinceMark().float64Dtype().bool(false)
                .bytes(new byte[8]).tupleSinceMark().build()
                .stop();
        String msg = assertThrows(InvalidModelException.class, () -> convert(pickle)).getMessage();
        assertEquals("not a readable pickle/joblib file: a numpy array declares 268435456 elements but "
                + "carries data for 1", msg);
    }

    @Test
    void aJoblibArrayLargerThanWhatFollowsIsRefusedBeforeItIsRead() throws IOException {
        byte[] pickle = PickleBuilder.protocol(4)
                .global("joblib.numpy_pickle", "NumpyArrayWrapper").emptyTuple().newObj().emptyDict()
                .str("subclass").global("numpy", "ndarray").setItem()
                .str("shape").mark().integer(1 << 27).tupleSinceMark().setItem()
                .str("order").str("C").setItem()
                .str("dtype").float64Dtype().setItem()
                .str("allow_mmap").bool(false).setItem()
                .build().raw(new byte[64])
                .stop();
        String msg = assertThrows(InvalidModelException.class, () -> convert(pickle)).getMessage();
        assertTrue(msg.startsWith("not a readable pickle/joblib file: a joblib array of 134217728 "
                + "elements declares 1073741824 bytes at byte "), msg);
    }

    @Test
    void truncatedAndForeignFilesAreUnreadable() {
        for (String file : List.of("corrupt.pkl", "iris.onnx", "diabetes_linear.pmml", "no-such-file.pkl")) {
            String msg = assertThrows(InvalidModelException.class,
                    () -> converter.convert(MODELS.resolve(file), List.of(), dir.resolve("m.pmml")), file).getMessage();
            assertTrue(msg.startsWith("not a readable pickle/joblib file: "), msg);
        }
        assertDirectoryEmpty();
    }

    @Test
    void picklesOfThingsOtherThanEstimatorsAreRefused() throws IOException {
        byte[] dict = PickleBuilder.protocol(2).emptyDict().str("weights").integer(1).setItem().stop();
        assertEquals("the pickle holds a dict, not a scikit-learn estimator or pipeline ModelMesh can convert",
                assertThrows(InvalidModelException.class, () -> convert(dict)).getMessage());
        byte[] list = PickleBuilder.protocol(2).emptyList().integer(1).append().stop();
        assertEquals("the pickle holds a list, not a scikit-learn estimator or pipeline ModelMesh can convert",
                assertThrows(InvalidModelException.class, () -> convert(list)).getMessage());
    }

    @Test
    void zlibAndGzipCompressedJoblibFilesAreRead() throws Exception {
        JsonNode ref = reference("iris_logreg");
        byte[] joblib = Files.readAllBytes(MODELS.resolve("iris_logreg.joblib"));
        for (String kind : List.of("zlib", "gzip")) {
            Path file = dir.resolve("m." + kind);
            try (OutputStream out = kind.equals("zlib") ? new DeflaterOutputStream(Files.newOutputStream(file))
                    : new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(joblib);
            }
            Path pmml = converter.convert(file, List.of(), dir.resolve(kind + ".pmml")).pmml();
            try (LoadedModel m = engine.load(pmml, List.of())) {
                assertReference(ref, m.predict(inputs(ref)));
            }
        }
    }

    @Test
    void otherJoblibCompressorsAreRefusedWithTheRemedy() throws IOException {
        Path file = dir.resolve("m.joblib");
        Files.write(file, new byte[]{'B', 'Z', 'h', '9', '1', 'A', 'Y', '&'});
        String msg = assertThrows(InvalidModelException.class,
                () -> converter.convert(file, List.of(), dir.resolve("m.pmml"))).getMessage();
        assertEquals("the joblib file is compressed with bz2, which ModelMesh cannot read; save it with "
                + "joblib.dump(model, path) or compress=('zlib', 3) or ('gzip', 3)", msg);
    }

    /** A pipeline and a depth-1 tree, as real joblib output (zlib level 9), fitted on iris with string classes. */
    private static final String PIPELINE = """
            eNqNVG1sFEUYvrveXa9LKVdoJbbaPyT9kHbhGjUQ0T1ptZGrrRYTi0LW2b2526X7OTPXcoIJRCk0TGKCc0RDwg9josGof0w0/vBM
            jIFoDI0/JNFoQ4EINEFB/VFSxNm9j9YWjfNj5yPvPPO87/s8ezBcuBIM+IPG8ZgBAbJER3egoVuQ0dgzleUbrOsQe4V10ggm0MFs
            D182YAKsNEBprAIDIkZbqwgIOshWIca6lRXlNCCA0Yad5fCdpfAqZN2ETjTZhMBiR2nM32CS5uuwajt5PjdYcgYCkkMQy7ols1SY
            rrFkDEzH4CcYQn5Gm62c6eRF1UZQNHMG0QFCIM9o1GMHvOdoxA/hc5rkHS8nGtK3sKmjR9gI60zV0OA2NjQ0tOMOH/4nFSBM6Yud
            KBUowCZ5HI14RPl76/baiqEroo8pO7rKc2e0ccjbPu49/TwCjrM0zxjOKaoBMGZaM631SuER9HhhDXA+qfBhvrZR2qtlsI9p92jr
            aSizhKHWupIfFYBh2BOyaQKH16q1xMfHloGhZy0TWkRW8gRilornlPo7S8aum8e+Oi6vT154uUkcy8WS/f39g0q8Ifnr9esb9m3+
            XSo8UM6dhscBkpm2oZSL1q51al0eYW2j1s2JbtISR7XeFfhs6xNnvvjmsnTSjLufd5yV3t7rXDrxZSz53pixe2ZiVip0V/D9NsH/
            9YKwiB/d3bL1Z+2aFHrsk3fVb3+Uzn7YN/Na+4K0f/qzS5nhK1Lhnaq65bI45XGIsG5bvNQJsVdMsJwyyehaw87qmOgqglnk6dYL
            aKvo2bMAT9+009AQ5UoovzVYXo4s3qq2u9aBFjAI11vI6GU0nM4Bg03RGmIbbEBqeXh27r6+Hq17QPqtTHF1Ridc3wQiFTqE97Kx
            upG96nAvsVSQ1vsakiegntUIG6L1iNvKNrlnAIF8H8W2Me5JKGIomSzmLjbBPlnnSOzpP4J0lW8OuSREGgY5YjNayy8oNuYaDFBh
            AiAfDRFON2rJXOiY48aMhIwA0W02pMW5BWM+BDfg8p7VVHvG5Tv8D4MdWGYwiQtYS0yV+nowpN7Vw4KMoGpbmKCcSgQ3UIoSygYS
            3GAqcNgNqbLK26NiAVreQnBrRr3eK254NMpngzO3Em5k0o2OuLVH3NiIW9eZCnKyrlAG9P8KgrtqNMTjh7e49Zy4u3rEbeDUfawD
            7prl9N24MrXHbez038CQ2Bi4a0cFvvFlptqGjdx1o3XegY6yuqWrwG2CxG1WxMJwRfy1lt+fFZUMLq2k/uB//wju5o97OXqhp/JM
            RLVhZmW7UuHJlSaL+Pc7Xnyu6clNN4rf33j11KnXb0pPdUz/8sPFv4oDP/2pfLCwULzVdnpu+7lZCUTyH7V1ni8eomek+e3ni+1d
            +y9udK4VPxZv54+3zUi3Xkpd7jl2tfhQ5MLJwRdCyblPd50GLZFkYXOFm7Co9X/X0yK9aCm/c007pr8b+Lo4Lz46P/JWIGm2um++
            f/V2sXB/GVd7RNvmGRzSqAlNG+W5eJ+dKp2KfwP1RtQS""";
    private static final String STUMP = """
            eNqNVVtvG0UUXt8Se5sEpyUQqQgK7YO5yGqCQHlASlGQEGxxICrBPESj2fE4M7C3uWyLpSKVhySNNG+MkfrGT0H8El544E9gzqzX
            iWPK5Tzs2Tn+5ly+c876SX38TtUrxGyobyOKZdLVktIuIhFWiiprXvqIEq54mjwA+56z8iGn0v5o3/zBfm87pkUk11QCwpr6MU+4
            NU2VRVyDESwhVdqaVoy/QwOaaWaDilmPeYIUjrOIKlRgbVA17Xkr5DJ00E1nfET5MdNoKDHREGf648deKWbFOR9SrHMJGffMmjs7
            DErSQWFZkTgZpDFSGmtqA6jWueVxlkPuI0iMSIoVnfdZEFBGBg8tQjKEo4zhOdBachEWgT8b1I2foDTXWa4Vcuk3Sx6RNTe+ScOI
            h90kj7MRyjgBvq1Z77njh1Li0VcSZ9k8s02Vh8V9axrFLWuWkwF2WACZhmI4g2pqJ/CeyoGju7IH7wM9Ajt7hd0GVHV/x54/PbMH
            thPUTOWx7fV6n05Aikewq21ofBxF6SMUxziz5+bmNMMiDpTMj5OYJhqFIw1cBu08fFIlBaRLUkm7cR5pXoB9JClJE6VlTrQvvCnK
            L1P2RSXwTkSVIAJdIcqniXvxRa1fATJDUe8vgY6w5smWaJyKpQOxfCaaB6LVCSpQpfBLh0V9vrjWd7O7vyNWoD6xeiDWoMLC12Px
            wmKVoh2eH4n1ThFDUZ0qLK73fTg8pFJxkkapFDf6LWfg0o0xweJFqsVG2B3/Oms4dPeyoRvPJcGaJUVwhF0f2R1T5Vfo/2CBfg/o
            32vWSv/2FHBmdX6ci6FquJ2EiNev7qh7woa5xYRgQZ1tTgeH3WSvsteCyollr7M32G22zd56yt52rVudzMss7vh+ZfoSVFymzkUL
            htd36wPdyhPYzxrMYLFNC1FqF1HumNrhe+9fVss6vY7xIzrUiDAeDay5Jos9Lk/LZY3wddAMSmWpszZnW2ndehUZlN8Ea16eriMd
            oIVfdJFQsMg3e/fvbAfeqWX32WHQBP0Z6Dbonrs5/K+bm4DcZ0fBLdCfw80O6C/gfPfU5sEOzGgbUBdUVyeTklWv/MZ6M75Bfn72
            7I/dwy+d/L77kzcnv4T3JgvyZ6lniBl0e/6e98n/vPfb7uDKva/vje/OBnzpIY7y5zTZLeDZrNFHFzWuXY03y+Pf9T/JJW58qzTl
            oWmjcuhRsajuX6ax1d3ubtk87P4FOQJyzg==""";
    private static final float[] THREE_ROWS = {5.1f, 3.5f, 1.4f, 0.2f, 6.3f, 3.3f, 6.0f, 2.5f, 6.0f, 2.7f, 5.1f, 1.6f};

    @Test
    void pipelinesAreConvertedWithEveryStep() throws Exception {
        Conversion c = convertEmbedded(PIPELINE);
        assertEquals("sklearn.pipeline.Pipeline", c.estimator());
        try (LoadedModel m = engine.load(c.pmml(), List.of())) {
            BatchResult r = m.predict(new FloatBatch(THREE_ROWS, 3, 4));
            assertArrayEquals(new String[]{"setosa", "virginica", "virginica"}, (String[]) r.outputs().get(0).data());
            // StandardScaler + LogisticRegression predict_proba in scikit-learn 1.2.1
            assertArrayEquals(new double[]{0.9846947488140996, 0.015305189161363147, 6.202453712963961e-08,
                    1.4915828869312147e-05, 0.006224892030582529, 0.9937601921405481,
                    0.0016784596507727011, 0.4372518341453671, 0.5610697062038601},
                    (double[]) r.outputs().get(1).data(), 1e-5);
        }
    }

    @Test
    void featuresTheModelNeverReadsStayColumns() throws Exception {
        // the stump splits on petal width only; jpmml drops the other three fields, the converter puts them back
        Conversion c = convertEmbedded(STUMP);
        assertEquals("sklearn.tree._classes.DecisionTreeClassifier", c.estimator());
        try (LoadedModel m = engine.load(c.pmml(), List.of())) {
            assertEquals(List.of("x1", "x2", "x3", "x4"), m.schema().features());
            assertEquals(List.of("FP32", "FP32", "FP32", "FP32"),
                    m.schema().inputs().stream().map(TensorSpec::datatype).toList());
            BatchResult r = m.predict(new FloatBatch(THREE_ROWS, 3, 4));
            assertArrayEquals(new double[]{1, 0, 0, 0, 0.5, 0.5, 0, 0.5, 0.5}, (double[]) r.outputs().get(1).data(),
                    1e-12);
            assertEquals("setosa", ((String[]) r.outputs().get(0).data())[0]);
        }
        try (LoadedModel m = engine.load(c.pmml(), List.of("x4", "x3", "x2", "x1"))) {
            assertEquals("x4", m.schema().features().getFirst());
        }
    }

    @Test
    void concurrentConversionsGiveTheSameDocuments() throws Exception {
        String expectedRf = document(converter.convert(MODELS.resolve("iris_rf.pkl"), List.of(),
                dir.resolve("rf.pmml")).pmml());
        String expectedLr = document(converter.convert(MODELS.resolve("iris_logreg.joblib"), List.of(),
                dir.resolve("lr.pmml")).pmml());
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        boolean rf = (thread + i) % 2 == 0;
                        Path out = dir.resolve("t" + thread + "-" + i + ".pmml");
                        Path pmml = converter.convert(MODELS.resolve(rf ? "iris_rf.pkl" : "iris_logreg.joblib"),
                                List.of(), out).pmml();
                        assertEquals(rf ? expectedRf : expectedLr, document(pmml));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        }
    }

    private Conversion convertEmbedded(String base64) throws IOException, InvalidModelException {
        Path file = dir.resolve("embedded.joblib");
        Files.write(file, Base64.getMimeDecoder().decode(base64));
        return converter.convert(file, List.of(), dir.resolve("embedded.pmml"));
    }

    private Conversion convert(byte[] pickle) throws IOException, InvalidModelException {
        Path file = dir.resolve("handmade.pkl");
        Files.write(file, pickle);
        return converter.convert(file, List.of(), dir.resolve("handmade.pmml"));
    }

    /** The document; it carries no timestamp, so the same pickle always converts to the same bytes. */
    private static String document(Path pmml) throws IOException {
        String text = Files.readString(pmml);
        assertFalse(text.contains("<Timestamp>"), "a timestamp would give each conversion other bytes");
        return text;
    }

    private void assertDirectoryEmpty() {
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "a refused conversion leaves no file behind");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
