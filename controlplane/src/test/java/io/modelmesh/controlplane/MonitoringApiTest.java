package io.modelmesh.controlplane;

import io.modelmesh.metrics.PrometheusText;
import io.modelmesh.api.RolloutState;
import io.modelmesh.api.CanaryRequest;
import io.modelmesh.api.DeployRequest;
import io.modelmesh.api.DriftReport;
import io.modelmesh.api.FeatureDrift;
import io.modelmesh.api.FeatureRows;
import io.modelmesh.api.LatencyHistogram;
import io.modelmesh.api.LatencyReport;
import io.modelmesh.api.LatencyWindow;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RegistrationResult;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.VersionDrift;
import io.modelmesh.api.VersionLatency;
import io.modelmesh.api.VersionOutcome;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.Registration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Latency windows and drift detection over real sockets and PostgreSQL: two stand-in nodes, outcome reports (with
 * sampled feature rows) posted by hand, a hand-moved clock.
 */
class MonitoringApiTest {
    static final List<String> FEATURES = List.of("a", "b", "c", "d");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path home;
    @TempDir
    static Path files;

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    static ControlPlane cp;
    static ModelMeshClient client;
    static Api api;
    static StubNode a;
    static StubNode b;

    @BeforeAll
    static void start() {
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home), CLOCK, false);
        client = TestTokens.adminClient(cp);
        api = Api.admin(cp);
        a = StubNode.start("node-a");
        b = StubNode.start("node-b");
        for (StubNode n : List.of(a, b)) {
            n.join(api);
        }
    }

    @AfterAll
    static void stop() {
        if (cp != null) {
            cp.close();
        }
        for (StubNode n : new StubNode[]{a, b}) {
            if (n != null) {
                n.close();
            }
        }
    }

    static RegistrationResult register(String model, String version, Path reference) {
        Registration r = Registration.of(model, Fixtures.irisOnnx()).withVersion(version).withFeatures(FEATURES);
        return client.register(reference == null ? r : r.withReference(reference));
    }

    static void bothNodesServe(String model, String version) throws InterruptedException {
        for (StubNode n : List.of(a, b)) {
            n.awaitTable(t -> t.models().containsKey(model) && t.models().get(model).targets().stream()
                    .anyMatch(x -> x.version().equals(version)), WAIT);
        }
    }

    /** Normal rows (seeded), with {@code shift} standard deviations added to feature {@code shifted} (-1: none). */
    static List<float[]> rows(long seed, int n, int shifted, double shift) {
        Random r = new Random(seed);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] row = new float[FEATURES.size()];
            for (int f = 0; f < row.length; f++) {
                row[f] = (float) (r.nextGaussian() + (f == shifted ? shift : 0));
            }
            out.add(row);
        }
        return out;
    }

    static HttpResponse<byte[]> report(StubNode node, List<VersionOutcome> versions, List<FeatureRows> features) {
        Instant now = CLOCK.instant();
        return api.post("/nodes/" + node.nodeId() + "/outcomes", new OutcomeReport(node.nodeId(), node.serving(), now,
                now, versions, List.of(), features));
    }

    static void rowsFrom(StubNode node, String model, String version, List<float[]> rows, long dropped) {
        HttpResponse<byte[]> res = report(node, List.of(), List.of(new FeatureRows(model, version, rows,
                rows.size() + 10, dropped)));
        assertEquals(204, res.statusCode(), Api.text(res));
    }

    static VersionOutcome outcome(String model, String version, long requests, long errors, double ms) {
        long[] counts = new long[LatencyHistogram.bucketOf(ms) + 1];
        counts[LatencyHistogram.bucketOf(ms)] = requests;
        return new VersionOutcome(model, version, RouteTarget.Role.STABLE, requests, errors,
                new LatencyHistogram(counts, requests * ms));
    }

    static VersionDrift version(DriftReport r, String version) {
        return r.versions().stream().filter(v -> v.version().equals(version)).findFirst().orElseThrow();
    }

    static FeatureDrift feature(VersionDrift v, String name) {
        return v.features().stream().filter(f -> f.feature().equals(name)).findFirst().orElseThrow();
    }

    static Path csv(String name, List<float[]> rows) throws Exception {
        StringBuilder sb = new StringBuilder("label,d,c,b,a\n");
        for (float[] r : rows) {
            sb.append("x,").append(r[3]).append(',').append(r[2]).append(',').append(r[1]).append(',').append(r[0])
                    .append('\n');
        }
        return Files.writeString(files.resolve(name), sb.toString());
    }

    // ---- latency -------------------------------------------------------------------------------------------------

    @Test
    void latencyWindowsMergeNodesPerVersionOverOneFiveAndFifteenMinutes() throws Exception {
        register("lat", "1.0.0", null);
        bothNodesServe("lat", "1.0.0");
        assertEquals(204, report(a, List.of(outcome("lat", "1.0.0", 90, 0, 1)), List.of()).statusCode());
        assertEquals(204, report(b, List.of(outcome("lat", "1.0.0", 10, 5, 40)), List.of()).statusCode());

        LatencyReport now = client.latency("lat");
        VersionLatency v = now.versions().getFirst();
        assertEquals("1.0.0", v.version());
        assertEquals(RouteTarget.Role.STABLE, v.role());
        assertEquals(100, v.weight());
        LatencyWindow one = v.windows().getFirst();
        assertEquals(1, one.minutes());
        assertEquals(100, one.requests());
        assertEquals(5, one.errors());
        assertEquals(0.05, one.errorRate(), 1e-12);
        assertEquals(LatencyHistogram.upperBoundMs(LatencyHistogram.bucketOf(1)), one.p50Ms(), 1e-9);
        assertEquals(LatencyHistogram.upperBoundMs(LatencyHistogram.bucketOf(40)), one.p99Ms(), 1e-9);

        CLOCK.advance(Duration.ofMinutes(2));
        assertEquals(204, report(a, List.of(outcome("lat", "1.0.0", 7, 0, 1)), List.of()).statusCode());
        List<LatencyWindow> later = client.latency("lat").versions().getFirst().windows();
        assertEquals(List.of(7L, 107L, 107L), later.stream().map(LatencyWindow::requests).toList());
        assertTrue(client.latency().stream().anyMatch(r -> r.model().equals("lat")), "GET /monitoring/latency");
        String wire = Api.text(api.get("/monitoring/latency/lat"));
        for (String field : List.of("\"minutes\":1,", "\"error_rate\":", "\"p50_ms\":", "\"p95_ms\":", "\"p99_ms\":",
                "\"role\":\"STABLE\"", "\"weight\":100")) {
            assertTrue(wire.contains(field), field + " in " + wire);
        }

        ModelMeshException.NotFoundException missing = assertThrows(ModelMeshException.NotFoundException.class,
                () -> client.latency("no-such-model"));
        assertTrue(missing.getMessage().contains("no-such-model"), missing.getMessage());
    }

    // ---- drift: served reference ---------------------------------------------------------------------------------

    @Test
    void aServedReferenceThenASlidingWindowFlagsOneShiftedFeature() throws Exception {
        register("served", "1.0.0", null);
        client.deploy(new DeployRequest("served", "1.0.0", null, null, null, 500));
        bothNodesServe("served", "1.0.0");
        assertEquals(500, client.deployment("served").spec().drift().window());
        assertEquals("deploy 1.0.0 at 100% (drift window 500 rows)", client.deployment("served").change());

        VersionDrift before = version(client.drift("served"), "1.0.0");
        assertEquals("collecting_reference", before.state());
        assertEquals(0, before.referenceRows());

        rowsFrom(a, "served", "1.0.0", rows(1, 750, -1, 0), 3);
        VersionDrift filling = version(client.drift("served"), "1.0.0");
        assertEquals("filling_window", filling.state());
        assertEquals("served", filling.referenceSource());
        assertEquals(500, filling.referenceRows());
        assertEquals(250, filling.currentRows());
        assertEquals(750, filling.rowsReceived());
        assertEquals(763, filling.rowsServed(), "seen (750 rows + 10 not sampled) and the 3 dropped");
        assertEquals(3, filling.rowsDropped());

        rowsFrom(b, "served", "1.0.0", rows(2, 250, -1, 0), 0);
        DriftReport calm = client.drift("served");
        VersionDrift evaluated = version(calm, "1.0.0");
        assertEquals("evaluated", evaluated.state());
        assertEquals(500, evaluated.currentRows());
        assertEquals(500, evaluated.window());
        assertEquals(CLOCK.instant(), evaluated.evaluatedAt());
        assertFalse(evaluated.drifted(), evaluated.toString());
        assertFalse(calm.drifted());
        assertEquals(FEATURES, evaluated.features().stream().map(FeatureDrift::feature).toList());
        assertEquals(0.2, evaluated.psiThreshold());
        assertEquals(0.05 / 4 / 200, evaluated.ksPThreshold(), 1e-15);

        CLOCK.advance(Duration.ofSeconds(5));
        rowsFrom(a, "served", "1.0.0", rows(3, 500, 2, 1.0), 0);
        DriftReport shifted = client.drift("served");
        VersionDrift drifted = version(shifted, "1.0.0");
        assertTrue(drifted.drifted(), drifted.toString());
        assertTrue(shifted.drifted());
        assertTrue(feature(drifted, "c").drifted(), drifted.toString());
        assertTrue(feature(drifted, "c").ksPValue() < 0.05 / 4 / 200, drifted.toString());
        assertTrue(feature(drifted, "c").ksStatistic() > 0.3, drifted.toString());
        for (String other : List.of("a", "b", "d")) {
            assertFalse(feature(drifted, other).drifted(), other + ": " + drifted);
        }
        String metrics = Api.text(api.get("/metrics"));
        for (FeatureDrift f : drifted.features()) {
            Map<String, String> labels = Map.of("model", "served", "version", "1.0.0", "feature", f.feature());
            assertEquals(f.psi(), PrometheusText.value(metrics, "model_drift_psi", labels).orElseThrow(), 1e-12);
            assertEquals(f.ksPValue(), PrometheusText.value(metrics, "model_drift_ks_pvalue", labels).orElseThrow(),
                    Math.max(1e-12, f.ksPValue() * 1e-9));
        }
        String wire = Api.text(api.get("/monitoring/drift/served"));
        for (String field : List.of("\"ks_p_value\":", "\"ks_statistic\":", "\"psi\":", "\"ks_p_threshold\":",
                "\"psi_threshold\":", "\"reference_rows\":", "\"current_rows\":", "\"rows_received\":",
                "\"evaluated_at\":", "\"reference_source\":\"served\"", "\"state\":\"evaluated\"")) {
            assertTrue(wire.contains(field), field + " in " + wire);
        }
        long stored = (Long) cp.database().client().execute().get("SELECT coalesce(sum(rows_count), 0) AS n "
                + "FROM drift_window_chunks WHERE model = 'served'").orElseThrow().column("n").get(Long.class);
        assertTrue(stored >= 500 && stored < 1000, "the stored window is bounded: " + stored);
    }

    // ---- drift: a reference file at registration -----------------------------------------------------------------

    @Test
    void aReferenceFileIsValidatedAndStoredWithItsVersionOrNothingIsWritten() throws Exception {
        register("withref", "1.0.0", null);
        Path good = csv("good.csv", rows(10, 600, -1, 0));
        RegistrationResult r = register("withref", "1.1.0", good);
        assertTrue(r.created());
        VersionDrift v = version(client.drift("withref"), "1.1.0");
        assertEquals("file", v.referenceSource());
        assertEquals(600, v.referenceRows());
        assertEquals("filling_window", v.state());
        assertNull(v.role(), "registered, not routed");

        assertFalse(register("withref", "1.1.0", good).created(), "same bytes and reference: an idempotent retry");
        Path other = csv("other.csv", rows(11, 600, -1, 0));
        ModelMeshException conflict = assertThrows(ModelMeshException.class, () -> register("withref", "1.1.0", other));
        assertEquals(409, conflict.status());
        assertTrue(conflict.getMessage().contains("another reference file"), conflict.getMessage());

        Path missingFeature = Files.writeString(files.resolve("bad.csv"), "a,b,c\n" + "1,2,3\n".repeat(600));
        ModelMeshException bad = assertThrows(ModelMeshException.class, () -> register("withref", "1.2.0",
                missingFeature));
        assertEquals(400, bad.status());
        assertTrue(bad.getMessage().contains("lacks the feature(s) [d]"), bad.getMessage());
        assertEquals(404, api.get("/models/withref/versions/1.2.0").statusCode(), "nothing was registered");

        Path huge = files.resolve("huge.csv");
        Files.write(huge, new byte[9 << 20]);
        ModelMeshException tooBig = assertThrows(ModelMeshException.class, () -> register("withref", "1.3.0", huge));
        assertEquals(413, tooBig.status());
        assertEquals(404, api.get("/models/withref/versions/1.3.0").statusCode(), "nothing was registered");
    }

    // ---- outcome report validation -------------------------------------------------------------------------------

    @Test
    void reportsWithBadRowsAreRefusedWholeAndCountNothing() throws Exception {
        register("strict", "1.0.0", null);
        bothNodesServe("strict", "1.0.0");
        List<float[]> nan = rows(5, 3, -1, 0);
        nan.get(1)[0] = Float.NaN;
        HttpResponse<byte[]> res = report(a, List.of(outcome("strict", "1.0.0", 3, 0, 1)),
                List.of(new FeatureRows("strict", "1.0.0", nan, 3, 0)));
        // Jackson writes NaN as a bare token, which is not JSON: refused at parsing or by the rules, 400 either way
        assertEquals(400, res.statusCode(), Api.text(res));
        HttpResponse<byte[]> unknown = report(a, List.of(), List.of(new FeatureRows("strict", "7.0.0",
                rows(5, 3, -1, 0), 3, 0)));
        assertEquals(400, unknown.statusCode());
        assertTrue(api.error(unknown).message().contains("features[strict@7.0.0]: not on this node's routing table"),
                Api.text(unknown));
        assertEquals(0, client.latency("strict").versions().getFirst().windows().getFirst().requests(),
                "nothing of a refused report is counted");
        assertEquals(0, version(client.drift("strict"), "1.0.0").rowsReceived());
    }

    // ---- the canary drift gate -----------------------------------------------------------------------------------

    @Test
    void aCanaryWhoseInputsDriftBeyondMaxPsiIsRolledBack() throws Exception {
        register("gated", "1.0.0", null);
        client.deploy(new DeployRequest("gated", "1.0.0", null, null, null, 500));
        register("gated", "1.1.0", csv("gated.csv", rows(20, 1000, -1, 0)));
        RolloutStatus started = client.canary(new CanaryRequest("gated", "1.1.0", 20, null, null, null, null, 20, 10,
                0.2));
        assertEquals(0.2, started.analysis().maxPsi());
        assertTrue(client.history("gated").getFirst().change().contains("max PSI 0.2"),
                client.history("gated").getFirst().change());
        bothNodesServe("gated", "1.1.0");

        // healthy canary traffic, inputs like the reference: the full window is evaluated, no drift
        rowsFrom(a, "gated", "1.1.0", rows(21, 500, -1, 0), 0);
        assertEquals(204, report(a, List.of(outcome("gated", "1.1.0", 50, 0, 1)), List.of()).statusCode());
        cp.rollouts().tick(CLOCK.instant());
        assertEquals(RolloutState.RUNNING, client.rollout(started.id()).state());

        // the canary's inputs shift by one standard deviation in one feature
        CLOCK.advance(Duration.ofSeconds(1));
        rowsFrom(b, "gated", "1.1.0", rows(22, 500, 1, 1.0), 0);
        assertEquals(204, report(b, List.of(outcome("gated", "1.1.0", 50, 0, 1)), List.of()).statusCode());
        cp.rollouts().tick(CLOCK.instant());
        RolloutStatus after = client.rollout(started.id());
        assertEquals(RolloutState.ROLLED_BACK, after.state(), after.reason());
        assertTrue(after.reason().startsWith("input drift: PSI of feature b "), after.reason());
        assertTrue(after.reason().endsWith("> 0.200 over the last 500 rows"), after.reason());
        RoutingTable t = a.awaitTable(x -> x.models().get("gated").targets().size() == 1, WAIT);
        assertEquals("1.0.0", t.models().get("gated").targets().getFirst().version());
        assertNotNull(version(client.drift("gated"), "1.1.0").evaluatedAt());
    }
}
