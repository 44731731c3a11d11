package io.modelmesh.dataplane;

import io.modelmesh.metrics.PrometheusText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks on a node's request handling over real sockets: bodies that are announced and never sent, bodies past the
 * node's budget, random model names, OIP shapes that overflow. The node's memory stays bounded and it keeps serving.
 */
class BoundedRequestsIT {
    private static final int SLOW_SOCKETS = 100;
    private static final long ANNOUNCED = 16L << 20; // the node's default body limit: announced, never sent
    private final ObjectMapper json = Json.mapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path home;
    private StubControlPlane cp;
    private DataPlane node;
    private final List<Socket> sockets = new ArrayList<>();

    private void start(NodeLimits limits) throws IOException {
        cp = new StubControlPlane();
        cp.serve(Fixtures.IRIS);
        cp.table = Fixtures.table(1, "iris", Fixtures.target("1.0.0", Fixtures.IRIS, Fixtures.IRIS_FEATURES));
        node = DataPlane.start(cp.nodeConfig(home).withLimits(limits));
        Await.until(() -> node.servingRevision() == 1, Duration.ofSeconds(30), "node to load revision 1");
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (node != null) {
            node.close();
        }
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void aHundredConnectionsThatAnnounceSixteenMebibytesAndSendOneByteDoNotGrowTheNode() throws Exception {
        start(NodeLimits.defaults());
        long before = heapAfterGc();
        for (int i = 0; i < SLOW_SOCKETS; i++) {
            sockets.add(slowBody("/predict/iris", ANNOUNCED));
        }
        // every handler is now blocked reading its body, holding only the first buffer
        await().atMost(Duration.ofSeconds(30)).until(() -> bodyBytesHeld() == SLOW_SOCKETS * 64L * 1024);
        long after = heapAfterGc();
        long grownMiB = (after - before) >> 20;
        System.out.printf("heap used after GC: before %d MiB, with %d slow bodies %d MiB (+%d MiB)%n", before >> 20,
                SLOW_SOCKETS, after >> 20, grownMiB);
        assertTrue(grownMiB < 64, "the node did not allocate what the bodies announced: +" + grownMiB + " MiB");
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> res = post("/predict/iris", "{\"inputs\": [5.1, 3.5, 1.4, 0.2]}");
            assertEquals(200, res.statusCode(), "the node keeps serving meanwhile: " + res.body());
        }
    }

