package io.modelmesh.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.modelmesh.api.Json;
import io.modelmesh.sdk.Registration;
import io.modelmesh.server.http.OpenApiCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control plane's OpenAPI document ({@code GET /openapi}) against the routes it mounts, in both configurations
 * that change them (metrics public or not), and the API page ({@code GET /docs}) in a real headless browser:
 * authorize with a token, run "list models", see the registered model in the answer.
 */
class ApiDocsTest {
    @TempDir
    static Path home;
    static ControlPlane cp;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home));
    }

    @AfterAll
    static void stop() {
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void theDocumentNamesEveryMountedRouteAndNothingElseWithTheRoutesAccess() throws Exception {
        HttpResponse<byte[]> res = get(cp.uri().resolve("/openapi"));
        assertEquals(200, res.statusCode());
        assertEquals("application/yaml; charset=utf-8", res.headers().firstValue("Content-Type").orElse(null));
        JsonNode doc = new YAMLMapper().readTree(res.body());
        assertEquals("3.1.0", doc.path("openapi").asText());
        assertEquals("http", doc.at("/components/securitySchemes/bearerAuth/type").asText());
        assertEquals("bearer", doc.at("/components/securitySchemes/bearerAuth/scheme").asText());
        try (ControlPlane closedMetrics = ControlPlane.start(SharedDatabase.on(cp, home.resolve("closed"))
                .withPublicMetrics(false))) {
            assertEquals(List.of(), OpenApiCheck.mismatches(doc, List.of(cp.routes(), closedMetrics.routes())));
        }
        assertTrue(cp.routes().size() >= 40, "every endpoint and the docs: " + cp.routes().size());
    }

    @Test
    void theDocumentsSchemasListTheRecordsJsonFields() throws Exception {
        JsonNode doc = new YAMLMapper().readTree(get(cp.uri().resolve("/openapi")).body());
        assertEquals(List.of(), OpenApiCheck.recordMismatches(doc, Json.mapper()));
        assertTrue(doc.at("/components/schemas/ErrorBody/properties/request_id").isObject(), "snake_case fields");
    }

    @Test
    void thePageAndItsFilesComeFromTheServerAndNothingElseUnderDocs() {
        HttpResponse<byte[]> page = get(cp.uri().resolve("/docs"));
        assertEquals(200, page.statusCode());
        String html = new String(page.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(html.contains("/docs/swagger-ui-bundle.js") && !html.contains("https://"), html);
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        for (String file : List.of("swagger-ui-bundle.js", "swagger-ui.css", "modelmesh-docs.js",
                "favicon-32x32.png")) {
            HttpResponse<byte[]> res = get(cp.uri().resolve("/docs/" + file));
            assertEquals(200, res.statusCode(), file);
            assertTrue(res.body().length > 100, file);
        }
        assertTrue(new String(get(cp.uri().resolve("/docs/modelmesh-docs.js")).body(),
                java.nio.charset.StandardCharsets.UTF_8).contains("url: '/openapi'"));
        for (String other : List.of("/docs/index.html", "/docs/..%2Fadmin-token", "/docs/swagger-initializer.js",
                "/docs/a/b")) {
            HttpResponse<byte[]> res = get(cp.uri().resolve(other));
            assertEquals(404, res.statusCode(), other);
        }
    }

    @Test
    void theApiPageAuthorizesAndListsModelsInARealBrowser(@TempDir Path browserDir) throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.available(), "no " + HeadlessChromium.CHROMIUM + " and "
                + HeadlessChromium.CHROMEDRIVER + " (apt-get install chromium chromium-driver): browser test skipped");
        TestTokens.adminClient(cp).register(Registration.of("iris-docs", Fixtures.irisOnnx()).withDeploy(false));
        String deployer = TestTokens.named(cp, "docs-deployer", io.modelmesh.api.Scope.DEPLOY);
        String op = "#operations-models-listModels";
        try (HeadlessChromium browser = HeadlessChromium.start(browserDir)) {
            browser.open(cp.uri().resolve("/docs"));
            browser.click("button.btn.authorize");
            browser.type(".modal-ux input", deployer);
            browser.click(".modal-ux button.modal-btn.authorize");
            browser.click(".modal-ux button.btn-done");
            browser.click(op + " .opblock-summary-control");
            browser.click(op + " button.try-out__btn");
            browser.click(op + " button.execute");
            String status = browser.text(op + " .live-responses-table tbody tr.response .response-col_status");
            String body = browser.text(op + " .live-responses-table .response-col_description pre");
            assertEquals("200", status.strip(), "documented, not 'Undocumented': " + body);
            assertTrue(body.contains("\"name\": \"iris-docs\""), body);
            // the page sent the token it was given: the curl line it shows, and the answer (401 without it)
            String curl = browser.text(op + " .curl-command");
            assertTrue(curl.contains("Authorization: Bearer " + deployer), curl);

            // a write from the page carries Origin (same origin): the browser guard lets it through to the endpoint,
            // which answers for itself (no running canary), not 403 cross-origin
            String promote = "#operations-rollouts-promoteModel";
            browser.click(promote + " .opblock-summary-control");
            browser.click(promote + " button.try-out__btn");
            browser.type(promote + " tr[data-param-name='model'] input", "iris-docs");
            browser.click(promote + " button.execute");
            String live = promote + " .live-responses-table tbody tr.response";
            String answer = browser.text(live + " .response-col_description pre");
            assertEquals("404", browser.text(live + " .response-col_status").strip(),
                    "an error is documented: " + answer);
            assertTrue(answer.contains("\"not_found\"") && !answer.contains("cross-origin"), answer);
        }
    }

    private static HttpResponse<byte[]> get(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
