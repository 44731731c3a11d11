package io.modelmesh.e2e;

import io.modelmesh.api.RolloutState;
import io.modelmesh.api.NodeState;
import io.modelmesh.api.AbArm;
import io.modelmesh.api.AbRequest;
import io.modelmesh.api.ApplyRequest;
import io.modelmesh.api.ApplyResult;
import io.modelmesh.api.CanaryRequest;
import io.modelmesh.api.ChaosRequest;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.ManifestFile;
import io.modelmesh.api.NodeStatus;
import io.modelmesh.api.Prediction;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.ShadowReport;
import io.modelmesh.api.ShadowRequest;
import io.modelmesh.api.TrafficStats;
import io.modelmesh.api.VersionStats;
import io.modelmesh.controlplane.ControlPlane;
import io.modelmesh.controlplane.ControlPlaneConfig;
import io.modelmesh.dataplane.DataPlane;
import io.modelmesh.dataplane.DataPlaneConfig;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.Registration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 4 across two nodes on real parts (embedded PostgreSQL, real sockets, two real scikit-learn models converted to
 * PMML): canary split, automatic rollback after a fault, shadow comparisons, sticky A/B, and the manifest round trip.
 * The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrafficIT {
    private static final Path MODELS = Path.of("..", "fixtures", "models");
    private static final String MODEL = "iris";
    private static final String ROW = "{\"inputs\": [5.9, 3.0, 5.1, 1.8]}";

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = io.modelmesh.api.Json.mapper();

    @TempDir
    static Path home;
    static ControlPlane cp;
    static DataPlane a;
    static DataPlane b;
    static ModelMeshClient admin;

    @BeforeAll
    static void start() throws Exception {
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home));
        a = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home).withNodeId("node-a"));
        b = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home).withNodeId("node-b"));
        String token = Files.readString(home.resolve("admin-token")).strip();
        admin = ModelMeshClient.builder().controlPlane(cp.uri()).token(token).build();
        await(() -> live().size() == 2, "both nodes to register");
        admin.register(Registration.of(MODEL, MODELS.resolve("iris_logreg.pkl")).withVersion("1.0.0"));
        admin.register(Registration.of(MODEL, MODELS.resolve("iris_rf.pkl")).withVersion("1.1.0"));
    }

    @AfterAll
    static void stop() {
        Stream.of(a, b).filter(n -> n != null).forEach(DataPlane::close);
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    @Order(1)
    void canarySplitHoldsItsShareOnBothNodesAndUsersStick() {
        // a logistic regression (columns x1..x4) next to a random forest (named iris columns): meant
        RolloutStatus r = admin.canary(new CanaryRequest(MODEL, "1.1.0", 25, null, null, null, null, null, null,
                null, null, null, true));
        assertEquals(RolloutState.RUNNING, r.state());
        assertEquals(25, r.percent());
        await(() -> a.servingRevision() == b.servingRevision() && a.servingRevision() >= r.revision(),
                "both nodes to serve the canary revision");

        int canary = 0;
        for (int i = 0; i < 2000; i++) {
            DataPlane node = i % 2 == 0 ? a : b;
            if ("1.1.0".equals(client(node).predict(MODEL, null, ROW).modelVersion())) {
                canary++;
            }
        }
        // binomial(2000, 0.25): sd 19.4 requests; 4 % is more than 4 sd
        assertEquals(0.25, canary / 2000.0, 0.04, "canary share over 2,000 requests without a sticky key");

        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < 600; i++) {
            String user = "user-" + (i % 200);
            DataPlane node = i % 3 == 0 ? a : b;
            String version = client(node).predict(MODEL, null, ROW, Map.of("X-User-Id", user)).modelVersion();
            String before = seen.putIfAbsent(user, version);
            if (before != null) {
                assertEquals(before, version, user + " moved between versions (or nodes disagree)");
            }
        }
        long onCanary = seen.values().stream().filter("1.1.0"::equals).count();
        assertTrue(onCanary > 20 && onCanary < 80, "about a quarter of 200 users on the canary: " + onCanary);
    }

    @Test
    @Order(2)
    void aFaultOnTheCanaryRollsItBackOnBothNodesByItself() {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failures = new AtomicInteger();
        Thread load = Thread.ofVirtual().start(() -> {
            int i = 0;
            while (!stop.get()) {
                try {
                    client(i++ % 2 == 0 ? a : b).predict(MODEL, null, ROW);
                } catch (ModelMeshException e) {
                    failures.incrementAndGet();
                }
                LockSupport.parkNanos(2_000_000);
            }
        });
        try {
            DeploymentStatus chaos = admin.chaos(new ChaosRequest(MODEL, "1.1.0", 1.0, 0, 60, null));
            assertEquals(2, chaos.nodesAcked(), chaos.errors().toString());
            await(() -> failures.get() > 0, "the injected fault to reach users");
            await(() -> !versionsOn(a).contains("1.1.0") && !versionsOn(b).contains("1.1.0"),
                    "the canary to leave both nodes");
        } finally {
            stop.set(true);
        }
        RolloutStatus r = admin.rolloutOf(MODEL);
        assertEquals(RolloutState.ROLLED_BACK, r.state());
        assertTrue(r.reason().contains("error rate"), r.reason());
        List<DeploymentStatus> history = admin.history(MODEL);
        assertTrue(history.getFirst().change().contains("automatic rollback"), history.getFirst().change());
        assertEquals(List.of("1.0.0"), history.getFirst().route().targets().stream()
                .filter(RouteTarget::routed).map(RouteTarget::version).toList());
        for (DataPlane node : List.of(a, b)) {
            assertEquals("1.0.0", client(node).predict(MODEL, null, ROW).modelVersion());
        }
        try {
            load.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @Order(3)
    void shadowAnswersAreComparedNeverReturned() {
        DeploymentStatus d = admin.shadow(new ShadowRequest(MODEL, "1.1.0", 100, true));
        await(() -> a.servingRevision() >= d.routingRevision() && b.servingRevision() >= d.routingRevision(),
                "both nodes to shadow");
        for (int i = 0; i < 300; i++) {
            float x = 4.5f + (i % 30) * 0.1f;
            Prediction p = client(i % 2 == 0 ? a : b).predict(MODEL, null,
                    "{\"inputs\": [" + x + ", 3.0, " + (1.0f + (i % 50) * 0.1f) + ", " + (0.1f + (i % 25) * 0.1f) + "]}");
            assertEquals("1.0.0", p.modelVersion(), "users get the stable answer");
        }
        await(() -> admin.shadowReport(MODEL, 20).compared() >= 300, "300 comparisons to reach the control plane");
        ShadowReport s = admin.shadowReport(MODEL, 20);
        assertEquals("1.1.0", s.shadowVersion());
        assertEquals("1.0.0", s.primaryVersion());
        assertNotNull(s.labelAgreementRate());
        assertTrue(s.labelAgreementRate() > 0.5 && s.labelAgreementRate() <= 1.0, s.toString());
        assertTrue(s.maxAbsDiff() > 0, "logistic regression and random forest probabilities differ: " + s);
        assertFalse(s.samples().isEmpty(), "sampled diffs are stored");
        admin.stopShadow(MODEL);
    }

    @Test
    @Order(4)
    void stickyAbArmsReportTheirOwnStatistics() {
        DeploymentStatus d = admin.ab(new AbRequest(MODEL, List.of(new AbArm("1.0.0", 50), new AbArm("1.1.0", 50)),
                null, true));
        await(() -> a.servingRevision() >= d.routingRevision() && b.servingRevision() >= d.routingRevision(),
                "both nodes to split");
        Map<String, Integer> perArm = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            String version = client(i % 2 == 0 ? a : b).predict(MODEL, null, ROW,
                    Map.of("X-User-Id", "ab-user-" + (i % 100))).modelVersion();
            perArm.merge(version, 1, Integer::sum);
        }
        assertEquals(2, perArm.size(), perArm.toString());
        await(() -> armRequests(admin.traffic(MODEL)) >= 400, "per-arm statistics to add up to the requests sent");
        TrafficStats t = admin.traffic(MODEL);
        for (String arm : List.of("1.0.0", "1.1.0")) {
            VersionStats v = t.versions().stream().filter(s -> s.version().equals(arm)).findFirst().orElseThrow();
            assertEquals(RouteTarget.Role.ARM, v.role());
            assertEquals(perArm.get(arm).longValue(), v.requests(), "arm " + arm + " counted on both nodes");
            assertNotNull(v.p99Ms());
        }
    }

    @Test
    @Order(5)
    void manifestsApplyDiffHistoryAndRollBackAsOneRoundTrip() {
        String full = """
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata:
                  name: iris
                spec:
                  strategy: full
                  stable: 1.1.0
                  serving: {maxBatchSize: 8, maxLatencyMs: 1, cacheTtlSeconds: 30}
                """;
        ApplyResult diff = admin.apply(new ApplyRequest(List.of(new ManifestFile("iris.yaml", full)), true));
        assertEquals("configured", diff.changes().getFirst().action());
        int revisionsBefore = admin.history(MODEL).size();
        assertEquals(revisionsBefore, admin.history(MODEL).size(), "a dry run writes nothing");

        ApplyResult applied = admin.apply(new ApplyRequest(List.of(new ManifestFile("iris.yaml", full)), false));
        assertEquals("configured", applied.changes().getFirst().action());
        long revision = applied.changes().getFirst().revision();
        assertEquals(2, applied.changes().getFirst().nodesAcked());
        assertEquals("1.1.0", client(b).predict(MODEL, null, ROW).modelVersion());

        ApplyResult again = admin.apply(new ApplyRequest(List.of(new ManifestFile("iris.yaml", full)), false));
        assertEquals("unchanged", again.changes().getFirst().action(), "apply is idempotent");
        assertEquals(revisionsBefore + 1, admin.history(MODEL).size());

        String broken = full.replace("stable: 1.1.0", "stable: 1.1.0\n  canary: {version: 9.9.9}");
        ModelMeshException invalid = assertThrows(ModelMeshException.InvalidRequestException.class,
                () -> admin.apply(new ApplyRequest(List.of(new ManifestFile("ok.yaml", full.replace("1.1.0", "1.0.0")),
                        new ManifestFile("broken.yaml", broken)), false)));
        assertEquals(400, invalid.status());
        assertTrue(invalid.error().details().stream().anyMatch(e -> "broken.yaml".equals(e.file()) && e.line() != null),
                invalid.error().toString());
        assertEquals(revisionsBefore + 1, admin.history(MODEL).size(), "nothing written when one manifest is bad");

        DeploymentStatus back = admin.rollback(MODEL, revision - 1);
        assertTrue(back.change().contains("rollback to revision " + (revision - 1)), back.change());
        await(() -> a.servingRevision() >= back.routingRevision() && b.servingRevision() >= back.routingRevision(), "both nodes to roll back");
        List<DeploymentStatus> history = admin.history(MODEL);
        DeploymentStatus restored = history.stream().filter(h -> h.id() == revision - 1).findFirst().orElseThrow();
        assertEquals(restored.route(), history.getFirst().route(), "the old revision's route is back");
        assertEquals(restored.spec(), history.getFirst().spec(), "and its spec");
        assertEquals(revisionsBefore + 2, history.size(), "history only grows");
    }

    @Test
    @Order(6)
    void aCanaryThatRejectsTheTrafficsFeatureMapsIsRolledBackWithAReadableReason() {
        // issue 15: the canary's 400s were not outcomes, so it saw "0 requests" and ran forever
        String model = "features";
        admin.register(Registration.of(model, MODELS.resolve("iris.onnx")).withVersion("1.0.0")
                .withFeatures(List.of("sepal_length", "sepal_width", "petal_length", "petal_width")));
        admin.register(Registration.of(model, MODELS.resolve("iris.onnx")).withVersion("1.1.0")
                .withFeatures(List.of("f0", "f1", "f2", "f3")));
        // the schema guard now refuses this canary; allowed here on purpose, to check the analysis behind the guard
        RolloutStatus started = admin.canary(new CanaryRequest(model, "1.1.0", 50, null, null, 0.05, null, 10, 5,
                null, null, null, true));
        await(() -> a.servingRevision() >= started.revision() && b.servingRevision() >= started.revision(),
                "both nodes to serve the canary");
        String features = "{\"inputs\": {\"sepal_length\": 5.9, \"sepal_width\": 3.0, \"petal_length\": 5.1, "
                + "\"petal_width\": 1.8}}";
        int refused = 0;
        for (int i = 0; i < 80; i++) {
            try {
                assertEquals("1.0.0", client(i % 2 == 0 ? a : b).predict(model, null, features).modelVersion());
            } catch (ModelMeshException.InvalidRequestException e) {
                refused++; // the canary's answer: it does not know these feature names
            }
        }
        assertTrue(refused > 10, "about half the requests reach the canary: " + refused);
        await(() -> admin.rolloutOf(model).state() != RolloutState.RUNNING, "the canary to end");
        RolloutStatus ended = admin.rolloutOf(model);
        assertEquals(RolloutState.ROLLED_BACK, ended.state());
        assertTrue(ended.reason().startsWith("error rate 100.0% > 5.0% over "), ended.reason());
        assertEquals("1.0.0", client(a).predict(model, null, features).modelVersion(), "all traffic on 1.0.0 again");
    }

    private static long armRequests(TrafficStats t) {
        return t.versions().stream().filter(v -> v.role() == RouteTarget.Role.ARM).mapToLong(VersionStats::requests)
                .sum();
    }

    /** The versions a node routes for the model, from its own {@code GET /health}. */
    private static List<String> versionsOn(DataPlane node) {
        try {
            java.net.http.HttpResponse<String> res = HTTP.send(java.net.http.HttpRequest.newBuilder(
                    node.uri().resolve("/health")).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            List<String> versions = new java.util.ArrayList<>();
            JSON.readTree(res.body()).path("models").path(MODEL).forEach(v -> versions.add(v.asText()));
            return versions;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ModelMeshClient client(DataPlane node) {
        return ModelMeshClient.builder().controlPlane(cp.uri()).dataPlanes(List.of(node.uri())).build();
    }

    private static List<NodeStatus> live() {
        return admin.nodes().stream().filter(n -> n.state() == NodeState.LIVE).toList();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(20_000_000);
        }
    }
}
