package io.modelmesh.controlplane;

import io.modelmesh.metrics.PrometheusText;
import io.modelmesh.api.RolloutState;
import io.modelmesh.api.CanaryRequest;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.LatencyHistogram;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RollbackRequest;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.TrafficStats;
import io.modelmesh.api.VersionOutcome;
import io.modelmesh.api.VersionStats;
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
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Canaries over real sockets and PostgreSQL: two stand-in nodes, reports posted by hand, the ticker driven by hand. */
class CanaryApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path home;

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    static ControlPlane cp;
    static ModelMeshClient client;
    static Api api;
    static StubNode a;
    static StubNode b;

    @BeforeAll
    static void start() {
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home), CLOCK, false);
        client = ModelMeshClient.builder().controlPlane(cp.uri()).token(TestTokens.named(cp, "alice")).build();
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

    static void twoVersions(String model) {
        client.register(Registration.of(model, Fixtures.irisOnnx()));
        client.register(Registration.of(model, Fixtures.irisOnnx()).withVersion("1.1.0"));
    }

    static RolloutStatus startCanary(CanaryRequest request) {
        HttpResponse<byte[]> res = api.post("/deployments/canary", request, "Authorization", "Bearer " + TestTokens.named(cp, "alice"));
        assertEquals(201, res.statusCode(), Api.text(res));
        return api.read(res, RolloutStatus.class);
    }

    static Optional<RouteTarget> canary(RoutingTable t, String model) {
        ModelRoute r = t.models().get(model);
        return r == null ? Optional.empty()
                : r.targets().stream().filter(x -> x.role() == RouteTarget.Role.CANARY).findFirst();
    }

    static void bothNodesSee(java.util.function.Predicate<RoutingTable> match) throws InterruptedException {
        a.awaitTable(match, WAIT);
        b.awaitTable(match, WAIT);
    }

    static void report(String node, String model, long requests, long errors, double latencyMs) {
        long[] counts = new long[LatencyHistogram.bucketOf(latencyMs) + 1];
        counts[LatencyHistogram.bucketOf(latencyMs)] = requests;
        Instant now = CLOCK.instant();
        long serving = (node.equals(a.nodeId()) ? a : b).serving(); // what a real node reports
        OutcomeReport r = new OutcomeReport(node, serving, now, now, List.of(
                new VersionOutcome(model, "1.1.0", RouteTarget.Role.CANARY, requests, errors,
                        new LatencyHistogram(counts, requests * latencyMs)),
                new VersionOutcome(model, "1.0.0", RouteTarget.Role.STABLE, requests * 9, 0,
                        new LatencyHistogram(counts, requests * latencyMs))), List.of());
        HttpResponse<byte[]> res = api.post("/nodes/" + node + "/outcomes", r);
        assertEquals(204, res.statusCode(), Api.text(res));
    }

    /** Moves the clock on; the stand-in nodes heartbeat so they stay live. */
    static void advance(Duration d) {
        CLOCK.advance(d);
        for (StubNode n : List.of(a, b)) {
            n.heartbeat();
        }
    }

    static RolloutStatus rollout(long id) {
        HttpResponse<byte[]> res = api.get("/deployments/canary/" + id);
        assertEquals(200, res.statusCode(), Api.text(res));
        return api.read(res, RolloutStatus.class);
    }

    static DeploymentStatus[] history(String model) {
        return api.read(api.get("/deployments/" + model + "/history"), DeploymentStatus[].class);
    }

    @Test
    void aBreachReportedByTheNodesRollsTheCanaryBackOnBothNodes() throws Exception {
        twoVersions("breach");
        double rolledBack = PrometheusText.valueOrZero(Api.text(api.get("/metrics")), "rollouts_total",
                Map.of("outcome", "rolled_back"));
        RolloutStatus started = startCanary(new CanaryRequest("breach", "1.1.0", 10, null, null, 0.05, null, 20, 10));
        assertEquals(RolloutState.RUNNING, started.state());
        assertEquals(10, started.percent());
        assertEquals("1.0.0", started.stableVersion());
        bothNodesSee(t -> canary(t, "breach").map(c -> c.weight() == 10 && c.version().equals("1.1.0"))
                .orElse(false));

        report("node-a", "breach", 212, 66, 2);

        bothNodesSee(t -> t.models().containsKey("breach") && canary(t, "breach").isEmpty());
        RolloutStatus after = rollout(started.id());
        assertEquals(RolloutState.ROLLED_BACK, after.state());
        assertEquals(0, after.percent());
        assertEquals("error rate 31.1% > 5.0% over 212 requests in the last 10 s", after.reason());
        assertEquals(rolledBack + 1, PrometheusText.valueOrZero(Api.text(api.get("/metrics")), "rollouts_total",
                Map.of("outcome", "rolled_back")));
        DeploymentStatus latest = history("breach")[0];
        assertEquals("automatic rollback of canary 1.1.0: " + after.reason(), latest.change());
        assertEquals("rollout-controller", latest.createdBy());
        assertEquals(latest.routingRevision(), after.revision());
        assertEquals(List.of(new RouteTarget.Role[]{RouteTarget.Role.STABLE}).getFirst(),
                latest.route().targets().getFirst().role());
        assertEquals(100, latest.route().targets().getFirst().weight());

        TrafficStats traffic = api.read(api.get("/monitoring/traffic/breach"), TrafficStats.class);
        VersionStats canary = traffic.versions().stream().filter(v -> v.version().equals("1.1.0")).findFirst()
                .orElseThrow();
        assertEquals(212, canary.requests());
        assertEquals(66, canary.errors());
        assertEquals(null, canary.role(), "no longer routed");
        VersionStats stable = traffic.versions().getFirst();
        assertEquals("1.0.0", stable.version());
        assertEquals(RouteTarget.Role.STABLE, stable.role());
        assertEquals(1908, stable.recentRequests());
    }

    @Test
    void healthyStepsAdvanceOnTicksAndPromoteAndARepeatedTickIsHarmless() throws Exception {
        twoVersions("steps");
        RolloutStatus started = startCanary(new CanaryRequest("steps", "1.1.0", null, List.of(10, 50, 100), 30,
                0.05, 50.0, 20, 10));
        assertEquals(List.of(10, 50, 100), started.steps());
        DeploymentStatus first = history("steps")[0];
        assertEquals("canary 1.1.0 at 10% (steps 10,50,100 every 30 s; max error rate 5%, p99 <= 50 ms, "
                + "min 20 requests in 10 s)", first.change());

        report("node-a", "steps", 30, 0, 2);
        cp.rollouts().tick(CLOCK.instant());
        assertEquals(first.id(), history("steps")[0].id(), "step not over: nothing written");
        assertTrue(rollout(started.id()).reason().startsWith("healthy"), rollout(started.id()).reason());

        advance(Duration.ofSeconds(30));
        report("node-b", "steps", 30, 0, 2);
        cp.rollouts().tick(CLOCK.instant());
        bothNodesSee(t -> canary(t, "steps").map(c -> c.weight() == 50).orElse(false));
        long advanced = history("steps")[0].id();
        cp.rollouts().tick(CLOCK.instant());
        cp.rollouts().tick(CLOCK.instant());
        assertEquals(advanced, history("steps")[0].id(), "a repeated tick writes nothing");
        RolloutStatus at50 = rollout(started.id());
        assertEquals(1, at50.stepIndex());
        assertEquals(50, at50.percent());

        advance(Duration.ofSeconds(30));
        report("node-a", "steps", 30, 0, 2);
        cp.rollouts().tick(CLOCK.instant());
        bothNodesSee(t -> t.models().get("steps").targets().equals(List.of(t.models().get("steps").targets()
                .getFirst())) && t.models().get("steps").targets().getFirst().version().equals("1.1.0"));
        RolloutStatus done = rollout(started.id());
        assertEquals(RolloutState.PROMOTED, done.state());
        assertEquals(100, done.percent());
        assertTrue(history("steps")[0].change().startsWith("promote canary 1.1.0 to 100%: healthy"));
    }

    @Test
    void rolloutControlPausesResumesAbortsAndRetries() throws Exception {
        twoVersions("ctl");
        RolloutStatus started = startCanary(new CanaryRequest("ctl", "1.1.0", null, List.of(10, 50, 100), 30,
                0.05, null, 20, 10));
        RolloutStatus paused = client.pauseRollout("ctl");
        assertTrue(paused.paused());
        assertEquals("alice", paused.pausedBy());
        assertEquals(409, api.post("/rollouts/ctl/pause", "").statusCode(), "already paused");

        advance(Duration.ofSeconds(30));
        report("node-a", "ctl", 30, 0, 2);
        cp.rollouts().tick(CLOCK.instant());
        report("node-b", "ctl", 100, 90, 2);
        cp.rollouts().tick(CLOCK.instant());
        RolloutStatus held = rollout(started.id());
        assertEquals(RolloutState.RUNNING, held.state(), "a breach does not roll a paused canary back");
        assertEquals(10, held.percent(), "nor does a healthy step past its interval advance it");
        assertEquals(2, history("ctl").length, "nothing written while paused");

        RolloutStatus resumed = client.resumeRollout("ctl");
        assertEquals(null, resumed.pausedAt());
        assertEquals(CLOCK.instant(), resumed.stepStartedAt());
        assertEquals(409, api.post("/rollouts/ctl/resume", "").statusCode(), "not paused");

        RolloutStatus aborted = client.abortRollout("ctl");
        assertEquals(RolloutState.ABORTED, aborted.state());
        assertEquals("aborted by alice", aborted.reason());
        bothNodesSee(t -> canary(t, "ctl").map(c -> c.weight() == 0).orElse(true));
        assertEquals(404, api.post("/rollouts/ctl/abort", "").statusCode(), "no running canary");

        HttpResponse<byte[]> retried = api.post("/rollouts/ctl/retry", "");
        assertEquals(201, retried.statusCode(), Api.text(retried));
        RolloutStatus again = api.read(retried, RolloutStatus.class);
        assertEquals(RolloutState.RUNNING, again.state());
        assertTrue(again.id() > started.id());
        assertEquals(10, again.percent(), "from its first step");
        assertTrue(history("ctl")[0].change().startsWith("retry: canary 1.1.0 at 10%"), history("ctl")[0].change());
        assertEquals(409, api.post("/rollouts/ctl/retry", "").statusCode(), "it runs");
        bothNodesSee(t -> canary(t, "ctl").map(c -> c.weight() == 10).orElse(false));
    }

    @Test
    void aCanaryAfterAPromotionRunsNextToThePromotedVersion() throws Exception {
        twoVersions("next");
        startCanary(new CanaryRequest("next", "1.1.0", 20, null, null, null, null, null, null));
        assertEquals(200, api.post("/deployments/next/promote", "").statusCode());
        // the spec still names 1.0.0 as stable; the route serves 1.1.0 at 100 %
        RolloutStatus second = startCanary(new CanaryRequest("next", "1.0.0", 10, null, null, null, null, null, null));
        assertEquals("1.1.0", second.stableVersion());
        assertEquals("1.0.0", second.canaryVersion());
    }

    @Test
    void promoteAndRollBackByHandAndRollbackOfAModel() throws Exception {
        twoVersions("hand");
        RolloutStatus started = startCanary(new CanaryRequest("hand", "1.1.0", 20, null, null, null, null, null, null));
        HttpResponse<byte[]> same = api.post("/deployments/canary", new CanaryRequest("hand", "1.1.0", 20, null, null,
                null, null, null, null));
        assertEquals(200, same.statusCode(), "the same running canary is left as it is: " + Api.text(same));
        assertEquals(started.id(), api.read(same, RolloutStatus.class).id());

        HttpResponse<byte[]> promoted = api.post("/deployments/hand/promote", "", "Authorization", "Bearer " + TestTokens.named(cp, "bob"));
        assertEquals(200, promoted.statusCode(), Api.text(promoted));
        RolloutStatus p = api.read(promoted, RolloutStatus.class);
        assertEquals(RolloutState.PROMOTED, p.state());
        assertEquals("promoted by bob", p.reason());
        bothNodesSee(t -> t.models().get("hand").targets().size() == 1
                && t.models().get("hand").targets().getFirst().version().equals("1.1.0"));

        HttpResponse<byte[]> again = api.post("/deployments/hand/promote", "");
        assertEquals(404, again.statusCode());
        assertTrue(api.error(again).message().contains("has no running canary (its latest, rollout " + p.id()
                + ", is PROMOTED)"), api.error(again).message());
        HttpResponse<byte[]> late = api.post("/deployments/canary/" + p.id() + "/rollback", "");
        assertEquals(409, late.statusCode());
        assertTrue(api.error(late).message().contains("is PROMOTED (promoted by bob), not running"));

        DeploymentStatus[] h = history("hand");
        long fullRevision = h[h.length - 1].id();
        HttpResponse<byte[]> back = api.post("/deployments/hand/rollback", "", "Authorization", "Bearer " + TestTokens.named(cp, "bob"));
        assertEquals(200, back.statusCode(), Api.text(back));
        DeploymentStatus restored = api.read(back, DeploymentStatus.class);
        assertEquals("rollback to revision " + fullRevision, restored.change());
        assertEquals("1.0.0", restored.route().targets().getFirst().version());
        assertEquals(2, restored.nodesAcked());

        long canaryRevision = h[1].id();
        HttpResponse<byte[]> to = api.post("/deployments/hand/rollback", new RollbackRequest(canaryRevision));
        assertEquals(200, to.statusCode(), Api.text(to));
        RolloutStatus again2 = api.read(api.get("/deployments/hand/canary"), RolloutStatus.class);
        assertEquals(RolloutState.RUNNING, again2.state(), "restoring a canary revision starts its canary again");
        assertTrue(again2.id() > p.id());

        HttpResponse<byte[]> rb = api.post("/deployments/canary/" + again2.id() + "/rollback", "", "Authorization", "Bearer " + TestTokens.named(cp, "carol"));
        assertEquals(200, rb.statusCode(), Api.text(rb));
        assertEquals("rolled back by carol", api.read(rb, RolloutStatus.class).reason());
        bothNodesSee(t -> canary(t, "hand").isEmpty() && t.models().get("hand").targets().size() == 1);
    }

    @Test
    void clearErrors() {
        client.register(Registration.of("lonely", Fixtures.irisOnnx()).withDeploy(false));
        twoVersions("errs");
        HttpResponse<byte[]> none = api.post("/deployments/canary", new CanaryRequest("lonely", "1.0.0", 5, null, null,
                null, null, null, null));
        assertEquals(409, none.statusCode(), Api.text(none));
        assertTrue(api.error(none).message().contains("has no deployment to run a canary next to"));

        HttpResponse<byte[]> unknown = api.post("/deployments/canary", new CanaryRequest("errs", "9.9.9", 5, null,
                null, null, null, null, null));
        assertEquals(404, unknown.statusCode(), Api.text(unknown));
        assertTrue(api.error(unknown).message().contains("has no version 9.9.9"));

        HttpResponse<byte[]> noPercent = api.post("/deployments/canary", new CanaryRequest("errs", "1.1.0", null,
                null, null, null, null, null, null));
        assertEquals(400, noPercent.statusCode());
        assertTrue(api.error(noPercent).message().contains("spec.canary.percent: is required"));
        HttpResponse<byte[]> badRate = api.post("/deployments/canary", new CanaryRequest("errs", "1.1.0", 5,
                null, null, 2.0, null, null, null));
        assertEquals(400, badRate.statusCode());
        assertTrue(api.error(badRate).message().contains("max_error_rate must be between 0 and 1"));

        assertEquals(400, api.get("/deployments/canary/abc").statusCode());
        assertEquals(404, api.get("/deployments/canary/999999").statusCode());
        HttpResponse<byte[]> never = api.get("/deployments/errs/canary");
        assertEquals(404, never.statusCode());
        assertTrue(api.error(never).message().contains("has never had a canary"));
        HttpResponse<byte[]> only = api.post("/deployments/errs/rollback", "");
        assertEquals(409, only.statusCode(), Api.text(only));
        assertTrue(api.error(only).message().contains("has no earlier deployment to roll back to"));
        HttpResponse<byte[]> noRev = api.post("/deployments/errs/rollback", new RollbackRequest(999999L));
        assertEquals(404, noRev.statusCode());

        HttpResponse<byte[]> wrongNode = api.post("/nodes/node-a/outcomes", new OutcomeReport("node-b", 0, null,
                null, List.of(), List.of()));
        assertEquals(400, wrongNode.statusCode());
        assertTrue(api.error(wrongNode).message().contains("does not match the path's 'node-a'"));
        assertEquals(404, api.get("/monitoring/traffic/nosuchmodel").statusCode());
    }
}
