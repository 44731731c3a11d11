package io.modelmesh.dataplane;

import io.modelmesh.metrics.PrometheusText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.Fault;
import io.modelmesh.api.Json;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RouteTarget.Role;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.ShadowOutcome;
import io.modelmesh.api.VersionOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real node with ONNX Runtime and the iris fixture: shadow comparisons reach the control plane in outcome reports
 * while users get the stable answer, users stick to an arm by header, injected faults answer 500 and are counted.
 */
class TrafficIT {
    private static final List<String> PERMUTED = List.of("sepal_width", "sepal_length", "petal_length", "petal_width");
    private final ObjectMapper json = Json.mapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonNode reference = Fixtures.reference();

    @TempDir
    Path home;
    private StubControlPlane cp;
    private DataPlane node;

    private void start(RouteTarget... targets) throws Exception {
        cp = new StubControlPlane();
        cp.serve(Fixtures.IRIS);
        cp.table = Fixtures.table(1, "iris", targets);
        node = DataPlane.start(cp.nodeConfig(home).withReportInterval(Duration.ofMillis(100)));
        Await.until(() -> node.servingRevision() == 1, Duration.ofSeconds(30), "node to load revision 1");
    }

    private static RouteTarget iris(String version, int weight, Role role, List<String> features) {
        return Fixtures.target(version, Fixtures.IRIS, features).withWeight(weight, role);
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (cp != null) {
            cp.close();
        }
    }

