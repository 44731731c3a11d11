package io.modelmesh.dataplane;

import io.modelmesh.metrics.PrometheusText;
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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node stopping gracefully, in process ({@code close()}) and as a process sent SIGTERM: readiness fails at once, new
 * requests are refused with 503 and Retry-After, the request in flight (held by injected latency) finishes with 200,
 * then the node stops.
 */
class GracefulShutdownIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ROW = "{\"inputs\": [5.1, 3.5, 1.4, 0.2]}";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path home;
    private StubControlPlane cp;

    @BeforeEach
    void start() throws Exception {
        cp = new StubControlPlane();
        cp.serve(Fixtures.IRIS);
        RouteTarget slow = Fixtures.target("1.0.0", Fixtures.IRIS, Fixtures.IRIS_FEATURES)
                .withFault(new Fault(0, 2500, Instant.now().plusSeconds(600)));
        cp.table = new RoutingTable(1, Instant.now(), Map.of("iris",
                new ModelRoute("iris", List.of(slow), null, ServingPolicy.defaults())));
    }

    @AfterEach
    void stop() {
        cp.close();
    }

    private HttpRequest predict(URI node) {
        return HttpRequest.newBuilder(node.resolve("/predict/iris")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ROW)).build();
    }

    private HttpResponse<String> get(URI node, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(node.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Readiness and new work refused while the request in flight is still running; then it answers 200. */
    private void assertDrains(URI node, CompletableFuture<HttpResponse<String>> inFlight) throws Exception {
        HttpResponse<String> health = get(node, "/health");
        assertEquals(503, health.statusCode(), health.body());
        assertEquals("DRAINING", json.readTree(health.body()).get("status").asText());
        assertFalse(json.readTree(health.body()).get("ready").asBoolean());
        assertEquals(503, get(node, "/v2/health/ready").statusCode());
        assertEquals(200, get(node, "/v2/health/live").statusCode(), "alive while it drains");

        HttpResponse<String> refused = http.send(predict(node), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("shutting_down", json.readTree(refused.body()).get("error").asText());
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
        assertFalse(inFlight.isDone(), "the check ran while the first request was still in flight");

        HttpResponse<String> finished = inFlight.get(30, TimeUnit.SECONDS);
        assertEquals(200, finished.statusCode(), finished.body());
        assertEquals("1.0.0", json.readTree(finished.body()).get("model_version").asText());
    }

    @Test
    void closeFinishesTheRequestInFlightAndRefusesNewOnes() throws Exception {
        DataPlane node = DataPlane.start(cp.nodeConfig(home).withServing(new ServingDefaults(0, 0, null,
                Duration.ofSeconds(30))));
        CompletableFuture<Void> closed = new CompletableFuture<>();
        try {
            await().atMost(WAIT).until(() -> node.servingRevision() == 1);
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(predict(node.uri()),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(WAIT).until(() -> node.inFlight() == 1);
            URI uri = node.uri();
            Thread.ofVirtual().start(() -> {
                node.close();
                closed.complete(null);
            });
            await().atMost(WAIT).until(node::draining);
            assertDrains(uri, inFlight);
            closed.get(30, TimeUnit.SECONDS);
        } finally {
            node.close();
        }
    }

    @Test
    void theDrainIsBoundedByItsTimeout() throws Exception {
        DataPlane node = DataPlane.start(cp.nodeConfig(home).withServing(new ServingDefaults(0, 0, null,
                Duration.ofMillis(200))));
        await().atMost(WAIT).until(() -> node.servingRevision() == 1);
        http.sendAsync(predict(node.uri()), HttpResponse.BodyHandlers.ofString());
        await().atMost(WAIT).until(() -> node.inFlight() == 1);
        long start = System.nanoTime();
        node.close();
        long took = System.nanoTime() - start;
        assertTrue(took < TimeUnit.MILLISECONDS.toNanos(2400), "stopped after the 200 ms drain timeout, not after the "
                + "2.5 s request: " + took / 1_000_000 + " ms");
    }

    @Test
    void sigtermDrainsTheNodeProcess() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), "io.modelmesh.dataplane.Main", "--port", "0",
                "--control-plane", cp.uri().toString(), "--home", home.toString(), "--node-id", "node-sigterm",
                "--drain-timeout", "30s"));
        Path argfile = home.resolve("java.args"); // the class path is long; onnxruntime dislikes long command lines
        Files.writeString(argfile, String.join("\n", command.subList(1, command.size()).stream()
                .map(a -> "\"" + a.replace("\\", "\\\\") + "\"").toList()));
        Path output = home.resolve("node.log");
        ProcessBuilder pb = new ProcessBuilder(command.getFirst(), "@" + argfile).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().put("MM_JOIN_TOKEN", StubControlPlane.JOIN);
        Process p = pb.start();
        try {
            URI node = readyUri(output, p);
            await().atMost(WAIT).until(() -> http.send(predict(node), HttpResponse.BodyHandlers.ofString())
                    .statusCode() == 200); // joined, caught up, serving
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(predict(node),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(WAIT).until(() -> inFlightOf(node) == 1);
            p.destroy(); // SIGTERM
            await().atMost(WAIT).until(() -> get(node, "/health").statusCode() == 503);
            assertDrains(node, inFlight);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the node exits once drained");
            String log = Files.readString(output);
            assertEquals(143, p.exitValue(), "terminated by SIGTERM after its shutdown hook ran:\n" + log);
            assertTrue(log.contains("node-sigterm draining") && log.contains("node-sigterm stopped"), log);
        } finally {
            p.destroyForcibly();
        }
    }

    /** The node's {@code admission_running} for iris (what is past the gate, held by the injected latency). */
    private double inFlightOf(URI node) throws Exception {
        String metrics = get(node, "/metrics").body();
        return PrometheusText.value(metrics, "admission_running", java.util.Map.of("model", "iris",
                "version", "1.0.0")).orElse(-1);
    }

    /** The URL the node prints once it serves ({@code data plane ID ready on URL}). */
    private static URI readyUri(Path output, Process p) throws Exception {
        String[] found = new String[1];
        await().atMost(WAIT).until(() -> {
            if (!p.isAlive()) {
                throw new AssertionError("the node exited: " + Files.readString(output));
            }
            for (String line : Files.readAllLines(output)) {
                int at = line.indexOf(" ready on ");
                if (line.startsWith("data plane ") && at > 0) {
                    found[0] = line.substring(at + " ready on ".length()).trim();
                    return true;
                }
            }
            return false;
        });
        return URI.create(found[0]);
    }
}
