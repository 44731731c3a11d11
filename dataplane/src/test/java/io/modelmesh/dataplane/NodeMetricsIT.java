package io.modelmesh.dataplane;

import io.modelmesh.metrics.PrometheusText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The node's {@code GET /metrics} scraped over a real socket: the documented families with their types and labels,
 * values that move with real predictions, nothing of Helidon's naming leaking through, and (where Debian's promtool
 * is installed) an exposition {@code promtool check metrics} accepts.
 */
class NodeMetricsIT {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Map<String, String> IRIS = Map.of("model", "iris", "version", "1.0.0");

    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path home;
    private StubControlPlane cp;
    private DataPlane node;

    @BeforeEach
    void start() throws Exception {
        cp = new StubControlPlane();
        cp.serve(Fixtures.IRIS);
        cp.table = Fixtures.table(1, "iris", Fixtures.target("1.0.0", Fixtures.IRIS, Fixtures.IRIS_FEATURES));
        node = DataPlane.start(cp.nodeConfig(home));
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
    void theDocumentedFamiliesMoveWithRealPredictions() throws Exception {
        String before = scrape();
        for (int i = 0; i < 5; i++) {
            assertEquals(200, post("/predict/iris", "{\"inputs\": [5.1, 3.5, 1.4, 0.2]}").statusCode());
        }
        assertEquals(200, post("/predict/iris/batch", "{\"instances\": [[5.1, 3.5, 1.4, 0.2], [6.2, 2.9, 4.3, 1.3],"
                + " [7.7, 3.0, 6.1, 2.3]]}").statusCode());
        assertEquals(400, post("/predict/iris", "{\"inputs\": [1, 2]}").statusCode());
        assertEquals(404, post("/predict/no-such-model", "{\"inputs\": [1, 2, 3, 4]}").statusCode());
        String after = scrape();

        Map<String, String> families = PrometheusText.families(after);
        Map<String, String> expected = Map.ofEntries(
                Map.entry("http_requests_total", "counter"), Map.entry("http_request_duration_seconds", "histogram"),
                Map.entry("requests_in_flight", "gauge"), Map.entry("predictions_total", "counter"),
                Map.entry("prediction_latency_seconds", "histogram"), Map.entry("batch_size", "histogram"),
                Map.entry("queue_wait_seconds", "histogram"), Map.entry("model_load_seconds", "histogram"),
                Map.entry("routing_revision", "gauge"), Map.entry("active_deployments", "gauge"),
                Map.entry("admission_running", "gauge"), Map.entry("admission_waiting", "gauge"),
                Map.entry("request_body_bytes", "gauge"), Map.entry("memory_used_heap_bytes", "gauge"));
        expected.forEach((name, type) -> assertEquals(type, families.get(name), name + " in " + families.keySet()));
        assertTrue(families.keySet().stream().noneMatch(n -> n.startsWith("mm_")), "no old name: " + families);
        assertFalse(after.contains("scope="), "Helidon's scope tag is not exposed");

        assertEquals(6, delta(before, after, "predictions_total", Map.of("model", "iris", "version", "1.0.0",
                "outcome", "ok")));
        assertEquals(1, delta(before, after, "predictions_total", Map.of("model", "iris", "version", "1.0.0",
                "outcome", "client_error")));
        assertEquals(1, delta(before, after, "predictions_total", Map.of("model", "_unknown", "version", "",
                "outcome", "client_error")));
        assertEquals(6, delta(before, after, "prediction_latency_seconds_count", IRIS));
        assertEquals(5, delta(before, after, "http_requests_total", Map.of("method", "POST",
                "route", "/predict/{model}", "status", "200")));
        assertEquals(1, delta(before, after, "http_requests_total", Map.of("method", "POST",
                "route", "/predict/{model}/batch", "status", "200")));
        assertEquals(1, delta(before, after, "http_requests_total", Map.of("method", "POST",
                "route", "/predict/{model}", "status", "404")), "an unknown model counts under the route pattern");
        assertEquals(6, delta(before, after, "batch_size_count", IRIS));
        assertEquals(8, delta(before, after, "batch_size_sum", IRIS), "5 single rows and a batch of 3");
        assertEquals(6, delta(before, after, "queue_wait_seconds_count", IRIS));
        assertEquals(1, PrometheusText.valueOrZero(after, "model_load_seconds_count", Map.of("model", "iris")));
        assertEquals(1, PrometheusText.valueOrZero(after, "routing_revision", Map.of()));
        assertEquals(1, PrometheusText.valueOrZero(after, "active_deployments", Map.of()));
        assertEquals(1, PrometheusText.valueOrZero(after, "requests_in_flight", Map.of()), "the scrape itself");
        assertTrue(PrometheusText.valueOrZero(after, "http_request_duration_seconds_count", Map.of("method", "GET",
                "route", "/metrics")) >= 1, "the first scrape was timed");
    }

    @Test
    void promtoolAcceptsTheExposition() throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), "promtool is not installed (Debian package prometheus); "
                + ".ci/run installs it");
        post("/predict/iris", "{\"inputs\": [5.1, 3.5, 1.4, 0.2]}");
        Path file = home.resolve("metrics.txt");
        Files.writeString(file, scrape(), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true)
                .redirectInput(file.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertEquals("", out.trim(), "no lint findings");
    }

    private static double delta(String before, String after, String name, Map<String, String> labels) {
        return PrometheusText.valueOrZero(after, name, labels) - PrometheusText.valueOrZero(before, name, labels);
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.uri().resolve("/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        return r.body();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(node.uri().resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
