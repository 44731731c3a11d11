package io.modelmesh.dataplane.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.modelmesh.api.Json;
import io.modelmesh.server.errors.JsonDirectHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's one error path on a real socket: a bug (an exception nobody maps) answers a JSON 500 {@code internal}
 * with the request id and no detail, and a request Helidon refuses before routing answers JSON too.
 */
class ErrorMappingIT {
    private final HttpClient http = HttpClient.newHttpClient();
    private WebServer server;
    private URI uri;

    @BeforeEach
    void start() {
        server = WebServer.builder().host("127.0.0.1").port(0).directHandlers(JsonDirectHandler.all())
                .routing(r -> {
                    r.get("/boom", (req, res) -> {
                        throw new IllegalStateException("secret internal detail");
                    });
                    r.post("/v2/models/m/infer", (req, res) -> {
                        throw new NullPointerException("secret internal detail");
                    });
                    ErrorMapping.register(r);
                }).build().start();
        uri = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void anUnexpectedExceptionAnswersJsonWithTheRequestIdAndNoDetail() throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri.resolve("/boom"))
                .header("X-Request-ID", "req-42").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(500, res.statusCode(), res.body());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = Json.mapper().readTree(res.body());
        assertEquals(500, body.get("status").asInt());
        assertEquals("internal", body.get("error").asText());
        assertEquals("req-42", body.get("request_id").asText());
        assertEquals("req-42", res.headers().firstValue("X-Request-ID").orElseThrow());
        assertFalse(res.body().contains("secret"), "no exception message in the answer: " + res.body());
        assertFalse(res.body().contains("at io.modelmesh"), "no stack trace in the answer");

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri.resolve("/boom")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String id = Json.mapper().readTree(anonymous.body()).get("request_id").asText();
        assertEquals(16, id.length(), "a new id to quote: " + anonymous.body());
        assertEquals(id, anonymous.headers().firstValue("X-Request-ID").orElseThrow());
    }

    @Test
    void openInferenceRoutesKeepTheirErrorShape() throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri.resolve("/v2/models/m/infer"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(500, res.statusCode());
        JsonNode body = Json.mapper().readTree(res.body());
        assertEquals("internal", body.get("code").asText());
        assertTrue(body.get("error").asText().startsWith("the node failed"), res.body());
    }

    @Test
    void aRequestRefusedBeforeRoutingAnswersJson() throws Exception {
        String raw = rawExchange("GET /boom HTTP/1.1\r\nHost: x\r\nX-Request-ID: raw-1\r\nNot a header line\r\n\r\n");
        assertTrue(raw.startsWith("HTTP/1.1 400"), raw);
        String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        JsonNode json = Json.mapper().readTree(body);
        assertEquals(400, json.get("status").asInt(), raw);
        assertEquals("invalid_request", json.get("error").asText(), raw);
        assertTrue(raw.toLowerCase().contains("content-type: application/json"), raw);
    }

    private String rawExchange(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder sb = new StringBuilder();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) { // the server closes the connection after a bad request
                sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                int headerEnd = sb.indexOf("\r\n\r\n");
                if (headerEnd > 0 && complete(sb, headerEnd)) {
                    break;
                }
            }
            return sb.toString();
        }
    }

    private static boolean complete(StringBuilder sb, int headerEnd) {
        String head = sb.substring(0, headerEnd).toLowerCase();
        int i = head.indexOf("content-length:");
        if (i < 0) {
            return false;
        }
        int end = head.indexOf("\r\n", i);
        long length = Long.parseLong(head.substring(i + 15, end < 0 ? head.length() : end).trim());
        return sb.length() - headerEnd - 4 >= length;
    }
}
