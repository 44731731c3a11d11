package io.modelmesh.sdk;

import io.modelmesh.api.trace.TraceParent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.modelmesh.api.AbArm;
import io.modelmesh.api.AbRequest;
import io.modelmesh.api.ApplyRequest;
import io.modelmesh.api.CanaryRequest;
import io.modelmesh.api.ChaosRequest;
import io.modelmesh.api.ErrorDetail;
import io.modelmesh.api.ManifestFile;
import io.modelmesh.api.ShadowRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The issue-4 calls: method, path, body and headers sent; answers and error details read back. */
class ModelMeshClientTest {
    private static final String ROLLOUT = "{\"id\":7,\"model\":\"iris\",\"stable_version\":\"1.0.0\","
            + "\"canary_version\":\"1.1.0\",\"state\":\"RUNNING\",\"percent\":5,\"steps\":[5,50,100],"
            + "\"step_index\":0,\"step_interval_seconds\":30,\"revision\":12}";
    private static final String DEPLOYMENT = "{\"id\":12,\"model\":\"iris\",\"nodes_acked\":2,\"nodes_total\":2}";

    private record Seen(String method, String path, String query, String body, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> v = headers.get(name);
            return v == null ? null : v.getFirst();
        }
    }

    private record Answer(int status, String body) {
    }

    private HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private ModelMeshClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        client = ModelMeshClient.builder().controlPlane(uri).dataPlanes(List.of(uri)).token("mmt_alice").build();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void on(String method, String path, int status, String body) {
        answers.put(method + " " + path, new Answer(status, body));
    }

    private Seen last() {
        return seen.getLast();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        URI u = ex.getRequestURI();
        seen.add(new Seen(ex.getRequestMethod(), u.getPath(), u.getQuery(), body, Map.copyOf(ex.getRequestHeaders())));
        Answer a = answers.getOrDefault(ex.getRequestMethod() + " " + u.getPath(),
                new Answer(404, "{\"status\":404,\"error\":\"not_found\",\"message\":\"no route\"}"));
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void canaryPostsTheRequestAndReadsTheRollout() {
        on("POST", "/deployments/canary", 201, ROLLOUT);
        var r = client.canary(new CanaryRequest("iris", "1.1.0", null, List.of(5, 50, 100), 30, 0.02, null, 50, 10));
        assertEquals(7, r.id());
        assertEquals(List.of(5, 50, 100), r.steps());
        assertEquals("{\"model\":\"iris\",\"version\":\"1.1.0\",\"steps\":[5,50,100],\"step_interval_seconds\":30,"
                + "\"max_error_rate\":0.02,\"min_requests\":50,\"window_seconds\":10}", last().body());
        assertEquals("Bearer mmt_alice", last().header("Authorization"), "the token: its name is the author");
        assertEquals(null, last().header("X-User"), "no client-chosen author");
    }

    @Test
    void rolloutCallsUseTheirPaths() {
        on("GET", "/deployments/canary/7", 200, ROLLOUT);
        on("GET", "/deployments/iris/canary", 200, ROLLOUT);
        on("POST", "/deployments/iris/promote", 200, ROLLOUT);
        on("POST", "/deployments/canary/7/promote", 200, ROLLOUT);
        on("POST", "/deployments/canary/7/rollback", 200, ROLLOUT);
        assertEquals(7, client.rollout(7).id());
        assertEquals(7, client.rolloutOf("iris").id());
        assertEquals(7, client.promote("iris").id());
        assertEquals("POST /deployments/iris/promote", last().method() + " " + last().path());
        assertEquals(7, client.promoteRollout(7).id());
        assertEquals(7, client.rollbackRollout(7).id());
        assertEquals("/deployments/canary/7/rollback", last().path());
    }

    @Test
    void rollbackSendsTheRevisionOrNothing() {
        on("POST", "/deployments/iris/rollback", 200, DEPLOYMENT);
        assertEquals(12, client.rollback("iris", 3L).id());
        assertEquals("{\"to_revision\":3}", last().body());
        client.rollback("iris", null);
        assertEquals("{}", last().body());
    }

    @Test
    void historyShadowAbApplyTraffic() {
        on("GET", "/deployments/iris/history", 200, "[" + DEPLOYMENT + "," + DEPLOYMENT + "]");
        assertEquals(2, client.history("iris").size());
        on("POST", "/deployments/shadow", 201, DEPLOYMENT);
        client.shadow(new ShadowRequest("iris", "1.1.0", 50));
        assertEquals("{\"model\":\"iris\",\"version\":\"1.1.0\",\"percent\":50}", last().body());
        on("DELETE", "/deployments/iris/shadow", 200, DEPLOYMENT);
        assertEquals(12, client.stopShadow("iris").id());
        on("GET", "/monitoring/shadow/iris", 200, "{\"model\":\"iris\",\"shadow_version\":\"1.1.0\",\"compared\":4}");
        assertEquals(4, client.shadowReport("iris", 5).compared());
        assertEquals("samples=5", last().query());
        on("POST", "/deployments/ab", 201, DEPLOYMENT);
        client.ab(new AbRequest("iris", List.of(new AbArm("1.0.0", 50), new AbArm("1.1.0", 50)), null));
        assertEquals("{\"model\":\"iris\",\"arms\":[{\"version\":\"1.0.0\",\"weight\":50},{\"version\":\"1.1.0\","
                + "\"weight\":50}]}", last().body());
        on("POST", "/manifests/apply", 200, "{\"dry_run\":true,\"changes\":[{\"model\":\"iris\",\"action\":\"unchanged\"}]}");
        var applied = client.apply(new ApplyRequest(List.of(new ManifestFile("iris.yaml", "kind: x\n")), true));
        assertEquals("unchanged", applied.changes().getFirst().action());
        assertEquals("{\"files\":[{\"name\":\"iris.yaml\",\"content\":\"kind: x\\n\"}],\"dry_run\":true}",
                last().body());
        on("GET", "/monitoring/traffic/iris", 200, "{\"model\":\"iris\",\"revision\":12,\"versions\":[]}");
        assertEquals(12, client.traffic("iris").revision());
    }

    @Test
    void everyCallSendsTheClientsTokenAndWithTokenReplacesIt() {
        on("POST", "/deployments/chaos", 200, DEPLOYMENT);
        ChaosRequest req = new ChaosRequest("iris", "1.1.0", 0.5, null, 30, null);
        client.withToken("s3cret").chaos(req);
        assertEquals("Bearer s3cret", last().header("Authorization"));
        client.chaos(req);
        assertEquals("Bearer mmt_alice", last().header("Authorization"));
        ModelMeshClient.builder().controlPlane(client.controlPlane()).token(null).build().chaos(req);
        assertNull(last().header("Authorization"), "no token configured: none sent");
    }

    @Test
    void errorDetailsReachTheCaller() {
        on("POST", "/manifests/apply", 400, "{\"status\":400,\"error\":\"invalid_manifest\",\"message\":\"1 problem\","
                + "\"details\":[{\"file\":\"iris.yaml\",\"line\":7,\"column\":12,\"field\":\"spec.canary.steps[2]\","
                + "\"message\":\"steps must increase\"}]}");
        var e = assertThrows(ModelMeshException.InvalidRequestException.class,
                () -> client.apply(new ApplyRequest(List.of(), false)));
        assertEquals(List.of(new ErrorDetail("iris.yaml", 7, 12, "spec.canary.steps[2]", "steps must increase")),
                e.details());
    }

    @Test
    void predictSendsExtraHeaders() {
        on("POST", "/predict/iris", 200, "{\"model\":\"iris\",\"model_version\":\"1.1.0\",\"outputs\":{}}");
        assertEquals("1.1.0", client.predict("iris", null, "{\"inputs\":[1]}", Map.of("X-User-Id", "u-42")).modelVersion());
        assertEquals("u-42", last().header("X-user-id"));
    }

    @Test
    void closeEndsTheConnectionsOfTheClientAndOfThoseDerivedFromIt() {
        on("GET", "/health", 200, "{\"status\":\"UP\"}");
        ModelMeshClient traced = client.withTrace(TraceParent.newTrace());
        assertEquals("UP", traced.health().get("status"));
        int before = seen.size();

        client.close();
        client.close();   // idempotent

        assertThrows(ModelMeshException.UnavailableException.class, client::health);
        assertThrows(ModelMeshException.UnavailableException.class, traced::health);
        assertEquals(before, seen.size(), "a closed client sent a request");
    }
}
