package io.modelmesh.controlplane;

import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.ErrorBody;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.ShadowOutcome;
import io.modelmesh.api.ShadowReport;
import io.modelmesh.api.ShadowRequest;
import io.modelmesh.api.ShadowSample;
import io.modelmesh.api.ShadowSpec;
import io.modelmesh.controlplane.monitoring.ShadowReports;
import io.modelmesh.controlplane.store.ShadowComparisonRepository;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.Registration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shadows over real sockets: started and stopped on two stand-in nodes, comparisons summed in PostgreSQL. */
class ShadowApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @TempDir
    static Path home;

    static final MutableClock CLOCK = new MutableClock(T0);
    static ControlPlane cp;
    static ModelMeshClient client;
    static Api api;
    static StubNode nodeA;
    static StubNode nodeB;
    static Path iris;

    @BeforeAll
    static void start() {
        iris = Fixtures.irisOnnx();
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home), CLOCK);
        client = ModelMeshClient.builder().controlPlane(cp.uri()).token(TestTokens.named(cp, "shadower")).build();
        api = Api.admin(cp);
        nodeA = StubNode.start("node-a");
        nodeB = StubNode.start("node-b");
        for (StubNode n : List.of(nodeA, nodeB)) {
            n.join(api);
        }
    }

    @AfterAll
    static void stop() {
        if (cp != null) {
            cp.close();
        }
        for (StubNode n : new StubNode[] {nodeA, nodeB}) {
            if (n != null) {
                n.close();
            }
        }
    }

    static void registerTwoVersions(String model) {
        client.register(Registration.of(model, iris));
        client.register(Registration.of(model, iris).withVersion("1.1.0"));
    }

    @Test
    void aShadowIsPushedComparedAcrossNodesAndStopped() throws Exception {
        registerTwoVersions("fraud");

        HttpResponse<byte[]> started = api.post("/deployments/shadow", new ShadowRequest("fraud", "1.1.0", null),
                "Authorization", "Bearer " + TestTokens.named(cp, "ana"));
        assertEquals(201, started.statusCode(), Api.text(started));
        DeploymentStatus s = api.read(started, DeploymentStatus.class);
        assertEquals("shadow 1.1.0 (100% of requests mirrored) next to 1.0.0", s.change());
        assertEquals("ana", s.createdBy());
        assertEquals(new DeploymentSpec(DeploymentSpec.Strategy.SHADOW, "1.0.0", null, new ShadowSpec("1.1.0", 100),
                null, null), s.spec());
        assertEquals(2, s.nodesAcked(), s.errors().toString());
        for (StubNode n : List.of(nodeA, nodeB)) {
            ModelRoute pushed = n.awaitTable(t -> t.revision() == s.routingRevision(), WAIT).models().get("fraud");
            assertEquals(List.of("1.0.0:STABLE:100", "1.1.0:SHADOW:100"), describe(pushed), n.nodeId());
        }
        HttpResponse<byte[]> again = api.post("/deployments/shadow", new ShadowRequest("fraud", "1.1.0", 100));
        assertEquals(200, again.statusCode(), "the same shadow again writes nothing: " + Api.text(again));
        assertEquals(s.id(), api.read(again, DeploymentStatus.class).id());

        ShadowReport empty = report("fraud", "");
        assertEquals(new ShadowReport("fraud", "1.1.0", "1.0.0", true, s.createdAt(), 0, 0, 0, 0, null, null, null,
                null, List.of()), empty, "nothing compared yet: rates are null, not 0");

        ShadowSample a1 = sample(1, "r1", true, 0.1);
        ShadowSample a2 = sample(2, "r2", false, Double.NaN);
        ShadowSample b1 = sample(3, "r3", null, 0.5);
        postOutcomes("node-a", new ShadowOutcome("fraud", "1.1.0", "1.0.0", 10, 1, 1, 8, 8, 6, 24, 1.2, 0.3, 16,
                List.of(a1, a2)));
        postOutcomes("node-b", new ShadowOutcome("fraud", "1.1.0", "1.0.0", 2, 0, 0, 2, 2, 2, 6, 0.3, 0.5, 4,
                List.of(b1)));

        ShadowReport r = report("fraud", "");
        assertEquals(List.of(12L, 1L, 1L, 10L), List.of(r.mirrored(), r.dropped(), r.failed(), r.compared()));
        assertEquals(0.8, r.labelAgreementRate(), 1e-12, "8 of 10 label comparisons agreed");
        assertEquals(0.05, r.meanAbsDiff(), 1e-12, "1.5 over 30 values");
        assertEquals(0.5, r.maxAbsDiff(), 1e-12);
        assertEquals(2.0, r.meanLatencyDeltaMs(), 1e-12, "20 ms over 10 compared answers");
        assertEquals(List.of(b1, a2, a1), r.samples(), "newest first, NaN kept for 'no numeric output'");
        assertEquals(List.of(b1), report("fraud", "?samples=1").samples());
        assertEquals(400, api.get("/monitoring/shadow/fraud?samples=201").statusCode());
        assertEquals(400, api.get("/monitoring/shadow/fraud?samples=many").statusCode());

        // stored, not in memory: a fresh repository over the same database reads the same report
        ShadowReports fresh = new ShadowReports(new ShadowComparisonRepository(cp.database().client()));
        assertEquals(r, fresh.report("fraud", ShadowReports.DEFAULT_SAMPLES));

        HttpResponse<byte[]> stopped = api.delete("/deployments/fraud/shadow");
        assertEquals(200, stopped.statusCode(), Api.text(stopped));
        DeploymentStatus st = api.read(stopped, DeploymentStatus.class);
        assertEquals("shadow 1.1.0 stopped", st.change());
        assertEquals(DeploymentSpec.full("1.0.0", null), st.spec());
        assertEquals(List.of("1.0.0:STABLE:100"), describe(nodeA.awaitTable(t -> t.revision() == st.routingRevision(), WAIT)
                .models().get("fraud")));
        ShadowReport closed = report("fraud", "");
        assertFalse(closed.active(), "the comparison is kept, marked inactive");
        assertEquals(10, closed.compared());

        HttpResponse<byte[]> none = api.delete("/deployments/fraud/shadow");
        assertEquals(409, none.statusCode());
        assertTrue(api.error(none).message().contains("runs no shadow"), Api.text(none));

        // a new shadow starts a fresh comparison
        CLOCK.advance(Duration.ofSeconds(1));
        DeploymentStatus restarted = api.read(api.post("/deployments/shadow", new ShadowRequest("fraud", "1.1.0", 25)),
                DeploymentStatus.class);
        assertEquals("shadow 1.1.0 (25% of requests mirrored) next to 1.0.0", restarted.change());
        ShadowReport fresh2 = report("fraud", "");
        assertEquals(0, fresh2.compared());
        assertTrue(fresh2.active());
        assertEquals(restarted.createdAt(), fresh2.since());
    }

    @Test
    void aShadowNeedsADeployedModelWithoutCanaryOrSplit() {
        client.register(Registration.of("idle", iris).withDeploy(false));
        HttpResponse<byte[]> undeployed = api.post("/deployments/shadow", new ShadowRequest("idle", "1.0.0", null));
        assertEquals(409, undeployed.statusCode());
        assertTrue(api.error(undeployed).message().contains("deploy its stable version first"), Api.text(undeployed));

        assertEquals(404, api.post("/deployments/shadow", new ShadowRequest("nope", "1.0.0", null)).statusCode());
        assertEquals(400, api.post("/deployments/shadow", "{\"model\":\"idle\"}").statusCode());

        registerTwoVersions("picky");
        ErrorBody same = api.error(api.post("/deployments/shadow", new ShadowRequest("picky", "1.0.0", null)));
        assertEquals(400, same.status());
        assertTrue(same.message().contains("spec.shadow.version: is the stable version 1.0.0"), same.message());
        ErrorBody percent = api.error(api.post("/deployments/shadow", new ShadowRequest("picky", "1.1.0", 0)));
        assertTrue(percent.message().contains("spec.shadow.percent: must be 1..100"), percent.message());
        ErrorBody unknown = api.error(api.post("/deployments/shadow", new ShadowRequest("picky", "2.0.0", null)));
        assertEquals(404, unknown.status());
        assertTrue(unknown.message().contains("registered: 1.0.0, 1.1.0"), unknown.message());

        HttpResponse<byte[]> never = api.get("/monitoring/shadow/picky");
        assertEquals(404, never.statusCode());
        assertTrue(api.error(never).message().contains("never had a shadow"), Api.text(never));
    }

    @Test
    void malformedReportsAreRefusedWholeAndCountNothing() {
        registerTwoVersions("override");
        client.register(Registration.of("override", iris).withVersion("1.2.0"));
        DeploymentStatus s = api.read(api.post("/deployments/shadow", new ShadowRequest("override", "1.2.0", null)),
                DeploymentStatus.class);
        ShadowOutcome good = new ShadowOutcome("override", "1.2.0", "1.0.0", 5, 0, 0, 5, 5, 5, 0, 0, 0, 5, List.of());
        for (ShadowOutcome bad : List.of(
                new ShadowOutcome("override", "1.2.0", "1.1.0", 3, 0, 0, 3, 3, 0, 0, 0, 0, 3, List.of()), // unrouted
                new ShadowOutcome(null, "1.2.0", "1.0.0", 99, 0, 0, 99, 0, 0, 0, 0, 0, 0, List.of()),
                new ShadowOutcome("override", "1.2.0", "1.0.0", -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of()),
                new ShadowOutcome("override", "1.2.0", "1.0.0", 1, 0, 0, 1, 1, 9, 0, 0, 0, 0, List.of()))) {
            OutcomeReport report = new OutcomeReport("node-a", 0, T0, T0.plusSeconds(1), List.of(),
                    List.of(good, bad));
            HttpResponse<byte[]> res = api.post("/nodes/node-a/outcomes", report);
            assertEquals(400, res.statusCode(), Api.text(res));
            assertTrue(api.error(res).message().contains("nothing of it was counted"), Api.text(res));
        }
        postOutcomes("node-a", good);
        ShadowReport r = report("override", "");
        assertEquals("1.0.0", r.primaryVersion());
        assertEquals(List.of(5L, 5L), List.of(r.mirrored(), r.compared()), "only the good report was counted");
        assertEquals(1.0, r.labelAgreementRate());
        assertNull(r.meanAbsDiff());
        assertEquals(s.createdAt(), r.since());
    }

    @Test
    void onlyTheNewest200SamplesAreKept() {
        registerTwoVersions("chatty");
        api.post("/deployments/shadow", new ShadowRequest("chatty", "1.1.0", null));
        for (int report = 0; report < 5; report++) {
            List<ShadowSample> samples = new java.util.ArrayList<>();
            for (int i = 0; i < 60; i++) { // 60 sent, 50 per outcome taken
                samples.add(sample(report * 100 + i, "r" + report + "-" + i, true, 0.0));
            }
            postOutcomes("node-a", new ShadowOutcome("chatty", "1.1.0", "1.0.0", 60, 0, 0, 60, 60, 60, 0, 0, 0, 0,
                    samples));
        }
        ShadowComparisonRepository rows = new ShadowComparisonRepository(cp.database().client());
        long id = rows.latest("chatty").orElseThrow().id();
        assertEquals(ShadowComparisonRepository.SAMPLES_KEPT, rows.sampleCount(id));
        List<ShadowSample> newest = report("chatty", "?samples=200").samples();
        assertEquals(200, newest.size());
        assertEquals("r4-49", newest.getFirst().requestId());
        assertEquals("r1-0", newest.getLast().requestId(), "report 0's samples were deleted");
    }

    private static void postOutcomes(String node, ShadowOutcome... outcomes) {
        OutcomeReport report = new OutcomeReport(node, 0, T0, T0.plusSeconds(1), List.of(), List.of(outcomes));
        HttpResponse<byte[]> res = api.post("/nodes/" + node + "/outcomes", report);
        assertEquals(204, res.statusCode(), Api.text(res));
    }

    private static ShadowReport report(String model, String query) {
        HttpResponse<byte[]> res = api.get("/monitoring/shadow/" + model + query);
        assertEquals(200, res.statusCode(), Api.text(res));
        return api.read(res, ShadowReport.class);
    }

    static ShadowSample sample(int second, String requestId, Boolean agree, double diff) {
        return new ShadowSample(T0.plusSeconds(second), requestId, "{\"inputs\":[[5.1,3.5,1.4,0.2]]}",
                "{\"label\":[0]}", "{\"label\":[" + (Boolean.FALSE.equals(agree) ? 1 : 0) + "]}", null, agree, diff,
                1.5, 2.5);
    }

    static List<String> describe(ModelRoute route) {
        return route.targets().stream().map(t -> t.version() + ":" + t.role() + ":" + t.weight()).toList();
    }

    static RouteTarget target(RoutingTable table, String model, String version) {
        return table.models().get(model).targets().stream().filter(t -> t.version().equals(version)).findFirst()
                .orElseThrow();
    }

}
