package io.modelmesh.dataplane;

import io.modelmesh.metrics.PrometheusText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.Json;
import io.modelmesh.api.Prediction;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingAck;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.sdk.ModelMeshClient;
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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real node on real sockets with ONNX Runtime and the committed fixture, fed by a scripted control plane. */
class DataPlaneIT {
    private static final double TOLERANCE = 1e-5;
    private final ObjectMapper json = Json.mapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonNode reference = Fixtures.reference();

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
        // the node registers, learns revision 1 exists, fetches /routing and loads it: the catch-up path
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
    void servesTheReferenceOutputsForEveryRow() {
        JsonNode inputs = reference.get("inputs");
        for (int r = 0; r < inputs.size(); r++) {
            Prediction p = client.predict("iris", null, "{\"inputs\": " + inputs.get(r) + "}");
            assertEquals("iris", p.model());
            assertEquals("1.0.0", p.modelVersion());
            assertFalse(p.cached());
            assertRow(reference.get("outputs").get("logits").get(r), p.outputs().get("logits"), "logits row " + r);
            assertRow(reference.get("outputs").get("probabilities").get(r), p.outputs().get("probabilities"),
                    "probabilities row " + r);
        }
    }

    @Test
    void everyPredictionAnswersATraceparentInTheCallersTrace() throws Exception {
        String given = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        for (String path : List.of("/predict/iris", "/predict/no-such-model")) {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(node.uri().resolve(path))
                    .header("Content-Type", "application/json").header("traceparent", given)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [5.1, 3.5, 1.4, 0.2]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String answered = res.headers().firstValue("traceparent").orElseThrow(() -> new AssertionError(path));
            assertTrue(answered.matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01"), path + ": " + answered);
            assertFalse(answered.equals(given), "the node's own span, in the caller's trace");
        }
        HttpResponse<String> fresh = post("/v2/models/iris/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": "
                + "[1, 4], \"datatype\": \"FP32\", \"data\": [5.1, 3.5, 1.4, 0.2]}]}");
        assertEquals(200, fresh.statusCode(), fresh.body());
        assertTrue(fresh.headers().firstValue("traceparent").orElse("").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"),
                "without one, a new trace: " + fresh.headers().map());
    }

    @Test
    void namedInputsAndBatchGiveTheSameNumbers() {
        JsonNode row = reference.get("inputs").get(1);
        String named = "{\"inputs\": {\"petal_width\": " + row.get(3) + ", \"petal_length\": " + row.get(2)
                + ", \"sepal_width\": " + row.get(1) + ", \"sepal_length\": " + row.get(0) + "}}";
        assertRow(reference.get("outputs").get("logits").get(1), client.predict("iris", "1.0.0", named).outputs()
                .get("logits"), "named row");

        Prediction batch = client.predictBatch("iris", null, "{\"instances\": " + reference.get("inputs") + "}");
        List<?> rows = (List<?>) batch.outputs().get("logits");
        assertEquals(reference.get("inputs").size(), rows.size());
        for (int r = 0; r < rows.size(); r++) {
            assertRow(reference.get("outputs").get("logits").get(r), rows.get(r), "batch row " + r);
        }
    }

    @Test
    void openInferenceProtocolV2() throws Exception {
        JsonNode in = reference.get("inputs");
        StringBuilder flat = new StringBuilder();
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 4; c++) {
                flat.append(flat.isEmpty() ? "" : ",").append(in.get(r).get(c));
            }
        }
        HttpResponse<String> res = post("/v2/models/iris/infer", "{\"id\": \"abc\", \"inputs\": [{\"name\": \"input\", "
                + "\"shape\": [2, 4], \"datatype\": \"FP32\", \"data\": [" + flat + "]}], \"outputs\": [{\"name\": \"logits\"}]}");
        assertEquals(200, res.statusCode(), res.body());
        JsonNode body = json.readTree(res.body());
        assertEquals("abc", body.get("id").asText());
        assertEquals("1.0.0", body.get("model_version").asText());
        assertEquals(1, body.get("outputs").size(), "only the requested output");
        JsonNode logits = body.get("outputs").get(0);
        assertEquals("[2,3]", logits.get("shape").toString());
        assertEquals("FP32", logits.get("datatype").asText());
        for (int i = 0; i < 6; i++) {
            double expected = reference.get("outputs").get("logits").get(i / 3).get(i % 3).asDouble();
            assertEquals(expected, logits.get("data").get(i).asDouble(), TOLERANCE);
        }

