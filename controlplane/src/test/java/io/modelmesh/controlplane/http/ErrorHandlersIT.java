package io.modelmesh.controlplane.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.modelmesh.api.Json;
import io.modelmesh.server.errors.ConflictException;
import io.modelmesh.server.errors.JsonDirectHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control plane's one error path on a real socket: mapped exceptions and bugs alike answer the ErrorBody. */
class ErrorHandlersIT {
    private final HttpClient http = HttpClient.newHttpClient();
    private WebServer server;
    private URI uri;

    @BeforeEach
    void start() {
        server = WebServer.builder().host("127.0.0.1").port(0).directHandlers(JsonDirectHandler.all())
                .routing(r -> {
                    r.get("/boom", (req, res) -> {
                        throw new IllegalStateException("password=hunter2 in a message nobody should see");
                    });
                    r.get("/conflict", (req, res) -> {
                        throw new ConflictException("version 1.0.0 exists with other bytes");
                    });
                    ErrorHandlers.register(r, Json.mapper());
                }).build().start();
        uri = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void aBugAnswersInternalWithARequestIdAndNothingElse() throws Exception {
        HttpResponse<String> res = get("/boom", null);
        assertEquals(500, res.statusCode(), res.body());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = Json.mapper().readTree(res.body());
        assertEquals("internal", body.get("error").asText());
        String id = body.get("request_id").asText();
        assertEquals(16, id.length(), "a new id to quote, since the caller sent none: " + res.body());
        assertEquals(id, res.headers().firstValue("X-Request-ID").orElseThrow());
        assertFalse(res.body().contains("hunter2"), res.body());

        assertEquals("abc", Json.mapper().readTree(get("/boom", "abc").body()).get("request_id").asText());
    }

    @Test
    void anApiExceptionKeepsItsStatusCodeAndMessage() throws Exception {
        HttpResponse<String> res = get("/conflict", "r-1");
        assertEquals(409, res.statusCode());
        JsonNode body = Json.mapper().readTree(res.body());
        assertEquals("conflict", body.get("error").asText());
        assertEquals("version 1.0.0 exists with other bytes", body.get("message").asText());
        assertEquals("r-1", body.get("request_id").asText());
    }

    private HttpResponse<String> get(String path, String requestId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri.resolve(path)).GET();
        if (requestId != null) {
            b.header("X-Request-ID", requestId);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
