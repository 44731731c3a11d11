package io.modelmesh.dataplane;

import io.modelmesh.api.NodeCredentials;
import io.modelmesh.api.RateLimit;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.server.auth.PushSignature;
import io.modelmesh.server.auth.Tokens;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.RouteInfo;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's trust boundary over real sockets: routing pushes only from its control plane (signed with its session's
 * key), predictions only with a token the control plane handed the node as a hash (when anonymous predictions are off,
 * as on any non-loopback address), per-token rate limits, revocation, and every route walked.
 */
class NodeAuthIT {
    private static final String BODY = "{\"inputs\": [5.1, 3.5, 1.4, 0.2]}";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String predictToken = Tokens.generate(Tokens.API_PREFIX);
    private final String readToken = Tokens.generate(Tokens.API_PREFIX);
    private final String limitedToken = Tokens.generate(Tokens.API_PREFIX);
    private final String expiredToken = Tokens.generate(Tokens.API_PREFIX);

    @TempDir
    Path home;
    private StubControlPlane cp;
    private DataPlane node;

    @BeforeEach
    void start() throws Exception {
        cp = new StubControlPlane();
        cp.serve(Fixtures.IRIS);
        cp.table = Fixtures.table(1, "iris", Fixtures.target("1.0.0", Fixtures.IRIS, Fixtures.IRIS_FEATURES));
        cp.credentials = credentials("v1", true);
        node = DataPlane.start(cp.nodeConfig(home).withAnonymousPredict(false).withPublicMetrics(false));
        Awaitility.await("node to join and serve revision 1").atMost(Duration.ofSeconds(30))
                .until(() -> node.servingRevision() == 1);
        Awaitility.await("credentials").atMost(Duration.ofSeconds(10))
                .until(() -> predict(predictToken).statusCode() == 200);
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        cp.close();
    }

    private NodeCredentials credentials(String version, boolean withPredict) {
        List<NodeCredentials.Credential> list = new ArrayList<>();
        if (withPredict) {
            list.add(new NodeCredentials.Credential("app", Tokens.hash(predictToken), List.of("predict"), null, null));
        }
        list.add(new NodeCredentials.Credential("dash", Tokens.hash(readToken), List.of("read"), null, null));
        list.add(new NodeCredentials.Credential("batch-job", Tokens.hash(limitedToken), List.of("predict"), null,
                new RateLimit(0.5, 2)));
        list.add(new NodeCredentials.Credential("old", Tokens.hash(expiredToken), List.of("predict"),
                Instant.now().minusSeconds(1), null));
        return new NodeCredentials(version, list);
    }

