package io.modelmesh.dataplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.modelmesh.api.Json;
import io.modelmesh.server.http.OpenApiCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's OpenAPI document ({@code GET /openapi}) against the routes it mounts, in the configurations that change
 * them (metrics public or not; {@code /echo} on), and its API page's files ({@code GET /docs}).
 */
class ApiDocsIT {
    private static final URI NO_CONTROL_PLANE = URI.create("http://127.0.0.1:1");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theDocumentNamesEveryMountedRouteAndNothingElseWithTheRoutesAccess(@TempDir Path home) throws Exception {
        try (DataPlane open = DataPlane.start(StubControlPlane.nodeConfigFor(NO_CONTROL_PLANE, home.resolve("a")));
             DataPlane closed = DataPlane.start(StubControlPlane.nodeConfigFor(NO_CONTROL_PLANE, home.resolve("b"))
                     .withPublicMetrics(false).withAnonymousPredict(false))) {
            HttpResponse<byte[]> res = get(closed.uri().resolve("/openapi"));
            assertEquals(200, res.statusCode(), "public on a node that needs tokens for everything else");
            assertEquals("application/yaml; charset=utf-8", res.headers().firstValue("Content-Type").orElse(null));
            JsonNode doc = new YAMLMapper().readTree(res.body());
            assertEquals("3.1.0", doc.path("openapi").asText());
            assertEquals("bearer", doc.at("/components/securitySchemes/bearerAuth/scheme").asText());
            assertEquals("X-MM-Signature", doc.at("/components/securitySchemes/pushSignature/name").asText());
            assertEquals(List.of(), OpenApiCheck.mismatches(doc, List.of(open.routes(), closed.routes())));
            assertEquals(List.of(), OpenApiCheck.recordMismatches(doc, Json.mapper()));
            assertTrue(closed.routes().stream().anyMatch(r -> r.pattern().equals("/docs/{file}")), "the page's files");

            HttpResponse<byte[]> page = get(closed.uri().resolve("/docs"));
            assertEquals(200, page.statusCode());
            assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("/docs/modelmesh-docs.js"));
            assertEquals(200, get(closed.uri().resolve("/docs/swagger-ui-bundle.js")).statusCode());
            HttpResponse<byte[]> unknown = get(closed.uri().resolve("/docs/oauth2-redirect.html"));
            assertEquals(404, unknown.statusCode());
            assertTrue(new String(unknown.body(), StandardCharsets.UTF_8).contains("\"not_found\""));

            // the page sends the documented KServe V1 path parameter NAME:predict percent-encoded (':' as %3A)
            URI encoded = open.uri().resolve("/v1/models/absent%3Apredict");
            HttpResponse<String> v1 = http.send(HttpRequest.newBuilder(encoded)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [[1, 2, 3, 4]]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, v1.statusCode(), v1.body());
            assertTrue(v1.body().contains("absent") && !v1.body().contains("no endpoint"), "routed as a prediction for "
                    + "model 'absent': " + v1.body());
        }
    }

    private HttpResponse<byte[]> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
