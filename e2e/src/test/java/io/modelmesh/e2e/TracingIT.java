package io.modelmesh.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.modelmesh.api.NodeState;
import io.modelmesh.api.CreatedToken;
import io.modelmesh.api.DeployRequest;
import io.modelmesh.api.Prediction;
import io.modelmesh.api.TokenRequest;
import io.modelmesh.api.trace.TraceParent;
import io.modelmesh.controlplane.ControlPlane;
import io.modelmesh.controlplane.ControlPlaneConfig;
import io.modelmesh.dataplane.DataPlane;
import io.modelmesh.dataplane.DataPlaneConfig;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.Registration;
import io.modelmesh.server.observe.JsonLogFormatter;
import io.modelmesh.server.observe.Observability;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 item 3 on real parts: a control plane and a node with the access log on and spans going to a Zipkin
 * collector stand-in (an HTTP server in the test that reads what they post). A trace started by the SDK runs through
 * the control plane to the node it notifies; a prediction's trace comes back in its answer, its log line and its span;
 * every log line of both servers parses as JSON, and none holds a token.
 */
class TracingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MODELS = Path.of("..", "fixtures", "models");
    private static final List<String> FEATURES = List.of("sepal_length", "sepal_width", "petal_length",
            "petal_width");
    private static final List<JsonNode> SPANS = new CopyOnWriteArrayList<>();
    private static final List<String> LINES = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        private final JsonLogFormatter formatter = new JsonLogFormatter("test");

        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                LINES.add(formatter.format(record));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @TempDir
    static Path home;
    static HttpServer collector;
    static ControlPlane cp;
    static DataPlane node;
    static ModelMeshClient admin;
    static String adminToken;

    @BeforeAll
    static void start() throws Exception {
        Logger.getLogger("").addHandler(CAPTURE);
        collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/api/v2/spans", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
            }
            JSON.readTree(body).forEach(SPANS::add);
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        collector.start();
        Observability observed = Observability.defaults().withAccessLog(true).withTracingEndpoint(URI.create(
                "http://127.0.0.1:" + collector.getAddress().getPort() + "/api/v2/spans"));
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home), observed);
        node = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home).withNodeId("node-t")
                .withAnonymousPredict(false), observed);
        adminToken = Files.readString(home.resolve("admin-token")).strip();
        admin = ModelMeshClient.builder().controlPlane(cp.uri()).token(adminToken).build();
        Awaitility.await("the node to register").atMost(Duration.ofSeconds(60))
                .until(() -> admin.nodes().stream().anyMatch(n -> n.state() == NodeState.LIVE));
        admin.register(Registration.of("traced", MODELS.resolve("iris.onnx")).withFeatures(FEATURES));
        Awaitility.await("the node to serve the model").atMost(Duration.ofSeconds(60))
                .until(() -> node.servingRevision() >= admin.deployment("traced").id());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (cp != null) {
            cp.close();
        }
        if (collector != null) {
            collector.stop(0);
        }
        Logger.getLogger("").removeHandler(CAPTURE);
    }

    static JsonNode span(String service, String traceId, String name) {
        return Awaitility.await(service + "'s span " + name + " in trace " + traceId).atMost(Duration.ofSeconds(30))
                .until(() -> SPANS.stream().filter(s -> s.path("traceId").asText().equals(traceId)
                        && s.at("/localEndpoint/serviceName").asText().equals(service)
                        && s.path("name").asText().equals(name)).findFirst().orElse(null), s -> s != null);
    }

    static JsonNode line(String traceId, String path) {
        return Awaitility.await("the log line of " + path).atMost(Duration.ofSeconds(10))
                .until(() -> LINES.stream().map(TracingIT::parse).filter(n -> n.path("trace_id").asText()
                        .equals(traceId) && n.path("path").asText().equals(path)).findFirst().orElse(null),
                        n -> n != null);
    }

    static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    /** A new token reaches the node with its next token refresh: predict until it is accepted. */
    static void knownToTheNode(ModelMeshClient client) {
        Awaitility.await("the node to know the new token").atMost(Duration.ofSeconds(30))
                .ignoreException(ModelMeshException.UnauthorizedException.class)
                .until(() -> client.predict("traced", null, "{\"inputs\": [[5.1, 3.5, 1.4, 0.2]]}", Map.of()) != null);
    }

    @Test
    void aTraceFromTheSdkRunsThroughTheControlPlaneToTheNode() {
        TraceParent command = TraceParent.newTrace();
        admin.withTrace(command).deploy(new DeployRequest("traced", "1.0.0", null, null, null, 500));
        JsonNode cpSpan = span("modelmesh-controlplane", command.traceId(), "post /deployments");
        assertEquals(16, cpSpan.path("parentId").asText().length(), "a child of the span the SDK sent: " + cpSpan);
        JsonNode nodeSpan = span("modelmesh-node-t", command.traceId(), "post /internal/routing");
        assertEquals(cpSpan.get("id").asText(), nodeSpan.path("parentId").asText(),
                "the node's span is a child of the control plane's request");
        JsonNode logged = line(command.traceId(), "/deployments");
        assertEquals("io.modelmesh.request", logged.get("logger").asText());
        assertFalse(logged.path("request_id").asText().isEmpty(), "the control plane gives every request an id");
    }

    @Test
    void aPredictionAnswersLogsAndExportsTheCallersTrace() throws Exception {
        CreatedToken predictor = admin.createToken(new TokenRequest("tracing-it", List.of("predict"), null, null));
        ModelMeshClient client = ModelMeshClient.builder().controlPlane(cp.uri()).dataPlanes(List.of(node.uri()))
                .predictToken(predictor.token()).build();
        TraceParent caller = TraceParent.newTrace();
        knownToTheNode(client);
        Prediction p = client.predict("traced", null, "{\"inputs\": [[5.1, 3.5, 1.4, 0.2]]}",
                Map.of("traceparent", caller.header(), "X-Request-ID", "it-42"));
        assertEquals("traced", p.model());
        JsonNode logged = line(caller.traceId(), "/predict/traced");
        assertEquals("it-42", logged.get("request_id").asText());
        assertEquals("traced", logged.get("model").asText());
        assertEquals(p.modelVersion(), logged.get("version").asText());
        assertEquals(200, logged.get("status").asInt());
        assertTrue(logged.get("latency_ms").isNumber());
        JsonNode nodeSpan = span("modelmesh-node-t", caller.traceId(), "post /predict/{model}");
        assertEquals(caller.spanId(), nodeSpan.path("parentId").asText());
        assertEquals(logged.get("span_id").asText(), nodeSpan.get("id").asText());

        TraceParent failing = TraceParent.newTrace();
        ModelMeshException e = assertThrows(ModelMeshException.class, () -> client.withTrace(failing)
                .predict("no-such-model", null, "{\"inputs\": [[1, 2, 3, 4]]}", Map.of()));
        assertEquals(failing.traceId(), e.traceId(), "a failure names the trace to look for");
        assertEquals(404, line(failing.traceId(), "/predict/no-such-model").get("status").asInt());
    }

    @Test
    void everyLineIsJsonAndNoneHoldsAToken() throws Exception {
        CreatedToken created = admin.createToken(new TokenRequest("secret-check", List.of("predict"), null, null));
        ModelMeshClient bearer = ModelMeshClient.builder().controlPlane(cp.uri()).dataPlanes(List.of(node.uri()))
                .predictToken(created.token()).build();
        knownToTheNode(bearer);
        ModelMeshClient wrong = ModelMeshClient.builder().controlPlane(cp.uri()).dataPlanes(List.of(node.uri()))
                .predictToken(created.token() + "x").token(created.token() + "y").build();
        assertThrows(ModelMeshException.class, () -> wrong.predict("traced", null, "{\"inputs\": [[1, 2, 3, 4]]}",
                Map.of()));
        assertThrows(ModelMeshException.class, () -> wrong.listModels(0, 10, null));
        Awaitility.await("the refusals' log lines").atMost(Duration.ofSeconds(10))
                .until(() -> LINES.stream().map(TracingIT::parse).filter(n -> n.path("status").asInt() == 401)
                        .count() >= 2);
        String joinToken = Files.readString(home.resolve("join-token")).strip();
        assertTrue(LINES.size() > 10, "lines were captured: " + LINES.size());
        for (String l : LINES) {
            JsonNode n = parse(l);
            assertTrue(n.has("time") && n.has("level") && n.has("logger") && n.has("message"), l);
            for (String secret : List.of(adminToken, joinToken, created.token())) {
                assertFalse(l.contains(secret), "a token in a log line: " + l);
            }
        }
    }
}
