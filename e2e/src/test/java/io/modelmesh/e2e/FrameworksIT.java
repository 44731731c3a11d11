package io.modelmesh.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmesh.api.NodeState;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.Prediction;
import io.modelmesh.api.RegistrationResult;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.controlplane.ControlPlane;
import io.modelmesh.controlplane.ControlPlaneConfig;
import io.modelmesh.dataplane.DataPlane;
import io.modelmesh.dataplane.DataPlaneConfig;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.Registration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every format the platform takes, on real parts (embedded PostgreSQL, two nodes on real sockets, ONNX Runtime,
 * libtorch, jpmml): each committed fixture registers with its framework detected from its bytes and both nodes serve
 * its reference outputs through {@code /predict} (rows as arrays and as objects in another key order),
 * {@code /batch} and OIP v2 (one [N, F] tensor, and one tensor per feature). Hostile and corrupt files are refused
 * with nothing stored and nothing executed.
 */
class FrameworksIT {
    private static final Path MODELS = Path.of("..", "fixtures", "models");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final double TOLERANCE = 1e-5;
    private static final Path EVIL_MARKER = Path.of("/tmp/modelmesh-evil-pickle-ran");

    /**
     * One fixture to register.
     *
     * @param model      the model name to register it under
     * @param file       fixture file
     * @param framework  the framework the control plane must detect
     * @param served     what nodes load ("pmml" for a converted pickle), or null for the upload itself
     * @param features   --features to pass (empty: the artifact's own, or none)
     * @param reference  reference file
     * @param noProbabilities a classifier the converter encodes without class probabilities (nearest neighbours):
     *                        only its label is served
     */
    record Case(String model, String file, String framework, String served, List<String> features,
                String reference, boolean noProbabilities) {
        Case(String model, String file, String framework, String served, List<String> features, String reference) {
            this(model, file, framework, served, features, reference, false);
        }

        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("iris-onnx", "iris.onnx", "onnx", null, List.of(), "iris.reference.json"),
                new Case("iris-torch", "iris.pt", "torchscript", null, List.of(), "iris.reference.json"),
                new Case("iris-rf-pkl", "iris_rf.pkl", "sklearn", "pmml", List.of(), "iris_rf.reference.json"),
                new Case("iris-rf-joblib", "iris_rf.joblib", "sklearn", "pmml", List.of(), "iris_rf.reference.json"),
                new Case("iris-logreg-pkl", "iris_logreg.pkl", "sklearn", "pmml", List.of(),
                        "iris_logreg.reference.json"),
                new Case("iris-logreg-joblib", "iris_logreg.joblib", "sklearn", "pmml", List.of(),
                        "iris_logreg.reference.json"),
                new Case("diabetes", "diabetes_linear.pmml", "pmml", null, List.of(), "diabetes_linear.reference.json"),
                new Case("iris-mlp", "iris_mlp.joblib", "sklearn", "pmml", List.of(), "iris_mlp.reference.json"),
                new Case("iris-hgb", "iris_hgb.pkl", "sklearn", "pmml", List.of(), "iris_hgb.reference.json"),
                new Case("iris-knn", "iris_knn.joblib", "sklearn", "pmml", List.of(), "iris_knn.reference.json", true),
                new Case("diabetes-hgb", "diabetes_hgb.joblib", "sklearn", "pmml", List.of(),
                        "diabetes_hgb.reference.json"));
    }

    @TempDir
    static Path home;
    static ControlPlane cp;
    static DataPlane a;
    static DataPlane b;
    static ModelMeshClient admin;

    @BeforeAll
    static void start() throws Exception {
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home));
        a = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home).withNodeId("node-a"));
        b = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home).withNodeId("node-b"));
        admin = ModelMeshClient.builder().controlPlane(cp.uri())
                .token(Files.readString(home.resolve("admin-token")).strip()).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (admin.nodes().stream().filter(n -> n.state() == NodeState.LIVE).count() < 2) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nodes did not register: " + admin.nodes());
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    @AfterAll
    static void stop() {
        Stream.of(a, b).filter(n -> n != null).forEach(DataPlane::close);
        if (cp != null) {
            cp.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void registersDetectedAndServesItsReferenceOnEveryNode(Case c) throws IOException, InterruptedException {
        JsonNode ref = JSON.readTree(MODELS.resolve(c.reference()).toFile());
        RegistrationResult r = admin.register(Registration.of(c.model(), MODELS.resolve(c.file()))
                .withFeatures(c.features()));
        ModelVersion v = r.version();
        assertEquals(c.framework(), v.framework(), "detected from the content");
        assertEquals(2, r.deployment().nodesAcked(), r.deployment().errors().toString());
        if (c.served() == null) {
            assertNull(v.served());
        } else {
            assertNotNull(v.served(), "a pickle is served converted");
            assertEquals(c.served(), v.served().format());
            assertTrue(v.served().converter().startsWith("jpmml-sklearn "), v.served().converter());
            assertFalse(v.served().sha256().equals(v.sha256()));
            assertTrue(Files.isRegularFile(cp.artifactDirectory().resolve(v.sha256())), "the upload is kept");
            assertTrue(Files.isRegularFile(cp.artifactDirectory().resolve(v.served().sha256())), "and the PMML");
        }
        List<String> features = strings(ref.get("features"));
        if (!c.framework().equals("torchscript") && !c.framework().equals("onnx")) {
            assertEquals(features, v.schema().features(), "feature names read from the artifact");
        }
        boolean classifier = ref.get("outputs").has("label");
        if (classifier && c.noProbabilities()) {
            assertEquals(List.of("label"), v.schema().outputs().stream().map(TensorSpec::name).toList());
        } else if (classifier) {
            TensorSpec probabilities = v.schema().outputs().stream().filter(t -> t.name().equals("probabilities"))
                    .findFirst().orElseThrow(() -> new AssertionError(v.schema().toString()));
            assertEquals(strings(ref.get("classes")), probabilities.labels(), "class names from the model");
        }

        for (DataPlane node : List.of(a, b)) {
            ModelMeshClient client = ModelMeshClient.builder().controlPlane(cp.uri())
                    .dataPlanes(List.of(node.uri())).build();
            // /batch with rows as arrays
            Prediction batch = client.predictBatch(c.model(), null, "{\"instances\": " + ref.get("inputs") + "}");
            checkRows(ref, batch.outputs(), c);
            // /predict, one row at a time, as objects in reversed key order (bound by name) where names exist
            for (int row = 0; row < ref.get("inputs").size(); row++) {
                String body = v.schema().features().isEmpty()
                        ? "{\"inputs\": " + ref.get("inputs").get(row) + "}"
                        : "{\"inputs\": " + reversedObject(v.schema().features(), ref.get("inputs").get(row)) + "}";
                Prediction one = client.predict(c.model(), null, body);
                checkRow(ref, row, one.outputs(), c);
            }
            // OIP v2: one [N, F] tensor
            JsonNode oip = infer(node, c.model(), matrixRequest(ref.get("inputs")));
            checkOip(ref, oip, c);
            // OIP v2: one tensor per feature, bound by name, in reversed order
            if (!v.schema().features().isEmpty()) {
                checkOip(ref, infer(node, c.model(), columnRequest(v.schema().features(), ref.get("inputs"))), c);
            }
            // OIP v2 metadata carries the schema
            JsonNode meta = get(node, "/v2/models/" + c.model());
            assertEquals(v.schema().features(), strings(meta.at("/parameters/features")), meta.toString());
            if (classifier && !c.noProbabilities()) {
                JsonNode probs = null;
                for (JsonNode o : meta.get("outputs")) {
                    if (o.get("name").asText().equals("probabilities")) {
                        probs = o;
                    }
                }
                assertNotNull(probs, meta.toString());
                assertEquals(strings(ref.get("classes")), strings(probs.at("/parameters/labels")), meta.toString());
            }
        }
    }

    @Test
    void aPickleThatWouldRunACommandIsRefusedAndNeverRuns() throws IOException {
        Files.deleteIfExists(EVIL_MARKER);
        Snapshot before = snapshot();
        ModelMeshException e = assertThrows(ModelMeshException.InvalidRequestException.class,
                () -> admin.register(Registration.of("evil", MODELS.resolve("evil.pkl"))));
        assertEquals(422, e.status());
        assertTrue(e.getMessage().contains("system"), "names what it refers to: " + e.getMessage());
        assertTrue(e.getMessage().contains("never executed"), e.getMessage());
        assertFalse(Files.exists(EVIL_MARKER), "the pickle's command ran");
        assertEquals(before, snapshot(), "nothing stored");
        assertThrows(ModelMeshException.NotFoundException.class, () -> admin.versions("evil"));
    }

    @Test
    void unknownClassesAndCorruptFilesAreRefusedWithNothingStored() {
        Snapshot before = snapshot();
        ModelMeshException unknown = assertThrows(ModelMeshException.InvalidRequestException.class,
                () -> admin.register(Registration.of("mystery", MODELS.resolve("unknown_class.pkl"))));
        assertEquals(422, unknown.status());
        assertTrue(unknown.getMessage().contains("Mystery"), unknown.getMessage());
        ModelMeshException dropped = assertThrows(ModelMeshException.InvalidRequestException.class,
                () -> admin.register(Registration.of("knn-weighted", MODELS.resolve("iris_knn_weighted.pkl"))));
        assertTrue(dropped.getMessage().contains("metric_params"), dropped.getMessage());
        for (String corrupt : List.of("corrupt.pkl", "corrupt.pt", "corrupt.pmml", "corrupt.onnx")) {
            ModelMeshException e = assertThrows(ModelMeshException.InvalidRequestException.class,
                    () -> admin.register(Registration.of("broken", MODELS.resolve(corrupt))), corrupt);
            assertEquals(422, e.status(), corrupt + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(corrupt), "names the user's file, not a temp file: " + e.getMessage());
        }
        assertEquals(before, snapshot(), "nothing stored");
    }

    @Test
    void badRowsNameTheFieldAndWhatWasExpected() throws IOException, InterruptedException {
        admin.register(Registration.of("diabetes-bad-rows", MODELS.resolve("diabetes_linear.pmml")));
        ModelMeshClient client = ModelMeshClient.builder().controlPlane(cp.uri()).dataPlanes(List.of(a.uri())).build();
        ModelMeshException missing = assertThrows(ModelMeshException.InvalidRequestException.class,
                () -> client.predict("diabetes-bad-rows", null, "{\"inputs\": {\"age\": 0.1}}"));
        assertTrue(missing.getMessage().contains("bmi"), missing.getMessage());
        HttpResponse<String> unknown = post(a, "/v2/models/diabetes-bad-rows/infer",
                "{\"inputs\": [{\"name\": \"age\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [0.1]},"
                        + " {\"name\": \"nope\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [0.1]}]}");
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("unknown input 'nope'"), unknown.body());
        HttpResponse<String> response = post(a, "/v2/models/diabetes-bad-rows/infer",
                "{\"inputs\": [{\"name\": \"age\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [0.1]}]}");
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().contains("missing input"), response.body());
        assertTrue(response.body().contains("bmi"), response.body());
    }

    // ---- checks --------------------------------------------------------------------------------------------------

    private static void checkRows(JsonNode ref, Map<String, Object> outputs, Case c) {
        for (int row = 0; row < ref.get("inputs").size(); row++) {
            Map<String, Object> one = new java.util.HashMap<>();
            for (Map.Entry<String, Object> e : outputs.entrySet()) {
                one.put(e.getKey(), ((List<?>) e.getValue()).get(row));
            }
            checkRow(ref, row, one, c);
        }
    }

    /** One row's outputs as /predict renders them against the reference. */
    private static void checkRow(JsonNode ref, int row, Map<String, Object> outputs, Case c) {
        JsonNode expected = ref.get("outputs");
        String where = c + " row " + row + ": " + outputs;
        if (expected.has("label")) {
            assertEquals(expected.get("label").get(row).asText(), outputs.get("label"), where);
            if (c.noProbabilities()) {
                assertNull(outputs.get("probabilities"), where);
                return;
            }
            Map<?, ?> probabilities = (Map<?, ?>) outputs.get("probabilities");
            List<String> classes = strings(ref.get("classes"));
            assertEquals(classes, new ArrayList<>(probabilities.keySet()), "class names, in the model's order");
            for (int k = 0; k < classes.size(); k++) {
                assertEquals(expected.get("probabilities").get(row).get(k).asDouble(),
                        ((Number) probabilities.get(classes.get(k))).doubleValue(), TOLERANCE, where);
            }
            return;
        }
        Iterator<String> names = expected.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            assertNotNull(outputs.get(name), "output " + name + " missing: " + where);
            JsonNode exp = expected.get(name).get(row);
            Object got = outputs.get(name);
            if (exp.isArray()) {
                List<?> values = (List<?>) got;
                assertEquals(exp.size(), values.size(), where);
                for (int k = 0; k < exp.size(); k++) {
                    assertEquals(exp.get(k).asDouble(), ((Number) values.get(k)).doubleValue(), TOLERANCE, where);
                }
            } else {
                assertEquals(exp.asDouble(), ((Number) got).doubleValue(), TOLERANCE * Math.max(1, exp.asDouble()),
                        where);
            }
        }
    }

    private static void checkOip(JsonNode ref, JsonNode response, Case c) {
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        response.get("outputs").forEach(o -> byName.put(o.get("name").asText(), o));
        JsonNode expected = ref.get("outputs");
        int rows = ref.get("inputs").size();
        Iterator<String> names = expected.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (c.noProbabilities() && name.equals("probabilities")) {
                continue;
            }
            JsonNode tensor = byName.get(name);
            assertNotNull(tensor, c + ": OIP output " + name + " missing: " + response);
            assertEquals(rows, tensor.at("/shape/0").asInt(), response.toString());
            List<JsonNode> flat = new ArrayList<>();
            expected.get(name).forEach(r -> {
                if (r.isArray()) {
                    r.forEach(flat::add);
                } else {
                    flat.add(r);
                }
            });
            JsonNode data = tensor.get("data");
            assertEquals(flat.size(), data.size(), c + " " + name);
            for (int i = 0; i < flat.size(); i++) {
                if (flat.get(i).isTextual()) {
                    assertEquals(flat.get(i).asText(), data.get(i).asText(), c + " " + name + "[" + i + "]");
                } else {
                    double e = flat.get(i).asDouble();
                    assertEquals(e, data.get(i).asDouble(), TOLERANCE * Math.max(1, Math.abs(e)),
                            c + " " + name + "[" + i + "]");
                }
            }
        }
    }

    // ---- requests ------------------------------------------------------------------------------------------------

    private static String reversedObject(List<String> features, JsonNode row) {
        ObjectNode o = JSON.createObjectNode();
        for (int i = features.size() - 1; i >= 0; i--) {
            o.put(features.get(i), row.get(i).asDouble());
        }
        return o.toString();
    }

    private static String matrixRequest(JsonNode rows) {
        ObjectNode tensor = JSON.createObjectNode().put("name", "input").put("datatype", "FP32");
        tensor.putArray("shape").add(rows.size()).add(rows.get(0).size());
        ArrayNode data = tensor.putArray("data");
        rows.forEach(r -> r.forEach(data::add));
        ObjectNode body = JSON.createObjectNode();
        body.putArray("inputs").add(tensor);
        return body.toString();
    }

    private static String columnRequest(List<String> features, JsonNode rows) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            order.add(i);
        }
        Collections.reverse(order);
        for (int col : order) {
            ObjectNode t = inputs.addObject().put("name", features.get(col)).put("datatype", "FP64");
            t.putArray("shape").add(rows.size());
            ArrayNode data = t.putArray("data");
            rows.forEach(r -> data.add(r.get(col)));
        }
        return body.toString();
    }

    private static JsonNode infer(DataPlane node, String model, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = post(node, "/v2/models/" + model + "/infer", body);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> post(DataPlane node, String path, String body)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(node.uri().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode get(DataPlane node, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(node.uri().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    // ---- what is stored ------------------------------------------------------------------------------------------

    record Snapshot(List<String> artifacts, List<String> models) {
    }

    private static Snapshot snapshot() {
        try (Stream<Path> files = Files.list(cp.artifactDirectory())) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            List<String> models = admin.listModels(0, 100, null).items().stream().map(m -> m.name()).sorted().toList();
            return new Snapshot(names, models);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