        JsonNode meta = json.readTree(get("/v2/models/iris").body());
        assertEquals("onnxruntime_onnx", meta.get("platform").asText());
        assertEquals("input", meta.get("inputs").get(0).get("name").asText());
        assertEquals("[-1,4]", meta.get("inputs").get(0).get("shape").toString());
        assertEquals(200, get("/v2/models/iris/versions/1.0.0/ready").statusCode());
        assertEquals(404, get("/v2/models/iris/versions/2.0.0/ready").statusCode());
        assertEquals(200, get("/v2/health/live").statusCode());
        assertEquals(200, get("/v2/health/ready").statusCode());
        assertTrue(get("/v2").body().contains("modelmesh-dataplane"));

        HttpResponse<String> bad = post("/v2/models/iris/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], "
                + "\"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}");
        assertEquals(400, bad.statusCode());
        assertTrue(json.readTree(bad.body()).get("error").asText().contains("the model takes 4 per row"), bad.body());
    }

    @Test
    void badInputGetsA4xxThatSaysWhatToFixAndTheNodeKeepsServing() throws Exception {
        Map<String, String> cases = Map.of(
                "{\"inputs\": [1, 2, 3]}", "row 0 has 3 values",
                "{\"inputs\": [1, 2, \"three\", 4]}", "expected a number",
                "{\"inputs\": [1, 2, NaN, 4]}", "NaN and Infinity are not valid",
                "{\"inputs\": [1, 2, 1e300, 4]}", "outside the float32 range",
                "{\"inputs\": [1, 2,", "malformed JSON",
                "{\"inputs\": {\"sepal_length\": 1}}", "missing feature(s)");
        for (var c : cases.entrySet()) {
            HttpResponse<String> res = post("/predict/iris", c.getKey());
            assertEquals(400, res.statusCode(), c.getKey());
            JsonNode err = json.readTree(res.body());
            assertEquals("invalid_input", err.get("error").asText());
            assertTrue(err.get("message").asText().contains(c.getValue()), c.getKey() + " -> " + res.body());
        }
        HttpResponse<String> unknown = post("/predict/nope", "{\"inputs\": [1, 2, 3, 4]}");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("model 'nope' is not deployed"), unknown.body());
        HttpResponse<String> version = post("/predict/iris?version=9.9.9", "{\"inputs\": [1, 2, 3, 4]}");
        assertEquals(404, version.statusCode());
        assertTrue(version.body().contains("[1.0.0]"), version.body());
        servesTheReferenceOutputsForEveryRow();
        String metrics = get("/metrics").body();
        assertEquals(6, PrometheusText.valueOrZero(metrics, "predictions_total", Map.of("model", "iris",
                "version", "1.0.0", "outcome", "client_error")), metrics);
        assertEquals(1, PrometheusText.valueOrZero(metrics, "predictions_total", Map.of("model", "_unknown",
                "version", "", "outcome", "client_error")), metrics);
        assertEquals(8, PrometheusText.valueOrZero(metrics, "prediction_latency_seconds_count", Map.of("model",
                "iris", "version", "1.0.0")), metrics);
    }

    @Test
    void emptyOversizedAndMisroutedRequestsGetTheErrorShapeAndTheNodeKeepsServing() throws Exception {
        HttpResponse<String> empty = http.send(HttpRequest.newBuilder(node.uri().resolve("/predict/iris"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, empty.statusCode(), empty.body());
        assertTrue(json.readTree(empty.body()).get("message").asText().startsWith("empty body: send {\"inputs\""),
                empty.body());

        // over raw sockets that read the answer while the body is still being sent: a body over the limit is
        // answered and the connection closed before its end, and an HTTP client that is still writing then may see
        // the reset instead of the answer
        String declared = rawPost("Content-Length: " + ((16 << 20) + 1), null);
        assertTrue(declared.startsWith("HTTP/1.1 413"), declared);
        assertEquals("payload_too_large", json.readTree(entity(declared)).get("error").asText(), declared);
        byte[] big = new byte[(16 << 20) + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        String chunked = rawPost("Transfer-Encoding: chunked", big);
        assertTrue(chunked.startsWith("HTTP/1.1 413"), chunked);
        assertTrue(json.readTree(entity(chunked)).get("message").asText().contains("limit of 16777216 bytes"),
                chunked);

        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(node.uri().resolve("/predict/iris"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [1,2,3,4]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, plain.statusCode(), "a browser's cross-site simple request is not read as JSON");
        assertTrue(plain.body().contains("Content-Type: application/json"), plain.body());

        HttpResponse<String> unknown = get("/nowhere");
        assertEquals(404, unknown.statusCode());
        assertTrue(json.readTree(unknown.body()).get("message").asText().contains("no endpoint GET /nowhere"),
                unknown.body());
        HttpResponse<String> wrongMethod = get("/predict/iris");
        assertEquals(404, wrongMethod.statusCode());
        assertTrue(wrongMethod.body().contains("no endpoint GET /predict/iris"), wrongMethod.body());

        servesTheReferenceOutputsForEveryRow();
    }

    @Test
    void requestIdIsHonouredAndEchoed() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(node.uri().resolve("/predict/iris"))
                .header("X-Request-ID", "trace-42").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [1,2,3,4]}"))
                .build();
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals("trace-42", res.headers().firstValue("X-Request-ID").orElseThrow());
        assertEquals("trace-42", json.readTree(res.body()).get("request_id").asText());
        HttpResponse<String> generated = post("/predict/iris", "{\"inputs\": [1,2,3,4]}");
        String id = json.readTree(generated.body()).get("request_id").asText();
        assertEquals(16, id.length());
        assertEquals(id, generated.headers().firstValue("X-Request-ID").orElseThrow());
        HttpResponse<String> failed = http.send(HttpRequest.newBuilder(node.uri().resolve("/predict/iris"))
                .header("X-Request-ID", "trace-43").POST(HttpRequest.BodyPublishers.ofString("{")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("trace-43", json.readTree(failed.body()).get("request_id").asText());
    }

    @Test
    void aModelWhoseArtifactDoesNotVerifyOrLoadKeepsItsPreviousVersionAndIsReported() throws Exception {
        RouteTarget good = Fixtures.target("2.0.0", Fixtures.IRIS, Fixtures.IRIS_FEATURES);
        String fakeSha = "ab".repeat(32);
        cp.serveAs(fakeSha, Files.readAllBytes(Fixtures.IRIS)); // bytes that do not hash to the name
        RouteTarget tampered = new RouteTarget("2.0.0", "onnx", fakeSha, good.sizeBytes(), 100, RouteTarget.Role.STABLE,
                good.schema());
        RoutingAck ack = push(Fixtures.table(2, "iris", tampered));
        assertFalse(ack.applied());
        assertEquals(2, ack.servingRevision(), "the revision is taken, the failed model left on what it had");
        assertTrue(ack.failed().get("iris").contains("arrived with sha256 " + good.sha256()), ack.failed().toString());
        assertTrue(ack.error().contains("iris: version 2.0.0"), ack.error());
        assertEquals("1.0.0", client.predict("iris", 1, 2, 3, 4).modelVersion());
        assertFalse(Files.exists(home.resolve("nodes/node-test/artifacts/" + fakeSha)), "nothing half-written kept");
        assertTrue(get("/health").body().contains("\"failed\":{\"iris\":"), get("/health").body());

        cp.serve(Fixtures.CORRUPT);
        RoutingAck corrupt = push(Fixtures.table(3, "iris", Fixtures.target("3.0.0", Fixtures.CORRUPT, List.of())));
        assertFalse(corrupt.applied());
        assertTrue(corrupt.failed().get("iris").contains("not a valid ONNX model"), corrupt.error());
        assertEquals("1.0.0", client.predict("iris", 1, 2, 3, 4).modelVersion());
    }

    @Test
    void revisionsOnlyMoveForward() throws Exception {
        RoutingAck v2 = push(Fixtures.table(5, "iris", Fixtures.target("2.0.0", Fixtures.IRIS, Fixtures.IRIS_FEATURES)));
        assertTrue(v2.applied());
        assertEquals(5, v2.servingRevision());
        assertEquals("2.0.0", client.predict("iris", 1, 2, 3, 4).modelVersion());
        RoutingAck stale = push(Fixtures.table(4, "iris", Fixtures.target("1.0.0", Fixtures.IRIS, Fixtures.IRIS_FEATURES)));
        assertTrue(stale.applied(), "a stale push is acknowledged");
        assertEquals(5, stale.servingRevision(), "but the node stays on the newer revision");
        assertEquals("2.0.0", client.predict("iris", 1, 2, 3, 4).modelVersion());
        assertEquals(1, cp.downloads.get(), "same bytes under a new version are not downloaded again");
    }

    @Test
    void restartedNodeServesItsLastTableWhileTheControlPlaneIsDown() throws Exception {
        push(Fixtures.table(7, "iris", Fixtures.target("1.1.0", Fixtures.IRIS, Fixtures.IRIS_FEATURES)));
        node.close();
        cp.close();
        node = DataPlane.start(cp.nodeConfig(home));
        assertEquals(7, node.servingRevision(), "restored from disk before the server took traffic");
        client = ModelMeshClient.builder().controlPlane(cp.uri()).dataPlanes(List.of(node.uri())).build();
        Prediction p = client.predict("iris", null, "{\"inputs\": " + reference.get("inputs").get(0) + "}");
        assertEquals("1.1.0", p.modelVersion());
        assertRow(reference.get("outputs").get("logits").get(0), p.outputs().get("logits"), "after restart");
        Await.until(() -> get("/health").body().contains("\"control_plane\":\"unreachable\""), Duration.ofSeconds(10),
                "health to report the control plane unreachable");
        cp = new StubControlPlane(); // so @AfterEach has one to close
    }

    private RoutingAck push(RoutingTable table) throws Exception {
        return cp.push(node, table);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(node.uri().resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(node.uri().resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertRow(JsonNode expected, Object actual, String what) {
        List<?> values = (List<?>) actual;
        assertEquals(expected.size(), values.size(), what);
        for (int i = 0; i < values.size(); i++) {
            assertEquals(expected.get(i).asDouble(), ((Number) values.get(i)).doubleValue(), TOLERANCE, what + "[" + i + "]");
        }
    }


    /**
     * POSTs JSON to {@code /predict/iris} over a raw socket and returns the answer (head and entity);
     * {@code chunkedBody} (or none) is sent chunked by another thread meanwhile.
     */
    private String rawPost(String lengthHeader, byte[] chunkedBody) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", node.port())) {
            s.setSoTimeout(30_000);
            java.io.OutputStream out = s.getOutputStream();
            out.write(("POST /predict/iris HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + lengthHeader + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.flush();
            Thread sender = Thread.ofVirtual().start(() -> {
                if (chunkedBody == null) {
                    return;
                }
                try {
                    for (int off = 0; off < chunkedBody.length; off += 64 * 1024) {
                        int n = Math.min(64 * 1024, chunkedBody.length - off);
                        out.write((Integer.toHexString(n) + "\r\n")
                                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                        out.write(chunkedBody, off, n);
                        out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                    }
                    out.write("0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (java.io.IOException e) {
                    // the node stopped reading at its limit and closed the connection
                }
            });
            java.io.InputStream in = s.getInputStream();
            java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
            while (!head.toString(java.nio.charset.StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                assertTrue(b >= 0, "closed after " + head);
                head.write(b);
            }
            String headers = head.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)")
                    .matcher(headers);
            assertTrue(length.find(), headers);
            String answer = headers + new String(in.readNBytes(Integer.parseInt(length.group(1))),
                    java.nio.charset.StandardCharsets.UTF_8);
            s.close(); // ends the sender too
            sender.join(30_000);
            return answer;
        }
    }

    private static String entity(String rawAnswer) {
        return rawAnswer.substring(rawAnswer.indexOf("\r\n\r\n") + 4);
    }
}