    private HttpResponse<String> predict(String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.uri().resolve("/predict/iris"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String named(int row) {
        JsonNode r = reference.get("inputs").get(row);
        return "{\"inputs\": {\"sepal_length\": " + r.get(0) + ", \"sepal_width\": " + r.get(1)
                + ", \"petal_length\": " + r.get(2) + ", \"petal_width\": " + r.get(3) + "}}";
    }

    /** Sum of every accepted report's outcomes per version. */
    private Map<String, long[]> versionTotals() {
        Map<String, long[]> out = new HashMap<>();
        for (OutcomeReport r : cp.outcomes) {
            for (VersionOutcome v : r.versions()) {
                long[] t = out.computeIfAbsent(v.version(), k -> new long[2]);
                t[0] += v.requests();
                t[1] += v.errors();
            }
        }
        return out;
    }

    private long shadowsCompared() {
        return cp.outcomes.stream().flatMap(r -> r.shadows().stream()).mapToLong(ShadowOutcome::compared).sum();
    }

    @Test
    void shadowIsComparedAndReportedWhileUsersGetTheStableAnswer() throws Exception {
        start(iris("1.0.0", 100, Role.STABLE, Fixtures.IRIS_FEATURES),
                iris("2.0.0", 100, Role.SHADOW, PERMUTED));
        int n = 20;
        for (int i = 0; i < n; i++) {
            int row = i % reference.get("inputs").size();
            HttpResponse<String> res = predict(named(row), Map.of());
            assertEquals(200, res.statusCode(), res.body());
            JsonNode body = json.readTree(res.body());
            assertEquals("1.0.0", body.get("model_version").asText(), "the user always gets the stable version");
            JsonNode expected = reference.get("outputs").get("logits").get(row);
            for (int c = 0; c < 3; c++) {
                assertEquals(expected.get(c).asDouble(), body.get("outputs").get("logits").get(c).asDouble(), 1e-5);
            }
        }
        Await.until(() -> shadowsCompared() == n, Duration.ofSeconds(20), "all " + n + " shadow comparisons reported");

        List<ShadowOutcome> shadows = cp.outcomes.stream().flatMap(r -> r.shadows().stream()).toList();
        assertTrue(shadows.stream().allMatch(s -> s.model().equals("iris") && s.shadowVersion().equals("2.0.0")
                && s.primaryVersion().equals("1.0.0")));
        assertEquals(n, shadows.stream().mapToLong(ShadowOutcome::mirrored).sum());
        assertEquals(0, shadows.stream().mapToLong(ShadowOutcome::dropped).sum());
        assertEquals(0, shadows.stream().mapToLong(ShadowOutcome::failed).sum());
        assertEquals(n * 6L, shadows.stream().mapToLong(ShadowOutcome::numericValues).sum(),
                "logits and probabilities: 3 + 3 values per request");
        assertTrue(shadows.stream().mapToDouble(ShadowOutcome::maxAbsDiff).max().orElse(0) > 0.01,
                "the shadow binds the features in another order, so its answers differ");
        assertFalse(shadows.stream().flatMap(s -> s.samples().stream()).toList().isEmpty());
        // the first report may count a mirror whose comparison (and sample) lands in the next one: take the first sample
        assertTrue(shadows.stream().flatMap(s -> s.samples().stream()).findFirst().orElseThrow().input()
                .contains("sepal_length"));

        Map<String, long[]> versions = versionTotals();
        assertEquals(n, versions.get("1.0.0")[0]);
        assertFalse(versions.containsKey("2.0.0"), "shadow runs are not version outcomes");
        assertTrue(cp.outcomes.stream().flatMap(r -> r.versions().stream()).allMatch(v -> v.role() == Role.STABLE));
        assertEquals(n, PrometheusText.valueOrZero(get("/metrics"), "shadow_events_total", Map.of("model", "iris",
                "version", "2.0.0", "result", "compared")));
    }

    @Test
    void usersStickToAnArmByHeader() throws Exception {
        start(iris("1.0.0", 50, Role.ARM, Fixtures.IRIS_FEATURES), iris("2.0.0", 50, Role.ARM, Fixtures.IRIS_FEATURES));
        Set<String> seen = new HashSet<>();
        for (int u = 0; u < 20; u++) {
            String first = null;
            for (int r = 0; r < 3; r++) {
                HttpResponse<String> res = predict(named(0), Map.of("X-User-Id", "user-" + u));
                String version = json.readTree(res.body()).get("model_version").asText();
                first = first == null ? version : first;
                assertEquals(first, version, "user-" + u + " stays on one arm");
            }
            seen.add(first);
        }
        assertEquals(Set.of("1.0.0", "2.0.0"), seen, "20 users land on both arms");
        Await.until(() -> versionTotals().values().stream().mapToLong(t -> t[0]).sum() == 60, Duration.ofSeconds(20),
                "all 60 requests reported");
        assertTrue(cp.outcomes.stream().flatMap(r -> r.versions().stream()).allMatch(v -> v.role() == Role.ARM));
    }

    @Test
    void injectedFaultAnswers500AndIsReportedAsAnError() throws Exception {
        start(iris("1.0.0", 100, Role.STABLE, Fixtures.IRIS_FEATURES).withFault(new Fault(1.0, 0, null)));
        HttpResponse<String> res = predict(named(0), Map.of());
        assertEquals(500, res.statusCode());
        JsonNode body = json.readTree(res.body());
        assertEquals("injected_fault", body.get("error").asText());
        assertTrue(body.get("message").asText().contains("mmctl chaos iris --version 1.0.0 --clear"), res.body());
        HttpResponse<String> bad = predict("{\"inputs\": [1, 2]}", Map.of());
        assertEquals(400, bad.statusCode(), "the fault acts where the model runs: a body it cannot read is the "
                + "caller's error first, and not an outcome of the version");
        assertEquals(500, predict(named(1), Map.of()).statusCode());
        Await.until(() -> versionTotals().containsKey("1.0.0") && versionTotals().get("1.0.0")[0] == 2,
                Duration.ofSeconds(20), "both failures reported");
        assertEquals(2, versionTotals().get("1.0.0")[1]);
    }

    @Test
    void aRefusedReportIsMergedIntoTheNextAcceptedOne() throws Exception {
        start(iris("1.0.0", 100, Role.STABLE, Fixtures.IRIS_FEATURES));
        cp.outcomesStatus = 503;
        for (int i = 0; i < 5; i++) {
            assertEquals(200, predict(named(i), Map.of()).statusCode());
        }
        assertEquals(null, node.reportNow(), "refused");
        cp.outcomesStatus = 204;
        Await.until(() -> versionTotals().containsKey("1.0.0") && versionTotals().get("1.0.0")[0] == 5,
                Duration.ofSeconds(20), "the 5 requests reported once the control plane accepts");
        assertEquals(0, versionTotals().get("1.0.0")[1]);
    }

    @Test
    void answeredRowsReachTheControlPlaneAsFeatureRowsInTheVersionsColumnOrder() throws Exception {
        start(iris("1.0.0", 100, Role.STABLE, Fixtures.IRIS_FEATURES));
        int n = reference.get("inputs").size();
        for (int i = 0; i < n; i++) {
            assertEquals(200, predict(named(i), Map.of()).statusCode());
        }
        assertEquals(400, predict("{\"inputs\": [1, 2]}", Map.of()).statusCode(), "a client error: not sampled");
        Await.until(() -> cp.outcomes.stream().flatMap(r -> r.features().stream())
                .mapToLong(io.modelmesh.api.FeatureRows::seen).sum() == n, Duration.ofSeconds(20),
                "all " + n + " rows sampled and reported");
        List<float[]> rows = cp.outcomes.stream().flatMap(r -> r.features().stream())
                .peek(f -> assertEquals("1.0.0", f.version()))
                .flatMap(f -> f.rows().stream()).toList();
        assertEquals(n, rows.size(), "fewer rows than MM_DRIFT_ROWS per window: every one is in the sample");
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < n; i++) {
            JsonNode r = reference.get("inputs").get(i);
            sent.add((float) r.get(0).asDouble() + "," + (float) r.get(1).asDouble() + ","
                    + (float) r.get(2).asDouble() + "," + (float) r.get(3).asDouble());
        }
        Set<String> got = new HashSet<>();
        rows.forEach(r -> got.add(r[0] + "," + r[1] + "," + r[2] + "," + r[3]));
        assertEquals(sent, got, "sepal_length, sepal_width, petal_length, petal_width: the version's order");
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(node.uri().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