    @Test
    void pastTheBodyBudgetRequestsAre503WithRetryAfterAndOneOverLimitBodyIs413() throws Exception {
        start(NodeLimits.defaults().withBodies(Duration.ofSeconds(30), 1L << 20));
        for (int i = 0; i < 16; i++) { // 16 x 64 KiB first buffers: the whole 1 MiB budget
            sockets.add(slowBody("/predict/iris", ANNOUNCED));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> bodyBytesHeld() == 1L << 20);
        HttpResponse<String> busy = post("/predict/iris", "{\"inputs\": [5.1, 3.5, 1.4, 0.2]}");
        assertEquals(503, busy.statusCode(), busy.body());
        assertEquals("1", busy.headers().firstValue("Retry-After").orElse(null));
        assertTrue(busy.body().contains("MM_MAX_INFLIGHT_BYTES"), busy.body());
        for (Socket s : sockets) {
            s.close();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> bodyBytesHeld() == 0);
        assertEquals(200, post("/predict/iris", "{\"inputs\": [5.1, 3.5, 1.4, 0.2]}").statusCode());

        Socket tooLarge = raw("/predict/iris", ANNOUNCED + 1);
        String answer = new String(tooLarge.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
        assertEquals("HTTP/1.1 413", answer, "refused from the announced length, before any byte of the body");
    }

    @Test
    void aBodyThatStopsArrivingIsCutOffAtTheReadTimeout() throws Exception {
        start(NodeLimits.defaults().withBodies(Duration.ofSeconds(1), NodeLimits.DEFAULT_MAX_INFLIGHT_BYTES));
        Socket slow = slowBody("/predict/iris", 1000);
        await().atMost(Duration.ofSeconds(10)).until(() -> bodyBytesHeld() == 1000);
        long start = System.nanoTime();
        InputStream in = slow.getInputStream();
        slow.setSoTimeout(15_000);
        while (in.read() >= 0) {
            // whatever the server says before it closes
        }
        long closedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(closedMs < 5000, "the connection was closed at the read timeout: " + closedMs + " ms");
        await().atMost(Duration.ofSeconds(10)).until(() -> bodyBytesHeld() == 0);
        assertEquals(200, post("/predict/iris", "{\"inputs\": [5.1, 3.5, 1.4, 0.2]}").statusCode());
    }

    @Test
    void aThousandUnknownModelNamesShareOneMetricsSeries() throws Exception {
        start(NodeLimits.defaults());
        Random random = new Random(7);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String name = "m" + Long.toHexString(random.nextLong());
            names.add(name);
            String path = i % 2 == 0 ? "/predict/" + name : "/v2/models/" + name + "/infer";
            String body = i % 2 == 0 ? "{\"inputs\": [1, 2, 3, 4]}"
                    : "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}";
            assertEquals(404, post(path, body).statusCode());
        }
        assertEquals(404, post("/predict/iris?version=9.9.9", "{\"inputs\": [1, 2, 3, 4]}").statusCode());
        String metrics = get("/metrics");
        List<PrometheusText.Sample> series = PrometheusText.parse(metrics).stream()
                .filter(s -> s.name().equals("predictions_total")).toList();
        String shown = series.size() + " series, e.g. " + series.subList(0, Math.min(5, series.size()));
        assertTrue(series.size() <= 3, shown);
        assertEquals(1000, PrometheusText.valueOrZero(metrics, "predictions_total", Map.of("model", "_unknown",
                "version", "", "outcome", "client_error")), shown);
        assertEquals(1, PrometheusText.valueOrZero(metrics, "predictions_total", Map.of("model", "iris",
                "version", "_unknown", "outcome", "client_error")), shown);
        assertTrue(names.stream().noneMatch(metrics::contains), "no requested name became a label");
    }

    @Test
    void oipShapesThatOverflowOrClaimMoreThanTheDataAre400() throws Exception {
        start(NodeLimits.defaults());
        for (String shape : List.of("[4611686018427387904, 4]", "[3037000500, 3037000500]", "[4, 4611686018427387904]",
                "[9223372036854775807, 9223372036854775807, 2]", "[100000000, 4]")) {
            HttpResponse<String> res = post("/v2/models/iris/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": "
                    + shape + ", \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}");
            assertEquals(400, res.statusCode(), shape + ": " + res.body());
            JsonNode error = json.readTree(res.body());
            String message = error.get("error").asText();
            assertTrue(message.contains("shape " + shape.replace(" ", "")) || message.contains("data has 4 values"),
                    message);
        }
        HttpResponse<String> ok = post("/v2/models/iris/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 4], "
                + "\"datatype\": \"FP32\", \"data\": [5.1, 3.5, 1.4, 0.2]}]}");
        assertEquals(200, ok.statusCode(), ok.body());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** A connection that sends a request announcing {@code length} body bytes and then only the first one. */
    private Socket slowBody(String path, long length) throws IOException {
        Socket s = raw(path, length);
        s.getOutputStream().write('{');
        s.getOutputStream().flush();
        return s;
    }

    private Socket raw(String path, long length) throws IOException {
        Socket s = new Socket("127.0.0.1", node.port());
        OutputStream out = s.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return s;
    }

    private long bodyBytesHeld() {
        return (long) PrometheusText.value(get("/metrics"), "request_body_bytes", Map.of()).orElse(-1);
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(node.uri().resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(node.uri().resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
