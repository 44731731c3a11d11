package io.modelmesh.server.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.modelmesh.api.trace.TraceParent;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request log and span export on a real Helidon server, read back through a JSON parser. */
class RequestObserverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "mm_s3cr3t-token-value-0123456789";
    private static final TraceParent CALLER = TraceParent.parse(
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        private final JsonLogFormatter formatter = new JsonLogFormatter("test");

        @Override
        public void publish(LogRecord record) {
            lines.add(formatter.format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final HttpClient http = HttpClient.newHttpClient();
    private WebServer server;
    private RequestObserver observer;
    private HttpServer collector;
    private final List<JsonNode> spans = new CopyOnWriteArrayList<>();
    private volatile TraceParent outgoingSeen;

    @BeforeEach
    void captureLog() {
        RequestObserver.LOG.addHandler(capture);
        RequestObserver.LOG.setLevel(Level.INFO);
    }

    @AfterEach
    void stop() {
        RequestObserver.LOG.removeHandler(capture);
        if (server != null) {
            server.stop();
        }
        if (observer != null) {
            observer.close();
        }
        if (collector != null) {
            collector.stop(0);
        }
    }

    private void start(Observability settings) {
        observer = RequestObserver.create(settings, "test-service");
        server = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r.addFilter(observer.filter())
                .get("/ok", (req, res) -> {
                    outgoingSeen = RequestTelemetry.outgoing();
                    res.send("ok");
                })
                .post("/predict/{model}", (req, res) -> {
                    RequestTelemetry.answer(req, res);
                    RequestTelemetry.model(req, req.path().pathParameters().get("model"), "1.2.0");
                    res.send("{}");
                })
                .get("/boom", (req, res) -> res.status(Status.INTERNAL_SERVER_ERROR_500).send("no"))
                .any((req, res) -> res.status(Status.NOT_FOUND_404).send("none"))).build().start();
    }

    private HttpResponse<String> call(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
                        : HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<JsonNode> parsed() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines) {
            assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
            out.add(JSON.readTree(line));
        }
        return out;
    }

    /** The log line is written once the answer is sent: after the client has it, so wait for it. */
    private JsonNode awaitLine(String path) {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> parsed().stream()
                .filter(n -> path.equals(n.path("path").asText())).findFirst().orElse(null), n -> n != null);
    }

    @Test
    void failuresAreLoggedWithTheirIdsAndSuccessesAreNot() throws Exception {
        start(Observability.defaults());
        assertEquals(200, call("GET", "/ok").statusCode());
        assertEquals(404, call("GET", "/missing", "X-Request-ID", "req-404", "traceparent", CALLER.header())
                .statusCode());
        assertEquals(500, call("GET", "/boom").statusCode());
        JsonNode missing = awaitLine("/missing");
        assertEquals("io.modelmesh.request", missing.get("logger").asText());
        assertEquals("INFO", missing.get("level").asText());
        assertEquals(404, missing.get("status").asInt());
        assertEquals("GET", missing.get("method").asText());
        assertEquals("req-404", missing.get("request_id").asText());
        assertEquals(CALLER.traceId(), missing.get("trace_id").asText());
        assertTrue(missing.get("latency_ms").isNumber());
        assertTrue(missing.has("time") && missing.has("message"));
        JsonNode boom = awaitLine("/boom");
        assertEquals("WARN", boom.get("level").asText());
        assertEquals(500, boom.get("status").asInt());
        assertFalse(parsed().stream().anyMatch(n -> n.path("path").asText().equals("/ok")),
                "a fast success is not logged without the access log: " + lines);
    }

    @Test
    void slowRequestsAndWithTheAccessLogEveryRequestIsLogged() throws Exception {
        start(Observability.defaults().withSlowRequest(Duration.ofNanos(1)));
        call("GET", "/ok");
        JsonNode slow = awaitLine("/ok");
        assertTrue(slow.get("slow").asBoolean());
        assertEquals("WARN", slow.get("level").asText());
        stop();
        lines.clear();
        captureLog();
        start(Observability.defaults().withAccessLog(true));
        HttpResponse<String> res = call("POST", "/predict/iris", "traceparent", CALLER.header());
        TraceParent answered = TraceParent.parse(res.headers().firstValue("traceparent").orElseThrow());
        assertEquals(CALLER.traceId(), answered.traceId(), "the answer's span is in the caller's trace");
        assertNotEquals(CALLER.spanId(), answered.spanId());
        JsonNode line = awaitLine("/predict/iris");
        assertEquals("iris", line.get("model").asText());
        assertEquals("1.2.0", line.get("version").asText());
        assertEquals(200, line.get("status").asInt());
        assertEquals(answered.spanId(), line.get("span_id").asText());
        assertFalse(line.has("slow"));
    }

    @Test
    void noSecretReachesALine() throws Exception {
        start(Observability.defaults().withAccessLog(true));
        call("GET", "/ok?token=" + SECRET, "Authorization", "Bearer " + SECRET);
        call("GET", "/missing/" + "x?password=" + SECRET, "Authorization", "Bearer " + SECRET, "Cookie", SECRET);
        awaitLine("/ok");
        awaitLine("/missing/x");
        assertEquals(2, lines.size(), lines.toString());
        lines.forEach(l -> assertFalse(l.contains(SECRET), l));
    }

    @Test
    void spansReachTheCollectorInTheCallersTrace() throws Exception {
        collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/api/v2/spans", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
            }
            JSON.readTree(body).forEach(spans::add);
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        collector.start();
        start(Observability.defaults().withTracingEndpoint(URI.create("http://127.0.0.1:"
                + collector.getAddress().getPort() + "/api/v2/spans")));
        HttpResponse<String> res = call("POST", "/predict/iris", "traceparent", CALLER.header());
        TraceParent answered = TraceParent.parse(res.headers().firstValue("traceparent").orElseThrow());
        assertEquals(CALLER.traceId(), answered.traceId());
        assertNotEquals(CALLER.spanId(), answered.spanId(), "a span of its own, not the caller's");
        HttpResponse<String> root = call("GET", "/ok");
        assertEquals(200, root.statusCode());
        assertNotNull(outgoingSeen, "a handler's outgoing calls get a span of its trace");

        JsonNode span = Awaitility.await("the span at the collector").atMost(Duration.ofSeconds(20))
                .until(() -> spans.stream().filter(s -> s.path("id").asText().equals(answered.spanId()))
                        .findFirst().orElse(null), s -> s != null);
        assertEquals(CALLER.traceId(), span.get("traceId").asText());
        assertEquals(CALLER.spanId(), span.path("parentId").asText(), "a child of the caller's span: " + span);
        assertEquals("test-service", span.at("/localEndpoint/serviceName").asText());
        assertEquals("SERVER", span.path("kind").asText(span.at("/tags/span.kind").asText().toUpperCase()));
        assertEquals("200", span.at("/tags/http.status_code").asText());
        assertEquals("iris", span.at("/tags/model").asText());

        JsonNode rootSpan = Awaitility.await("the new trace's span").atMost(Duration.ofSeconds(20))
                .until(() -> spans.stream().filter(s -> s.at("/tags/http.path").asText().equals("/ok"))
                        .findFirst().orElse(null), s -> s != null);
        assertFalse(rootSpan.has("parentId"), "a request without traceparent starts a trace");
        String padded = "0".repeat(32 - rootSpan.get("traceId").asText().length()) + rootSpan.get("traceId").asText();
        assertEquals(padded, outgoingSeen.traceId(), "outgoing calls carry the server span's trace");
        assertEquals(rootSpan.get("id").asText(), outgoingSeen.spanId(), "and name it as their parent");
        lines.forEach(l -> assertFalse(l.contains("Exception"), l));
    }
}
