package io.modelmesh.dataplane;

import io.modelmesh.metrics.PrometheusText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.Fault;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.ServingPolicy;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Admission control on a node over real sockets with the iris ONNX model: a version held busy by injected latency
 * (which, like a slow model, holds its turn) fills its turns and queue; what comes next is refused at once with 429 and
 * Retry-After, a request still waiting at its deadline gets 503, {@code X-Request-Timeout} shortens the deadline and
 * never lengthens it, and fallbacks answer degraded.
 */
class AdmissionIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ROW = "{\"inputs\": [5.1, 3.5, 1.4, 0.2]}";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path home;
    private StubControlPlane cp;
    private DataPlane node;
    private long revision;

    @BeforeEach
    void start() throws Exception {
        cp = new StubControlPlane();
        cp.serve(Fixtures.IRIS);
        cp.table = Fixtures.table(++revision, "iris", Fixtures.target("1.0.0", Fixtures.IRIS, Fixtures.IRIS_FEATURES));
        node = DataPlane.start(cp.nodeConfig(home).withServing(new ServingDefaults(0, 0, null,
                Duration.ofSeconds(10))));
        long first = revision;
        await().atMost(WAIT).until(() -> node.servingRevision() == first); // joined and caught up: pushes are signed
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        cp.close();
    }

    /** Serves iris 1.0.0 with this policy and fault (null: none) as the next revision. */
    private void serve(ServingPolicy policy, Fault fault) throws Exception {
        RouteTarget target = Fixtures.target("1.0.0", Fixtures.IRIS, Fixtures.IRIS_FEATURES).withFault(fault);
        RoutingTable table = new RoutingTable(++revision, Instant.now(), Map.of("iris",
                new ModelRoute("iris", List.of(target), null, policy)));
        cp.table = table;
        assertTrue(cp.push(node, table).applied());
    }

    private static Fault slow(int ms) {
        return new Fault(0, ms, Instant.now().plusSeconds(600));
    }

    private HttpRequest predict(String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.uri().resolve("/predict/iris"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return b.build();
    }

    private HttpResponse<String> send(HttpRequest r) throws Exception {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> sendLater(HttpRequest r) {
        return http.sendAsync(r, HttpResponse.BodyHandlers.ofString());
    }

    private double gauge(String name) throws Exception {
        String metrics = send(HttpRequest.newBuilder(node.uri().resolve("/metrics")).GET().build()).body();
        return PrometheusText.value(metrics, name, Map.of("model", "iris", "version", "1.0.0")).orElse(-1);
    }

    private String metrics() throws Exception {
        return send(HttpRequest.newBuilder(node.uri().resolve("/metrics")).GET().build()).body();
    }

    @Test
    void aFullQueueIsRefusedAtOnceWith429AndRetryAfter() throws Exception {
        serve(ServingPolicy.defaults().withAdmission(1, 1, 60_000), slow(2000));
        CompletableFuture<HttpResponse<String>> first = sendLater(predict(ROW, Map.of()));
        await().atMost(WAIT).until(() -> gauge("admission_running") == 1);
        CompletableFuture<HttpResponse<String>> second = sendLater(predict(ROW, Map.of()));
        await().atMost(WAIT).until(() -> gauge("admission_waiting") == 1);

        long start = System.nanoTime();
        HttpResponse<String> refused = send(predict(ROW, Map.of()));
        long took = System.nanoTime() - start;
        assertEquals(429, refused.statusCode(), refused.body());
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
        JsonNode body = json.readTree(refused.body());
        assertEquals("overloaded", body.get("error").asText());
        assertTrue(body.get("message").asText().contains("max_queue"), refused.body());
        assertTrue(took < TimeUnit.MILLISECONDS.toNanos(1500), "refused at once, not after the 2 s turn ahead: "
                + took / 1_000_000 + " ms");

        assertEquals(200, first.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals(200, second.get(30, TimeUnit.SECONDS).statusCode(), "the queued one got its turn");
        String metrics = metrics();
        assertEquals(1, PrometheusText.valueOrZero(metrics, "requests_rejected_total", Map.of("model", "iris",
                "reason", "queue_full")), metrics);
        assertEquals(1, PrometheusText.valueOrZero(metrics, "predictions_total", Map.of("model", "iris",
                "version", "1.0.0", "outcome", "rejected")), metrics);
    }

    @Test
    void aRequestStillWaitingAtItsDeadlineGets503AndTheHeaderOnlyShortensIt() throws Exception {
        serve(ServingPolicy.defaults().withAdmission(1, 8, 60_000), slow(3000));
        CompletableFuture<HttpResponse<String>> busy = sendLater(predict(ROW, Map.of()));
        await().atMost(WAIT).until(() -> gauge("admission_running") == 1);

        long start = System.nanoTime();
        HttpResponse<String> late = send(predict(ROW, Map.of("X-Request-Timeout", "200ms")));
        long took = System.nanoTime() - start;
        assertEquals(503, late.statusCode(), late.body());
        assertEquals("1", late.headers().firstValue("Retry-After").orElse(null));
        assertEquals("deadline_exceeded", json.readTree(late.body()).get("error").asText());
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(200) && took < TimeUnit.MILLISECONDS.toNanos(2500),
                "ended by the caller's 200 ms, not the policy's minute: " + took / 1_000_000 + " ms");
        assertEquals(200, busy.get(30, TimeUnit.SECONDS).statusCode(), "a turn that began runs to its end");

        serve(ServingPolicy.defaults().withAdmission(1, 8, 300), slow(3000));
        CompletableFuture<HttpResponse<String>> again = sendLater(predict(ROW, Map.of()));
        await().atMost(WAIT).until(() -> gauge("admission_running") == 1);
        long begin = System.nanoTime();
        HttpResponse<String> capped = send(predict(ROW, Map.of("X-Request-Timeout", "60s")));
        long waited = System.nanoTime() - begin;
        assertEquals(503, capped.statusCode(), capped.body());
        assertTrue(waited < TimeUnit.MILLISECONDS.toNanos(2500), "a longer ask is held to the policy's 300 ms: "
                + waited / 1_000_000 + " ms");
        assertTrue(json.readTree(capped.body()).get("message").asText().contains("300 ms"), capped.body());
        assertEquals(200, again.get(30, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void aTimeoutHeaderThatIsNotAPositiveDurationIs400() throws Exception {
        serve(ServingPolicy.defaults(), null);
        for (String bad : List.of("soon", "0", "0ms", "1.5s", "-1s", "99999999999999s")) {
            HttpResponse<String> r = send(predict(ROW, Map.of("X-Request-Timeout", bad)));
            assertEquals(400, r.statusCode(), bad + ": " + r.body());
            assertTrue(r.body().contains("X-Request-Timeout must be a positive duration"), r.body());
        }
        assertEquals(200, send(predict(ROW, Map.of("X-Request-Timeout", "2"))).statusCode(), "plain seconds");
        assertEquals(200, send(predict(ROW, Map.of("X-Request-Timeout", "1500ms"))).statusCode());
    }

    @Test
    void aDefaultFallbackAnswersDegradedWhenTheVersionFails() throws Exception {
        Map<String, Object> fallback = new LinkedHashMap<>();
        fallback.put("label", "unknown");
        fallback.put("logits", List.of(0, 0, 0));
        serve(ServingPolicy.defaults().withFallback(ServingPolicy.Fallback.DEFAULT, fallback),
                new Fault(1.0, 0, Instant.now().plusSeconds(600)));
        HttpResponse<String> r = send(predict(ROW, Map.of()));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = json.readTree(r.body());
        assertTrue(body.get("degraded").asBoolean(), r.body());
        assertEquals("unknown", body.at("/outputs/label").asText());
        assertEquals(3, body.at("/outputs/logits").size());

        HttpResponse<String> batch = send(HttpRequest.newBuilder(node.uri().resolve("/predict/iris/batch"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"instances\": [[5.1, 3.5, 1.4, 0.2], [6.3, 3.3, 6.0, 2.5]]}")).build());
        assertEquals(2, json.readTree(batch.body()).at("/outputs/label").size(), "one default per row");
        HttpResponse<String> oip = send(HttpRequest.newBuilder(node.uri().resolve("/v2/models/iris/infer"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 4], \"datatype\": \"FP32\", "
                                + "\"data\": [5.1, 3.5, 1.4, 0.2]}]}")).build());
        assertEquals(200, oip.statusCode(), oip.body());
        assertTrue(json.readTree(oip.body()).at("/parameters/degraded").asBoolean(), oip.body());
        assertEquals(3, PrometheusText.valueOrZero(metrics(), "predictions_degraded_total", Map.of("model", "iris",
                "version", "1.0.0", "fallback", "default", "cause", "failure")), metrics());
    }

    @Test
    void aCachedFallbackAnswersTheLastAnswerForTheSameInput() throws Exception {
        serve(ServingPolicy.defaults().withFallback(ServingPolicy.Fallback.CACHED, null), null);
        HttpResponse<String> computed = send(predict(ROW, Map.of()));
        assertEquals(200, computed.statusCode(), computed.body());
        JsonNode fresh = json.readTree(computed.body());
        assertTrue(fresh.path("degraded").isMissingNode(), "a computed answer carries no degraded flag");

        serve(ServingPolicy.defaults().withFallback(ServingPolicy.Fallback.CACHED, null),
                new Fault(1.0, 0, Instant.now().plusSeconds(600)));
        JsonNode remembered = json.readTree(send(predict(ROW, Map.of())).body());
        assertTrue(remembered.get("degraded").asBoolean(), remembered.toString());
        assertEquals(fresh.get("outputs"), remembered.get("outputs"));
        HttpResponse<String> other = send(predict("{\"inputs\": [6.3, 3.3, 6.0, 2.5]}", Map.of()));
        assertEquals(500, other.statusCode(), "nothing remembered for this input: " + other.body());
        assertEquals("injected_fault", json.readTree(other.body()).get("error").asText());
    }
}
