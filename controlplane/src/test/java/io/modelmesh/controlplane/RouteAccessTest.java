package io.modelmesh.controlplane;

import io.modelmesh.api.Scope;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.RouteInfo;
import org.junit.jupiter.api.AfterAll;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Walks every route the control plane serves (its catalog, which is the only way routes are registered) and calls
 * each without a token and with a token lacking the route's scope: 401 and 403, before the handler runs. A route added
 * later is walked too. Also: cross-origin and non-JSON writes from a browser.
 */
class RouteAccessTest {
    @TempDir
    static Path home;
    static ControlPlane cp;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** For each required scope, a token that lacks it. */
    static Map<Scope, String> lacking;

    @BeforeAll
    static void start() {
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home).withPublicMetrics(false));
        String predictOnly = TestTokens.named(cp, "predictor", Scope.PREDICT);
        String reader = TestTokens.named(cp, "reader", Scope.READ);
        String deployer = TestTokens.named(cp, "deployer", Scope.DEPLOY);
        lacking = Map.of(Scope.READ, predictOnly, Scope.DEPLOY, reader, Scope.ADMIN, deployer, Scope.NODE, deployer,
                Scope.PREDICT, reader);
    }

    @AfterAll
    static void stop() {
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void theCatalogHoldsEveryRouteWithItsAccess() {
        Set<String> routes = cp.routes().stream().map(r -> r.method() + " " + r.pattern() + " " + r.access())
                .collect(Collectors.toSet());
        for (String expected : List.of("POST /models DEPLOY", "GET /models READ", "POST /deployments DEPLOY",
                "POST /deployments/chaos ADMIN", "POST /tokens ADMIN", "GET /tokens ADMIN", "DELETE /tokens/{name} ADMIN",
                "POST /nodes/register NODE", "POST /nodes/{id}/outcomes NODE", "GET /artifacts/{sha256} NODE",
                "GET /health PUBLIC", "GET /metrics READ", "GET /monitoring/shadow/{model} READ",
                "POST /manifests/apply DEPLOY", "PUT /models/{name}/aliases/{alias} DEPLOY",
                "DELETE /models/{name}/aliases/{alias} DEPLOY", "GET /models/{name}/aliases READ", "GET /aliases READ",
                "PUT /models/{name}/versions/{version}/stage DEPLOY", "GET /nodes/{id}/versions/{model}/{version} NODE",
                "GET /openapi PUBLIC", "GET /docs PUBLIC", "GET /docs/{file} PUBLIC",
                "POST /rollouts/{model}/abort DEPLOY", "POST /rollouts/{model}/pause DEPLOY",
                "POST /rollouts/{model}/resume DEPLOY", "POST /rollouts/{model}/retry DEPLOY")) {
            assertTrue(routes.contains(expected), expected + " in " + routes);
        }
        assertTrue(cp.routes().size() >= 35, "every endpoint: " + cp.routes().size());
    }

    @Test
    void everyRouteRefusesCallersWithoutATokenAndWithTheWrongScope() {
        List<String> failures = new ArrayList<>();
        for (RouteInfo route : cp.routes()) {
            String path = concrete(route.pattern());
            HttpResponse<String> anonymous = call(route.method(), path, null);
            if (route.access() == Access.PUBLIC) {
                if (anonymous.statusCode() == 401 || anonymous.statusCode() == 403) {
                    failures.add(route + ": public route answered " + anonymous.statusCode());
                }
                continue;
            }
            if (anonymous.statusCode() != 401 || !anonymous.body().contains("\"unauthorized\"")) {
                failures.add(route + " without a token: " + anonymous.statusCode() + " " + anonymous.body());
            }
            if (!anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer")) {
                failures.add(route + " without a token: no WWW-Authenticate");
            }
            HttpResponse<String> garbage = call(route.method(), path, "mmt_" + "x".repeat(43));
            if (garbage.statusCode() != 401) {
                failures.add(route + " with an unknown token: " + garbage.statusCode());
            }
            HttpResponse<String> wrong = call(route.method(), path, lacking.get(route.access().scope()));
            if (wrong.statusCode() != 403 || !wrong.body().contains("needs '" + route.access().scope().wireName())) {
                failures.add(route + " with a token lacking " + route.access().scope() + ": " + wrong.statusCode() + " "
                        + wrong.body());
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void browsersCannotWriteAcrossOriginsNorSendNonJsonBodies() {
        String deploy = "{\"model\":\"iris\",\"version\":\"1.0.0\"}";
        HttpResponse<String> crossSite = send(HttpRequest.newBuilder(cp.uri().resolve("/deployments"))
                .header("Origin", "http://evil.example").header("Content-Type", "text/plain")
                .header("Authorization", "Bearer " + TestTokens.admin(cp))
                .POST(HttpRequest.BodyPublishers.ofString(deploy)));
        assertEquals(403, crossSite.statusCode(), crossSite.body());
        assertTrue(crossSite.body().contains("cross-origin request from 'http://evil.example' refused"),
                crossSite.body());
        HttpResponse<String> textPlain = send(HttpRequest.newBuilder(cp.uri().resolve("/deployments"))
                .header("Content-Type", "text/plain").header("Authorization", "Bearer " + TestTokens.admin(cp))
                .POST(HttpRequest.BodyPublishers.ofString(deploy)));
        assertEquals(415, textPlain.statusCode(), textPlain.body());
        HttpResponse<String> form = send(HttpRequest.newBuilder(cp.uri().resolve("/manifests/apply"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Bearer " + TestTokens.admin(cp))
                .POST(HttpRequest.BodyPublishers.ofString("files=x")));
        assertEquals(415, form.statusCode(), form.body());
        // the server's own pages (same origin) are not cross-origin
        HttpResponse<String> sameOrigin = send(HttpRequest.newBuilder(cp.uri().resolve("/models"))
                .header("Origin", "http://127.0.0.1:" + cp.port())
                .header("Authorization", "Bearer " + TestTokens.admin(cp)).GET());
        assertEquals(200, sameOrigin.statusCode(), sameOrigin.body());
        assertEquals(0, TestTokens.adminClient(cp).listModels(0, 10, null).total(), "nothing was deployed");
    }

    @Test
    void anAllowedOriginGetsCorsHeadersAndItsPreflightAnswered() {
        try (ControlPlane cors = ControlPlane.start(SharedDatabase.on(cp, home.resolve("cors"))
                .withCorsOrigins(List.of("https://console.example")))) {
            HttpResponse<String> preflight = send(HttpRequest.newBuilder(cors.uri().resolve("/models"))
                    .header("Origin", "https://console.example").header("Access-Control-Request-Method", "POST")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
            assertEquals(204, preflight.statusCode());
            assertEquals("https://console.example", preflight.headers().firstValue("Access-Control-Allow-Origin")
                    .orElse(null));
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("")
                    .contains("Authorization"));
            HttpResponse<String> list = send(HttpRequest.newBuilder(cors.uri().resolve("/models"))
                    .header("Origin", "https://console.example")
                    .header("Authorization", "Bearer " + TestTokens.admin(cp)).GET());
            assertEquals(200, list.statusCode());
            assertEquals("https://console.example", list.headers().firstValue("Access-Control-Allow-Origin")
                    .orElse(null));
            assertEquals(403, send(HttpRequest.newBuilder(cors.uri().resolve("/models"))
                    .header("Origin", "https://other.example")
                    .header("Authorization", "Bearer " + TestTokens.admin(cp)).GET()).statusCode());
        }
    }

    /** A path for a pattern, with sample values for its parameters. */
    static String concrete(String pattern) {
        return pattern.replace("{sha256}", "a".repeat(64)).replace("{id}", "1").replace("{version}", "1.0.0")
                .replaceAll("\\{[a-z]+}", "x");
    }

    private static HttpResponse<String> call(String method, String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cp.uri() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (method.equals("POST") || method.equals("PUT")) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString("{}"));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(b);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
