package io.modelmesh.dataplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.Json;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.engine.validate.ValidationLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KServe's V1 protocol on a real node: the requests of KServe's own examples, answered with the numbers the models'
 * references hold — a model with several outputs (the iris ONNX: logits and probabilities) and one with a single
 * output (the diabetes regression in PMML).
 */
class KServeV1IT {
    private static final double TOLERANCE = 1e-5;
    private static final Path DIABETES = Fixtures.MODELS.resolve("diabetes_linear.pmml");
    private final ObjectMapper json = Json.mapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path home;
    private StubControlPlane cp;
    private DataPlane node;

    @BeforeEach
    void start() throws Exception {
        cp = new StubControlPlane();
        cp.serve(Fixtures.IRIS);
        cp.serve(DIABETES);
        JsonNode diabetes = reference("diabetes_linear");
        List<String> features = json.convertValue(diabetes.get("features"),
                json.getTypeFactory().constructCollectionType(List.class, String.class));
        RouteTarget pmml = new RouteTarget("2.0.0", "pmml", Fixtures.sha256(DIABETES), Files.size(DIABETES), 100,
                RouteTarget.Role.STABLE, new ModelSchema(List.of(new TensorSpec("input", "FP32",
                List.of(-1L, (long) features.size()))), List.of(), features));
        cp.table = new RoutingTable(1, Instant.now(), Map.of(
                "iris", new ModelRoute("iris", List.of(Fixtures.target("1.0.0", Fixtures.IRIS,
                        Fixtures.IRIS_FEATURES)), null),
                "diabetes", new ModelRoute("diabetes", List.of(pmml), null)));
        // two models validated in child JVMs at once: a loaded machine can take longer than the default 10 s limit
        NodeLimits limits = NodeLimits.defaults().withValidation(new ValidationLimits(Duration.ofSeconds(120),
                ValidationLimits.defaults().memoryBytes()));
        node = DataPlane.start(cp.nodeConfig(home).withLimits(limits));
        Await.until(() -> node.servingRevision() == 1, Duration.ofSeconds(150), "node to serve revision 1");
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        cp.close();
    }

    @Test
    void kserveExamplesRequestGetsOnePredictionPerInstanceWithEveryOutput() throws Exception {
        JsonNode ref = Fixtures.reference();
        HttpResponse<String> res = post("/v1/models/iris:predict", "{\"instances\": [" + ref.get("inputs").get(0)
                + ", " + ref.get("inputs").get(1) + "]}");
        assertEquals(200, res.statusCode(), res.body());
        assertEquals("1.0.0", res.headers().firstValue("X-Model-Version").orElse(null));
        JsonNode predictions = json.readTree(res.body()).get("predictions");
        assertEquals(2, predictions.size(), res.body());
        for (int r = 0; r < 2; r++) {
            for (String output : List.of("logits", "probabilities")) {
                assertNumbers(ref.get("outputs").get(output).get(r), predictions.get(r).get(output),
                        output + " of instance " + r);
            }
        }
        // instances as objects of named features, in any order
        JsonNode row = ref.get("inputs").get(1);
        HttpResponse<String> named = post("/v1/models/iris:predict", "{\"instances\": [{\"petal_width\": "
                + row.get(3) + ", \"petal_length\": " + row.get(2) + ", \"sepal_width\": " + row.get(1)
                + ", \"sepal_length\": " + row.get(0) + "}]}");
        assertEquals(200, named.statusCode(), named.body());
        assertNumbers(ref.get("outputs").get("logits").get(1),
                json.readTree(named.body()).get("predictions").get(0).get("logits"), "logits by name");
    }

    @Test
    void aSingleOutputModelAnswersItsValuePerInstance() throws Exception {
        JsonNode ref = reference("diabetes_linear");
        HttpResponse<String> res = post("/v1/models/diabetes:predict", "{\"instances\": " + ref.get("inputs") + "}");
        assertEquals(200, res.statusCode(), res.body());
        JsonNode predictions = json.readTree(res.body()).get("predictions");
        JsonNode expected = ref.get("outputs").get("progression");
        assertEquals(expected.size(), predictions.size(), res.body());
        for (int r = 0; r < expected.size(); r++) {
            assertTrue(predictions.get(r).isNumber(), "a plain number per instance: " + predictions.get(r));
            assertEquals(expected.get(r).asDouble(), predictions.get(r).asDouble(), 1e-6 * Math.abs(
                    expected.get(r).asDouble()) + TOLERANCE, "instance " + r);
        }
    }

    @Test
    void listAndReadinessAndWhatIsNotServed() throws Exception {
        assertEquals("{\"models\":[\"diabetes\",\"iris\"]}", get("/v1/models").body());
        JsonNode ready = json.readTree(get("/v1/models/iris").body());
        assertEquals("iris", ready.get("name").asText());
        assertTrue(ready.get("ready").asBoolean());

        HttpResponse<String> unknown = get("/v1/models/nope");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("serving: [diabetes, iris]"), unknown.body());
        HttpResponse<String> explain = post("/v1/models/iris:explain", "{\"instances\": [[1, 2, 3, 4]]}");
        assertEquals(404, explain.statusCode());
        assertTrue(explain.body().contains(":predict"), explain.body());
        HttpResponse<String> unknownPredict = post("/v1/models/nope:predict", "{\"instances\": [[1, 2, 3, 4]]}");
        assertEquals(404, unknownPredict.statusCode(), unknownPredict.body());
        HttpResponse<String> shape = post("/v1/models/iris:predict", "{\"instances\": [[1, 2, 3]]}");
        assertEquals(400, shape.statusCode());
        assertTrue(shape.body().contains("3 values"), shape.body());
        HttpResponse<String> malformed = post("/v1/models/iris:predict", "{\"instances\": [[1, 2,");
        assertEquals(400, malformed.statusCode(), malformed.body());
        assertEquals(200, post("/v1/models/iris:predict", "{\"instances\": [[1, 2, 3, 4]]}").statusCode(),
                "the node keeps serving");
    }

    private JsonNode reference(String name) throws Exception {
        return json.readTree(Fixtures.MODELS.resolve(name + ".reference.json").toFile());
    }

    private void assertNumbers(JsonNode expected, JsonNode actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": " + actual);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).asDouble(), actual.get(i).asDouble(), TOLERANCE, what + "[" + i + "]");
        }
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(node.uri().resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(node.uri().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
