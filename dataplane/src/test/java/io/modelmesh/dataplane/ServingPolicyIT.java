package io.modelmesh.dataplane;

import io.modelmesh.metrics.PrometheusText;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.Prediction;
import io.modelmesh.api.RoutingAck;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.api.Json;
import io.modelmesh.sdk.ModelMeshClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node serving with the route's policy: batched requests from many threads each get their own rows' answers, the
 * prediction cache answers repeats (whatever the key order of a named row) and says so, and a new revision changes the
 * policy of a version that stays loaded.
 */
class ServingPolicyIT {
    private static final double TOLERANCE = 1e-5;
    private final JsonNode reference = Fixtures.reference();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path home;
    private StubControlPlane cp;
    private DataPlane node;
    private ModelMeshClient client;

    @BeforeEach
    void start() throws Exception {
        cp = new StubControlPlane();
        cp.serve(Fixtures.IRIS);
        cp.table = Fixtures.table(1, "iris", Fixtures.target("1.0.0", Fixtures.IRIS, Fixtures.IRIS_FEATURES));
        node = DataPlane.start(cp.nodeConfig(home));
        client = ModelMeshClient.builder().controlPlane(cp.uri()).dataPlanes(List.of(node.uri())).build();
        Await.until(() -> node.servingRevision() == 1, Duration.ofSeconds(30), "node to catch up to revision 1");
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        cp.close();
    }

    @Test
    void batchedRequestsFromManyThreadsEachGetTheirOwnAnswer() throws Exception {
        assertTrue(push(2, new ServingPolicy(16, 5, 0)).applied());
        JsonNode inputs = reference.get("inputs");
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        int row = (thread + i) % inputs.size();
                        Prediction p = client.predict("iris", null, "{\"inputs\": " + inputs.get(row) + "}");
                        assertRow(reference.at("/outputs/logits/" + row), p.outputs().get("logits"), "row " + row);
                        assertFalse(p.cached());
                    }
                    return thread;
                }));
            }
            for (Future<Integer> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        }
        // a multi-row request through the batcher too
        Prediction batch = client.predictBatch("iris", null, "{\"instances\": " + inputs + "}");
        for (int r = 0; r < inputs.size(); r++) {
            assertRow(reference.at("/outputs/logits/" + r), ((List<?>) batch.outputs().get("logits")).get(r), "r" + r);
        }
    }

    @Test
    void theCacheAnswersRepeatsWhateverTheKeyOrderAndSaysSo() throws Exception {
        assertTrue(push(2, new ServingPolicy(1, 0, 60)).applied());
        String named = "{\"inputs\": {\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4, "
                + "\"petal_width\": 0.2}}";
        String reordered = "{\"inputs\": {\"petal_width\": 0.2, \"petal_length\": 1.4, \"sepal_width\": 3.5, "
                + "\"sepal_length\": 5.1}}";
        Prediction first = client.predict("iris", null, named);
        Prediction second = client.predict("iris", null, reordered);
        Prediction third = client.predict("iris", null, "{\"inputs\": [5.1, 3.5, 1.4, 0.2]}");
        assertFalse(first.cached(), "the first one runs the model");
        assertTrue(second.cached(), "the same row in another key order is the same input");
        assertTrue(third.cached(), "and so is the same row as an array");
        assertEquals(first.outputs(), second.outputs());
        assertRow(reference.at("/outputs/logits/0"), third.outputs().get("logits"), "cached logits");
        assertFalse(client.predict("iris", null, "{\"inputs\": [5.1, 3.5, 1.4, 0.25]}").cached(), "another input");
        String oip = post("/v2/models/iris/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 4], "
                + "\"datatype\": \"FP32\", \"data\": [5.1, 3.5, 1.4, 0.2]}]}").body();
        assertTrue(oip.contains("\"cached\":true"), oip);

        String metrics = get("/metrics");
        assertEquals(3, counter(metrics, "hit"), metrics);
        assertEquals(2, counter(metrics, "miss"), metrics);

        // the cache off again in a new revision: the same version keeps serving, uncached
        assertTrue(push(3, ServingPolicy.defaults()).applied());
        assertFalse(client.predict("iris", null, named).cached());
    }

    private RoutingAck push(long revision, ServingPolicy policy) throws Exception {
        RoutingTable table = new RoutingTable(revision, Instant.now(), Map.of("iris", new ModelRoute("iris",
                List.of(Fixtures.target("1.0.0", Fixtures.IRIS, Fixtures.IRIS_FEATURES)), null, policy)));
        return cp.push(node, table);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(node.uri().resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(node.uri().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long counter(String metrics, String result) {
        return (long) PrometheusText.valueOrZero(metrics, "cache_events_total", Map.of("backend", "memory",
                "result", result));
    }

    private static void assertRow(JsonNode expected, Object actual, String what) {
        List<?> values = (List<?>) actual;
        assertEquals(expected.size(), values.size(), what);
        for (int i = 0; i < values.size(); i++) {
            assertEquals(expected.get(i).asDouble(), ((Number) values.get(i)).doubleValue(), TOLERANCE, what);
        }
    }
}