    @Test
    void predictionsNeedAPredictToken() throws Exception {
        HttpResponse<String> anonymous = predict(null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.body().contains("needs a token with scope 'predict'"), anonymous.body());
        assertEquals(403, predict(readToken).statusCode(), "read does not imply predict");
        assertEquals(401, predict(expiredToken).statusCode(), "expired");
        assertEquals(401, predict("mmt_" + "x".repeat(43)).statusCode(), "unknown");
        HttpResponse<String> ok = predict(predictToken);
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.body().contains("\"model_version\":\"1.0.0\""), ok.body());
    }

    @Test
    void aTokensRateLimitAnswers429WithRetryAfter() throws Exception {
        assertEquals(200, predict(limitedToken).statusCode());
        assertEquals(200, predict(limitedToken).statusCode());
        HttpResponse<String> limited = predict(limitedToken);
        assertEquals(429, limited.statusCode(), limited.body());
        assertTrue(limited.body().contains("\"rate_limited\""), limited.body());
        long retry = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry >= 1 && retry <= 2, "one request every 2 s: " + retry);
        assertEquals(200, predict(predictToken).statusCode(), "other tokens are unaffected");
    }

    @Test
    void aRevokedTokenStopsWorkingWithinAHeartbeat() throws Exception {
        cp.credentials = credentials("v2", false);
        Awaitility.await("the node to drop the revoked token").atMost(Duration.ofSeconds(10))
                .until(() -> predict(predictToken).statusCode() == 401);
        Path saved = home.resolve("nodes").resolve(node.nodeId()).resolve("credentials.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));
        assertFalse(Files.readString(saved).contains(readToken), "hashes only");
    }

    @Test
    void aRestartedNodeKnowsItsTokensWithoutTheControlPlane() throws Exception {
        node.close();
        cp.close();
        node = DataPlane.start(StubControlPlane.nodeConfigFor(URI.create("http://127.0.0.1:1"), home)
                .withAnonymousPredict(false));
        assertEquals(200, predict(predictToken).statusCode(), "credentials restored from the node's directory");
        assertEquals(401, predict(null).statusCode());
        cp = new StubControlPlane(); // for @AfterEach
    }

    @Test
    void forgedRevisionNoticesAreRefusedAndTheNodeKeepsServing() throws Exception {
        byte[] body = io.modelmesh.api.Json.mapper().writeValueAsBytes(new io.modelmesh.api.RevisionNotice(
                "00000000-0000-0000-0000-000000000bad", Long.MAX_VALUE, Long.MAX_VALUE));
        String otherKey = PushSignature.key(Tokens.generate(Tokens.NODE_PREFIX));
        String realKey = PushSignature.key(cp.sessions.get(node.nodeId()));
        long now = System.currentTimeMillis();
        for (String signature : new String[] {null, "garbage",
                PushSignature.sign(otherKey, "POST", "/internal/routing", now, body),
                PushSignature.sign(realKey, "PUT", "/internal/routing", now, body),
                PushSignature.sign(realKey, "POST", "/internal/routing", now - 600_000, body),
                PushSignature.sign(realKey, "POST", "/internal/routing", now, "{}".getBytes(StandardCharsets.UTF_8))}) {
            HttpRequest.Builder b = HttpRequest.newBuilder(node.uri().resolve("/internal/routing"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (signature != null) {
                b.header(PushSignature.HEADER, signature);
            }
            HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, res.statusCode(), signature + ": " + res.body());
            assertTrue(res.body().contains("routing push refused"), res.body());
        }
        assertEquals(1, node.servingRevision(), "still on its revision");
        assertEquals(200, predict(predictToken).statusCode(), "still serving");
        // its own control plane's push still works
        assertTrue(cp.push(node, Fixtures.table(2, "iris", Fixtures.target("1.0.0", Fixtures.IRIS,
                Fixtures.IRIS_FEATURES))).applied());
        assertEquals(2, node.servingRevision());
    }

    @Test
    void everyRouteOfTheNodeIsGuarded() throws Exception {
        List<String> failures = new ArrayList<>();
        assertTrue(node.routes().size() >= 14, node.routes().toString());
        for (RouteInfo route : node.routes()) {
            String path = route.pattern().replace("{model}", "iris").replace("{version}", "1.0.0")
                    .replaceAll("\\{[a-z]+}", "x");
            HttpResponse<String> anonymous = call(route.method(), path, null);
            switch (route.access()) {
                case PUBLIC -> {
                    if (anonymous.statusCode() == 401 || anonymous.statusCode() == 403) {
                        failures.add(route + ": " + anonymous.statusCode());
                    }
                }
                case CONTROL_PLANE -> {
                    if (anonymous.statusCode() != 401) {
                        failures.add(route + " unsigned: " + anonymous.statusCode());
                    }
                    if (call(route.method(), path, predictToken).statusCode() != 401) {
                        failures.add(route + " with a prediction token instead of a signature");
                    }
                }
                default -> {
                    if (anonymous.statusCode() != 401) {
                        failures.add(route + " without a token: " + anonymous.statusCode());
                    }
                    String wrong = route.access() == Access.PREDICT ? readToken : predictToken;
                    HttpResponse<String> res = call(route.method(), path, wrong);
                    if (res.statusCode() != 403) {
                        failures.add(route + " with the wrong scope: " + res.statusCode() + " " + res.body());
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void crossOriginRequestsAreRefused() throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(node.uri().resolve("/predict/iris"))
                .header("Origin", "http://evil.example").header("Content-Type", "text/plain")
                .header("Authorization", "Bearer " + predictToken)
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, res.statusCode(), res.body());
    }

    private HttpResponse<String> predict(String token) throws Exception {
        return call("POST", "/predict/iris", token);
    }

    private HttpResponse<String> call(String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.uri().resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (method.equals("POST") || method.equals("PUT")) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(BODY));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
